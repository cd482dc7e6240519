/**
 * Which credentials a command uses, with the SDK's precedence (wbauth/authenticate.py
 * `_use_system_auth`, after an explicit key): the flag → WANDB_API_KEY (or
 * WANDB_IDENTITY_TOKEN_FILE; both at once is an error) → the netrc entry for the server's netloc
 * → an `api_key` in a settings file, only when the settings' base URL is this server. Every key
 * passes the SDK's format check before it is returned. Keys are never logged or put in errors.
 */
import {checkApiKey} from '../api/index.ts'
import {settingsBaseUrl} from './base-url.ts'
import {ExitCode} from '../exit-codes.ts'
import {ApiKeyFormatError, KeyInputError} from './errors.ts'
import {envValue, resolveEnvironment, type Environment} from './environment.ts'
import {readNetrcKey} from './netrc-file.ts'
import {SettingsFiles} from './settings-files.ts'

/** Where an API key came from. */
export type ApiKeySource = 'flag' | 'env' | 'netrc' | 'settings'

/** An API key and its origin (never print `apiKey`). */
export interface ResolvedApiKey {
  kind: 'api-key'
  apiKey: string
  source: ApiKeySource
  /** netrc / settings: the file it was read from. */
  path?: string
  /** netrc: the machine name of the entry ('default' for the fallback entry). */
  machine?: string
  /** A phrase for messages: "WANDB_API_KEY", "netrc file /x (machine h:p)", … */
  description: string
}

/** Federated identity: a JWT file exchanged for access tokens (WANDB_IDENTITY_TOKEN_FILE). */
export interface ResolvedIdentityToken {
  kind: 'identity-token-file'
  path: string
  source: 'env'
  description: string
}

/** Options of resolveApiKey / resolveCredentials. */
export interface ResolveApiKeyOptions extends Environment {
  /** An explicit key (a flag or argument); wins over everything. */
  flag?: string
  /** Name of the flag in messages (default "the command line"). */
  flagName?: string
  /** The normalised base URL the key is for (resolveBaseUrl().url). */
  baseUrl: string
  /** Already loaded settings files (else read when needed). */
  files?: SettingsFiles
}

/**
 * The credentials for `baseUrl`, or undefined when none are configured. Throws ApiKeyFormatError
 * for a key that fails the SDK's format check, KeyInputError when both WANDB_API_KEY and
 * WANDB_IDENTITY_TOKEN_FILE are set, NetrcSyntaxError / SettingsFileSyntaxError for a malformed file.
 */
export function resolveCredentials(o: ResolveApiKeyOptions): ResolvedApiKey | ResolvedIdentityToken | undefined {
  const r = resolveEnvironment(o)
  if (o.flag !== undefined && o.flag !== '') return checkedApiKey(o.flag, 'flag', o.flagName ?? 'the command line')
  const envKey = envValue(r.env, 'WANDB_API_KEY')
  const tokenFile = envValue(r.env, 'WANDB_IDENTITY_TOKEN_FILE')
  if (envKey && tokenFile) {
    throw new KeyInputError('Both WANDB_API_KEY and WANDB_IDENTITY_TOKEN_FILE are set, which is not allowed; unset one of them.', {exitCode: ExitCode.AUTH})
  }
  if (envKey) return checkedApiKey(envKey, 'env', 'WANDB_API_KEY')
  if (tokenFile) return {kind: 'identity-token-file', path: tokenFile, source: 'env', description: 'WANDB_IDENTITY_TOKEN_FILE'}
  const fromNetrc = readNetrcKey(o.baseUrl, r)
  if (fromNetrc) {
    const description = `netrc file ${fromNetrc.path} (machine ${fromNetrc.machine})`
    return {...checkedApiKey(fromNetrc.apiKey, 'netrc', description), path: fromNetrc.path, machine: fromNetrc.machine}
  }
  const files = o.files ?? SettingsFiles.load(r)
  const file = files.sourceOf('api_key')
  if (file && settingsBaseUrl({...r, files}) === o.baseUrl) {
    return {...checkedApiKey(file.get('api_key')!, 'settings', `settings file ${file.path}`), path: file.path}
  }
  return undefined
}

/**
 * The API key for `baseUrl` with the SDK's precedence, or undefined when no key is configured or
 * the session uses WANDB_IDENTITY_TOKEN_FILE instead (use resolveCredentials to tell). Throws
 * like resolveCredentials.
 */
export function resolveApiKey(o: ResolveApiKeyOptions): ResolvedApiKey | undefined {
  const c = resolveCredentials(o)
  return c?.kind === 'api-key' ? c : undefined
}

/** Runs the SDK's format check on a key from `description`; throws ApiKeyFormatError. */
export function checkedApiKey(apiKey: string, source: ApiKeySource, description: string): ResolvedApiKey {
  const problem = checkApiKey(apiKey)
  if (problem) throw new ApiKeyFormatError(problem, description)
  return {kind: 'api-key', apiKey, source, description}
}

/**
 * `nexus login`: the SDK's `wandb login` (wandb/cli/cli.py::login → wandb_login.py). An explicit
 * or prompted key is format-checked, verified with a Viewer query (unless verify is false), and
 * only then stored in the netrc file; a key found in WANDB_API_KEY / netrc / settings is verified
 * and reported but not copied. A `--host` URL is saved as the global `base_url` (cleared for the
 * SDK's default server) and removed from the workspace file; `anonymous` is cleared as the SDK
 * does. Every failure before the writes leaves both files untouched.
 */
import type {RetryPolicy} from '../api/index.ts'
import type {UserFacingError} from '../errors.ts'
import {checkedApiKey, resolveCredentials, type ResolvedApiKey} from './api-key.ts'
import {resolveBaseUrl, type ResolvedBaseUrl} from './base-url.ts'
import {ApiKeyFormatError, ApiKeyRejectedError, EntityNotAccessibleError, KeyInputError, NoApiKeyError} from './errors.ts'
import {resolveEnvironment, type Environment} from './environment.ts'
import {DEFAULT_BASE_URL, authorizeUrlOf} from './host-url.ts'
import type {ExplicitKey} from './key-input.ts'
import {checkNetrcWritable, writeNetrcKey, type NetrcWrite} from './netrc-file.ts'
import {SettingsFiles, type SettingsChange} from './settings-files.ts'
import {describeIdentity, describeSettingsChange} from './report.ts'
import {fetchIdentity, type Identity} from './viewer.ts'

/** How many keys a prompt session accepts before giving up. */
const PROMPT_ATTEMPTS = 3

/** Options of login(); every field is optional. */
export interface LoginOptions extends Environment {
  /** A key given on the command line, a file or stdin (see readExplicitKey). */
  key?: ExplicitKey
  /** --host: the server, saved to the global settings file. */
  host?: string
  /** --cloud: the SDK's default server (exclusive with host). */
  cloud?: boolean
  /** Ask for a new key even if one is configured. */
  relogin?: boolean
  /** Verify the key with a Viewer query before storing it (default true). */
  verify?: boolean
  /** Default entity for new runs, saved to the global settings file (checked against the account). */
  entity?: string
  /** Asks for a key on a terminal, showing where to get one; absent when there is no terminal. */
  prompt?: (authorizeUrl: string) => Promise<string>
  /** Progress lines printed while the command runs (prompt retries). */
  notice?: (line: string) => void
  /** For tests: the verification's retry policy and fetch. */
  policy?: RetryPolicy
  fetch?: typeof fetch
}

/** What login() did. Holds no key. */
export interface LoginResult {
  baseUrl: ResolvedBaseUrl
  /** Where the key came from ("the command line", "WANDB_API_KEY", …). */
  keyDescription: string
  /** The account, when verified. */
  identity?: Identity
  /** The netrc update, when a new key was stored. */
  netrc?: NetrcWrite
  settingsChanges: SettingsChange[]
  /** The report to print, one line each. */
  lines: string[]
}

/** Logs in as `wandb login` does; throws a UserFacingError subclass (nothing written) on failure. */
export async function login(o: LoginOptions = {}): Promise<LoginResult> {
  const r = resolveEnvironment(o)
  if (o.cloud && o.host) throw new KeyInputError('Cannot use --host and --cloud together.')
  const host = o.cloud ? DEFAULT_BASE_URL : o.host
  const files = SettingsFiles.load(r)
  const baseUrl = resolveBaseUrl({...r, flag: host, files})
  const verify = o.verify ?? true
  const check = async (key: ResolvedApiKey) => (verify ? fetchIdentity({baseUrl: baseUrl.url, apiKey: key.apiKey, policy: o.policy, fetch: o.fetch}) : undefined)

  let key: ResolvedApiKey | undefined
  let identity: Identity | undefined
  let store = true
  if (o.key) {
    key = checkedApiKey(o.key.apiKey, 'flag', o.key.description)
    checkNetrcWritable(r)
    identity = await check(key)
  } else if (!o.relogin && (key = configuredKey(r, baseUrl, files))) {
    store = false
    identity = await check(key)
  } else {
    if (!o.prompt) throw new NoApiKeyError(baseUrl.url)
    checkNetrcWritable(r)
    ;({key, identity} = await promptForKey(o.prompt, authorizeUrlOf(baseUrl.url, r.env), check, o.notice))
  }

  if (o.entity !== undefined && identity && identity.entity !== o.entity && !identity.teams.includes(o.entity)) {
    throw new EntityNotAccessibleError(o.entity, identity.username, [identity.entity, ...identity.teams])
  }
  const netrc = store ? writeNetrcKey(baseUrl.url, key.apiKey, r) : undefined
  files.clear('anonymous', {globally: true})
  if (host) {
    if (baseUrl.url === DEFAULT_BASE_URL) files.clear('base_url', {globally: true})
    else files.set('base_url', baseUrl.url, {globally: true})
  }
  if (o.entity !== undefined) files.set('entity', o.entity, {globally: true})
  const settingsChanges = files.save()

  const lines: string[] = []
  if (!store) lines.push(`Using the API key from ${key.description} (nothing stored; \`nexus login --relogin\` enters a new key).`)
  if (netrc) lines.push(`${netrc.created ? 'Created the netrc file and stored' : 'Stored'} the API key for ${netrc.machine} in ${netrc.path}.`)
  for (const c of settingsChanges) lines.push(describeSettingsChange(c))
  if (identity) lines.push(...describeIdentity(identity, baseUrl.url))
  else if (!verify) lines.push(`The key for ${baseUrl.url} was not verified (--no-verify).`)
  return {baseUrl, keyDescription: key.description, identity, netrc, settingsChanges, lines}
}

/** The key already configured for the server (env, netrc, settings); identity tokens are refused here. */
function configuredKey(r: Environment, baseUrl: ResolvedBaseUrl, files: SettingsFiles): ResolvedApiKey | undefined {
  const found = resolveCredentials({...r, baseUrl: baseUrl.url, files})
  if (found?.kind === 'identity-token-file') {
    throw new KeyInputError(`WANDB_IDENTITY_TOKEN_FILE is set: this session uses federated identity, not an API key. Unset it to log in with a key.`)
  }
  return found
}

/** Asks until a key passes the format check and the verification, at most PROMPT_ATTEMPTS times. */
async function promptForKey(
  prompt: (url: string) => Promise<string>,
  authorizeUrl: string,
  check: (key: ResolvedApiKey) => Promise<Identity | undefined>,
  notice: ((line: string) => void) | undefined,
): Promise<{key: ResolvedApiKey; identity: Identity | undefined}> {
  let last: UserFacingError | undefined
  for (let attempt = 1; attempt <= PROMPT_ATTEMPTS; attempt++) {
    const typed = (await prompt(authorizeUrl)).trim()
    try {
      const key = checkedApiKey(typed, 'flag', 'the prompt')
      return {key, identity: await check(key)}
    } catch (err) {
      if (!(err instanceof ApiKeyFormatError || err instanceof ApiKeyRejectedError)) throw err
      last = err
      if (attempt < PROMPT_ATTEMPTS) notice?.(`${err.userText} Try again.`)
    }
  }
  throw last!
}

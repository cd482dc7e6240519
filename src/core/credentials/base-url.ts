/**
 * Which W&B server a command talks to, with the SDK's precedence (wandb_setup._load_settings):
 * an explicit URL (flag) → WANDB_BASE_URL → the workspace settings file → the global settings
 * file → the default (https://api.forge.coreweave.com). The URL is validated and normalised as
 * the SDK does (see host-url.ts).
 */
import {envValue, resolveEnvironment, type Environment} from './environment.ts'
import {DEFAULT_BASE_URL, appUrlOf, normalizeBaseUrl} from './host-url.ts'
import {SettingsFiles} from './settings-files.ts'

/** Where a base URL came from. */
export type BaseUrlSource = 'flag' | 'env' | 'workspace-settings' | 'global-settings' | 'default'

/** The server to use, normalised, with its UI URL and origin. */
export interface ResolvedBaseUrl {
  /** Normalised API URL, without trailing slash (the SDK's `HostUrl.url`). */
  url: string
  /** The UI URL (WANDB_APP_URL or derived), for printed links. */
  appUrl: string
  source: BaseUrlSource
  /** For settings sources: the file. */
  path?: string
  /** A phrase for messages: "--host", "WANDB_BASE_URL", "settings file /x", "the default". */
  description: string
}

/** Options of resolveBaseUrl: the explicit URL (e.g. `--host`) and the process context. */
export interface ResolveBaseUrlOptions extends Environment {
  flag?: string
  /** The name of the flag in messages (default "--host"). */
  flagName?: string
  /** Already loaded settings files (else they are read). */
  files?: SettingsFiles
}

/**
 * The base URL with the SDK's precedence. Throws InvalidBaseUrlError (naming the source) for a
 * URL the SDK would reject, and SettingsFileSyntaxError for a malformed settings file.
 */
export function resolveBaseUrl(o: ResolveBaseUrlOptions = {}): ResolvedBaseUrl {
  const r = resolveEnvironment(o)
  const make = (raw: string, source: BaseUrlSource, description: string, path?: string): ResolvedBaseUrl => {
    const url = normalizeBaseUrl(raw, {source: description, fromFile: path !== undefined})
    return {url, appUrl: appUrlOf(url, r.env), source, description, ...(path === undefined ? {} : {path})}
  }
  if (o.flag !== undefined && o.flag !== '') return make(o.flag, 'flag', o.flagName ?? '--host')
  const fromEnv = envValue(r.env, 'WANDB_BASE_URL')
  if (fromEnv) return make(fromEnv, 'env', 'WANDB_BASE_URL')
  const files = o.files ?? SettingsFiles.load(r)
  const file = files.sourceOf('base_url')
  if (file) {
    const source = file === files.workspace ? 'workspace-settings' : 'global-settings'
    return make(file.get('base_url')!, source, `settings file ${file.path}`, file.path)
  }
  return make(DEFAULT_BASE_URL, 'default', 'the default')
}

/**
 * The base URL the SDK's Settings hold without an explicit URL (WANDB_BASE_URL, then settings
 * files, then the default): what a settings-file `api_key` is bound to.
 */
export function settingsBaseUrl(o: Environment & {files?: SettingsFiles} = {}): string {
  return resolveBaseUrl({...o, flag: undefined}).url
}

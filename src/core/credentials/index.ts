/**
 * Credentials and the SDK's user configuration: the netrc file, the settings files, which server
 * and which key a command uses (with the SDK's precedence), login verification, and the engines
 * of `nexus login`, `nexus offline/online/disabled/enabled`. Files are read and written exactly
 * as the wandb SDK 0.31 reads and writes them, so the SDK and nexus share one login.
 */
export {checkedApiKey, resolveApiKey, resolveCredentials} from './api-key.ts'
export type {ApiKeySource, ResolveApiKeyOptions, ResolvedApiKey, ResolvedIdentityToken} from './api-key.ts'
export {resolveBaseUrl, settingsBaseUrl} from './base-url.ts'
export type {BaseUrlSource, ResolveBaseUrlOptions, ResolvedBaseUrl} from './base-url.ts'
export {resolveEnvironment} from './environment.ts'
export type {Env, Environment} from './environment.ts'
export {
  ApiKeyFormatError,
  ApiKeyRejectedError,
  CredentialsFileError,
  EntityNotAccessibleError,
  InvalidBaseUrlError,
  KeyInputError,
  NetrcSyntaxError,
  NoApiKeyError,
  ServerUnreachableError,
  SettingsFileSyntaxError,
} from './errors.ts'
export {DEFAULT_BASE_URL, appUrlOf, authorizeUrlOf, netlocOf, normalizeBaseUrl} from './host-url.ts'
export {promptHidden, readExplicitKey} from './key-input.ts'
export type {ExplicitKey, ExplicitKeyOptions, PromptInput} from './key-input.ts'
export {login} from './login.ts'
export type {LoginOptions, LoginResult} from './login.ts'
export {loginStatus} from './login-status.ts'
export type {LoginStatus, LoginStatusOptions} from './login-status.ts'
export {setWorkspaceMode} from './mode.ts'
export type {ModeCommand, ModeResult} from './mode.ts'
export {netrcPath, readNetrcKey, updateNetrcText, writeNetrcKey} from './netrc-file.ts'
export type {NetrcKey, NetrcWrite} from './netrc-file.ts'
export {parseNetrc} from './netrc-parser.ts'
export type {NetrcEntry, ParsedNetrc} from './netrc-parser.ts'
export {SettingsFile, SettingsFiles, globalSettingsPath, workspaceSettingsPath} from './settings-files.ts'
export {writeFileAtomic} from './text-files.ts'
export type {SettingsChange} from './settings-files.ts'
export {LOGIN_POLICY, fetchIdentity} from './viewer.ts'
export type {FetchIdentityOptions, Identity} from './viewer.ts'

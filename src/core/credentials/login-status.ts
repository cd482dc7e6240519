/**
 * `nexus login --status`: which server, where its key comes from, and (verified with a Viewer
 * query unless verify is false) whose account it is. The key itself is never printed.
 */
import type {RetryPolicy} from '../api/index.ts'
import {UserFacingError} from '../errors.ts'
import {resolveCredentials} from './api-key.ts'
import {resolveBaseUrl} from './base-url.ts'
import {NoApiKeyError} from './errors.ts'
import {resolveEnvironment, type Environment} from './environment.ts'
import {describeIdentity} from './report.ts'
import {SettingsFiles} from './settings-files.ts'
import {fetchIdentity, type Identity} from './viewer.ts'

/** Options of loginStatus. */
export interface LoginStatusOptions extends Environment {
  /** --host: ask about this server instead of the configured one. */
  host?: string
  /** Ask the server whose key it is (default true). */
  verify?: boolean
  policy?: RetryPolicy
  fetch?: typeof fetch
}

/** The status report; `problem` (no key, key rejected, server unreachable) is set when not logged in. */
export interface LoginStatus {
  lines: string[]
  problem?: UserFacingError
  baseUrl: string
  /** Where the credentials come from; undefined when there are none. */
  credentials?: string
  /** The account, when the server confirmed the key. */
  identity?: Identity
}

/**
 * Reports the login state for the server. Configuration errors (malformed files, a bad URL or key
 * format) are thrown; the outcome of asking the server is returned as `problem`.
 */
export async function loginStatus(o: LoginStatusOptions = {}): Promise<LoginStatus> {
  const r = resolveEnvironment(o)
  const files = SettingsFiles.load(r)
  const baseUrl = resolveBaseUrl({...r, flag: o.host, files})
  const lines = [`Server: ${baseUrl.url} (from ${baseUrl.description})`]
  const creds = resolveCredentials({...r, baseUrl: baseUrl.url, files})
  if (!creds) {
    lines.push('API key: none configured')
    return {lines, problem: new NoApiKeyError(baseUrl.url), baseUrl: baseUrl.url}
  }
  if (creds.kind === 'identity-token-file') {
    lines.push(`Credentials: federated identity token ${creds.path} (from WANDB_IDENTITY_TOKEN_FILE; not checked by nexus)`)
    return {lines, baseUrl: baseUrl.url, credentials: 'WANDB_IDENTITY_TOKEN_FILE'}
  }
  lines.push(`API key: from ${creds.description}`)
  const base = {baseUrl: baseUrl.url, credentials: creds.description}
  if (o.verify === false) {
    lines.push('Not verified (--no-verify).')
    return {lines, ...base}
  }
  try {
    const identity = await fetchIdentity({baseUrl: baseUrl.url, apiKey: creds.apiKey, policy: o.policy, fetch: o.fetch})
    lines.push(...describeIdentity(identity, baseUrl.url))
    return {lines, ...base, identity}
  } catch (err) {
    if (err instanceof UserFacingError) return {lines, problem: err, ...base}
    throw err
  }
}

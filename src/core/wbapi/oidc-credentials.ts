import {readFileSync} from 'node:fs'
import {readFile} from 'node:fs/promises'
import {HttpClient, retryMostFailures, type RetryPolicy, type Transport} from '../api/index.ts'
import {HttpError, WandbError, errorMessage} from '../errors.ts'
import type {Logger} from '../observability/index.ts'
import {abortable} from './abortable.ts'
import {readCredentialsFile, saveToken, tokenFor, type AccessToken} from './credentials-file.ts'
import {IdentityTokenError, TokenExchangeError} from './errors.ts'

/** A token this close to expiry is replaced before use. */
const REFRESH_MARGIN_MS = 5 * 60_000
/** One exchange, retries included, never takes longer. */
const EXCHANGE_DEADLINE_MS = 60_000

/** The exchange retries 429 and 5xx, never a rejection (another 4xx): 3 retries, 1–5 s, 10 s per attempt. */
export const TOKEN_EXCHANGE_POLICY: RetryPolicy = {
  name: 'token-exchange',
  maxRetries: 3,
  waitMinMs: 1000,
  waitMaxMs: 5000,
  timeoutMs: 10_000,
  retryStatus: (s) => !(s >= 400 && s < 500 && s !== 429) && retryMostFailures(s),
}

export interface OidcCredentialsOptions {
  /** The W&B server; also the key of the token in the credentials file. */
  baseUrl: string
  identityTokenFile: string
  /** Where tokens are cached; '' for no cache file. */
  credentialsFile: string
  /** Sent with the exchange (x_extra_http_headers, lower-case names). */
  headers: Record<string, string>
  logger: Logger
  /** Proxies and TLS (default: the environment's). */
  transport?: Transport
  fetch?: typeof fetch
  now?: () => number
}

/**
 * Federated identity (identity_token_file): exchanges the identity token (a JWT, re-read for each
 * exchange) for an access token at `POST {base}/oidc/token` (RFC 7523 JWT bearer grant), caches
 * it in memory and in the credentials file, and replaces it when under 5 minutes remain.
 * Concurrent callers share one exchange. Tokens never reach a log.
 */
export class OidcCredentials {
  readonly #o: OidcCredentialsOptions
  readonly #http: HttpClient
  readonly #now: () => number
  #token: AccessToken | undefined
  #refreshing: Promise<AccessToken> | undefined

  /** Throws IdentityTokenError at once when the identity token file cannot be read. */
  constructor(o: OidcCredentialsOptions) {
    this.#o = o
    this.#now = o.now ?? Date.now
    this.#http = new HttpClient({baseUrl: o.baseUrl, logger: o.logger, transport: o.transport, fetch: o.fetch})
    try {
      readFileSync(o.identityTokenFile)
    } catch (err) {
      throw new IdentityTokenError(`wbapi: failed to read identity token file: ${errorMessage(err)}`, {cause: err})
    }
  }

  /** A valid access token. Rejects with the exchange's failure, or when `signal` aborts. */
  async accessToken(signal?: AbortSignal): Promise<string> {
    if (this.#token && !this.#expiring(this.#token)) return this.#token.accessToken
    this.#refreshing ??= this.#refresh().finally(() => (this.#refreshing = undefined))
    return (await abortable(this.#refreshing, signal)).accessToken
  }

  #expiring(token: AccessToken): boolean {
    return token.expiresAt - this.#now() <= REFRESH_MARGIN_MS
  }

  async #refresh(): Promise<AccessToken> {
    const {credentialsFile, baseUrl, logger} = this.#o
    const stored = credentialsFile ? await readCredentialsFile(credentialsFile) : undefined
    const cached = tokenFor(stored, baseUrl)
    if (cached && !this.#expiring(cached)) return (this.#token = cached)
    let token: AccessToken
    try {
      token = await this.#exchange()
    } catch (err) {
      throw new WandbError(`wbapi: couldn't fetch access token: ${errorMessage(err)}`, {cause: err})
    }
    this.#token = token
    if (credentialsFile) {
      await saveToken(credentialsFile, stored, baseUrl, token).catch((err) => logger.warn('wbapi: failed to write the credentials file', {path: credentialsFile, error: errorMessage(err)}))
    }
    return token
  }

  async #exchange(): Promise<AccessToken> {
    let identityToken: string
    try {
      identityToken = (await readFile(this.#o.identityTokenFile, 'utf8')).trim()
    } catch (err) {
      throw new IdentityTokenError(`wbapi: failed to read identity token file: ${errorMessage(err)}`, {cause: err})
    }
    const policy = TOKEN_EXCHANGE_POLICY
    let status: number
    let body: string
    try {
      const res = await this.#http.send({
        method: 'POST',
        url: this.#http.url('oidc/token'),
        headers: {...this.#o.headers, 'content-type': 'application/x-www-form-urlencoded'},
        body: `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=${encodeURIComponent(identityToken)}`,
        policy,
        signal: AbortSignal.timeout(EXCHANGE_DEADLINE_MS),
        auth: false,
        acceptStatus: (s) => !policy.retryStatus(s),
      })
      status = res.status
      body = await res.text()
    } catch (err) {
      if (!(err instanceof HttpError)) throw err
      throw new TokenExchangeError(err.status, err.bodySnippet, {cause: err})
    }
    if (status !== 200) throw new TokenExchangeError(status, body)
    const parsed = JSON.parse(body) as {access_token?: unknown; expires_in?: unknown}
    if (typeof parsed.access_token !== 'string') throw new WandbError('wbapi: the token endpoint answered without an access_token')
    const expiresIn = typeof parsed.expires_in === 'number' ? parsed.expires_in : 0
    return {accessToken: parsed.access_token, expiresAt: this.#now() + Math.trunc(expiresIn) * 1000}
  }
}

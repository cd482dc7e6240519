import ky, {HTTPError, TimeoutError as KyTimeoutError, type Options} from 'ky'
import {HttpError, NetworkError, TimeoutError, WandbError, redactUrl} from '../errors.ts'
import type {Logger} from '../observability/index.ts'
import {currentOperation} from '../operations/index.ts'
import {NEXUS_VERSION} from '../version.ts'
import type {NetworkPeeker} from './network-peeker.ts'
import {backoffMs, type RetryPolicy} from './retry-policy.ts'
import {Transport} from './transport.ts'
import {TlsError, TransportError, tlsFailureCode} from './transport-errors.ts'

/** Bun's fetch reports connection failures as TypeError with one of these codes; ky does not know them. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ConnectionRefused', 'ConnectionClosed', 'FailedToOpenSocket'])

type RetryMethods = NonNullable<Exclude<Options['retry'], number | undefined>['methods']>
const ALL_METHODS: RetryMethods = ['get', 'put', 'post', 'head', 'delete', 'options', 'trace', 'patch']

export interface HttpClientOptions {
  /** The W&B server; credentials are only ever sent to URLs under it. */
  baseUrl: string
  /** Value of the Authorization header, or undefined for none. Called per attempt. */
  authorization?: () => Promise<string | undefined> | string | undefined
  /** Headers added to every request (setting x_extra_http_headers); never override ones already set. */
  extraHeaders?: Record<string, string>
  logger: Logger
  peeker?: NetworkPeeker
  /**
   * Proxies and TLS for every request (settings http_proxy/https_proxy, HTTP(S)_PROXY/NO_PROXY,
   * Proxy-Authorization, insecure_disable_ssl, CA bundles). Default: Transport.fromEnv(), the
   * CLI's; a run's clients pass Transport.fromSettings(settings).
   */
  transport?: Transport
  /** For tests: replaces globalThis.fetch. */
  fetch?: typeof fetch
}

export interface SendOptions {
  method: 'GET' | 'POST' | 'PUT' | 'HEAD' | 'DELETE'
  url: string
  policy: RetryPolicy
  headers?: Record<string, string>
  body?: BodyInit
  json?: unknown
  signal?: AbortSignal
  /** Send credentials (only honoured for URLs under the base URL). Default true. */
  auth?: boolean
  /** Statuses the caller handles itself instead of an HttpError (e.g. 404 meaning "absent"). */
  acceptStatus?: (status: number) => boolean
}

/**
 * The one HTTP stack of nexus (on ky): default headers, credentials limited to the base URL,
 * retries with Go core's backoff and the server's Retry-After, per-attempt timeouts, a peeker for
 * failed responses, and errors classified as HttpError / NetworkError / TimeoutError.
 * Safe to use concurrently. Aborting `signal` stops waits and requests at once.
 */
export class HttpClient {
  readonly baseUrl: URL
  readonly transport: Transport
  readonly #opts: HttpClientOptions

  /** Throws TransportError when no transport is given and the environment's settings are malformed. */
  constructor(opts: HttpClientOptions) {
    this.baseUrl = new URL(opts.baseUrl.replace(/\/+$/, '') + '/')
    this.transport = opts.transport ?? Transport.fromEnv()
    this.#opts = opts
  }

  /** True if `url` shares scheme, host:port and path prefix with the base URL. */
  isUnderBase(url: string): boolean {
    try {
      const u = new URL(url)
      return u.protocol === this.baseUrl.protocol && u.host === this.baseUrl.host && u.pathname.startsWith(this.baseUrl.pathname)
    } catch {
      return false
    }
  }

  /** Resolves `path` (e.g. "graphql") against the base URL, keeping any path prefix. */
  url(path: string): string {
    return new URL(path.replace(/^\/+/, ''), this.baseUrl).toString()
  }

  /** Sends a request, retrying as `policy` says; resolves with a 2xx (or accepted) response. */
  async send(o: SendOptions): Promise<Response> {
    const {policy, logger} = {policy: o.policy, logger: this.#opts.logger}
    const retryable = retryableStatuses(policy)
    // Precedence: the request's own headers, then extra headers (x_extra_http_headers, where the
    // SDK puts its User-Agent), then our default User-Agent.
    const headers: Record<string, string> = {...o.headers}
    const has = (name: string) => Object.keys(headers).some((h) => h.toLowerCase() === name.toLowerCase())
    for (const [k, v] of Object.entries(this.#opts.extraHeaders ?? {})) if (!has(k)) headers[k] = v
    if (!has('user-agent')) headers['user-agent'] = `wandb-core nexus/${NEXUS_VERSION}`
    const withAuth = (o.auth ?? true) && this.isUnderBase(o.url)
    const peeker = this.#opts.peeker
    let route: ReturnType<Transport['forUrl']> | undefined
    try {
      route = this.transport.forUrl(o.url)
      // The proxy's credential goes to the proxy only (Transport puts it on the CONNECT or the proxy request).
      if (route.proxy) for (const k of Object.keys(headers)) if (k.toLowerCase() === 'proxy-authorization') delete headers[k]
      return await ky(o.url, {
        ...route.options,
        method: o.method,
        headers,
        body: o.body,
        json: o.json,
        signal: o.signal,
        timeout: policy.timeoutMs,
        fetch: this.#opts.fetch,
        throwHttpErrors: (status) => !(o.acceptStatus?.(status) ?? false),
        retry: {
          limit: policy.maxRetries,
          methods: ALL_METHODS,
          statusCodes: retryable,
          afterStatusCodes: retryable,
          maxRetryAfter: Number.POSITIVE_INFINITY,
          delay: (attempt) => backoffMs(policy, attempt - 1),
          retryOnTimeout: true,
          shouldRetry: ({error}) => {
            reportRetry(error, retryable)
            if (error instanceof HTTPError || error instanceof KyTimeoutError) return undefined
            if (tlsFailureCode(error)) return false
            return isNetworkFailure(error) ? true : undefined
          },
        },
        hooks: {
          beforeRequest: [
            async ({request}) => {
              if (!withAuth || !this.#opts.authorization) return
              const value = await this.#opts.authorization()
              if (value) request.headers.set('authorization', value)
            },
          ],
          beforeRetry: [
            ({error, retryCount}) => {
              logger.debug('http: retrying', {url: redactUrl(o.url), attempt: retryCount, error: redactUrl(String(error))})
            },
          ],
          afterResponse: [
            async ({response}) => {
              if (response.status >= 400 && peeker) {
                const text = await response
                  .clone()
                  .text()
                  .catch(() => '')
                peeker.record(response.status, text)
              }
            },
          ],
        },
      })
    } catch (err) {
      throw await classify(err, o, route?.proxy?.source)
    } finally {
      // Go clears the operation's error status when the (retried) request ends, however it ended.
      currentOperation()?.clearError()
    }
  }
}

/**
 * Marks the calling operation (see operations' withOperation) as retrying, as Go's retry logging
 * does ("retrying HTTP 503: …", "retrying: <error>"). ky asks shouldRetry only while retries are
 * left, before its back-off wait, so the status shows during the wait; send() clears it.
 */
function reportRetry(error: unknown, retryable: number[]): void {
  const op = currentOperation()
  if (!op) return
  if (error instanceof HTTPError) {
    if (retryable.includes(error.response.status)) op.markRetryingHttp(error.response.status, error.response.statusText, (error as {data?: unknown}).data)
  } else if (error instanceof KyTimeoutError || (error as Error)?.name === 'NetworkError' || isNetworkFailure(error)) {
    op.markRetryingError(error)
  }
}

/** 407 is the proxy asking for other credentials: retrying cannot change them, whatever the policy. */
const PROXY_AUTH_REQUIRED = 407

function retryableStatuses(policy: RetryPolicy): number[] {
  const out: number[] = []
  for (let s = 400; s < 600; s++) if (s !== PROXY_AUTH_REQUIRED && policy.retryStatus(s)) out.push(s)
  return out
}

function isNetworkFailure(err: unknown): boolean {
  const code = (err as {code?: string})?.code
  if (code && NETWORK_CODES.has(code)) return true
  // A proxy that refused the tunnel: retried like a refused connection, unless it wants credentials.
  if (code === 'ERR_PROXY_TUNNEL') return !/\b407\b/.test((err as Error).message)
  return err instanceof TypeError && /unable to connect|socket|network|fetch failed|connection/i.test(err.message)
}

async function classify(err: unknown, o: SendOptions, proxy: string | undefined): Promise<Error> {
  if (err instanceof TransportError) return err
  if (err instanceof HTTPError) {
    const data = (err as {data?: unknown}).data
    const body = typeof data === 'string' ? data : data !== undefined ? JSON.stringify(data) : await err.response.text().catch(() => '')
    if (err.response.status === PROXY_AUTH_REQUIRED && proxy && !body.trim()) {
      const text = `the proxy (${proxy}) answered 407 Proxy Authentication Required: check the Proxy-Authorization header in x_extra_http_headers or the credentials in the proxy URL`
      return new HttpError(PROXY_AUTH_REQUIRED, o.url, text, {cause: err})
    }
    return new HttpError(err.response.status, o.url, body, {cause: err})
  }
  if (err instanceof KyTimeoutError) return new TimeoutError(`http: ${o.method} ${redactUrl(o.url)} timed out`, {cause: err})
  if (o.signal?.aborted) return o.signal.reason instanceof Error ? o.signal.reason : new WandbError('http: aborted', {cause: err})
  const tls = tlsFailureCode(err)
  if (tls) return new TlsError(o.method, o.url, tls, (err as Error).message, {cause: err})
  const via = proxy ? ` (through the proxy from ${proxy})` : ''
  if (isNetworkFailure(err) || (err as {code?: string})?.code === 'ERR_PROXY_TUNNEL')
    return new NetworkError(`http: ${o.method} ${redactUrl(o.url)} failed${via}: ${(err as Error).message}`, {cause: err})
  return err instanceof Error ? err : new WandbError(String(err))
}

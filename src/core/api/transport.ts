import {rootCertificates} from 'node:tls'
import {loadCaBundle} from './ca-bundle.ts'
import {NoProxy} from './no-proxy.ts'
import {TransportError} from './transport-errors.ts'

/** The environment a Transport reads (process.env by default). */
export type TransportEnv = Readonly<Record<string, string | undefined>>

/** What a Transport is resolved from: the SDK's settings (or their WANDB_* variables) and the environment. */
export interface TransportConfig {
  /** Setting http_proxy: the proxy for http:// W&B requests; wins over HTTP_PROXY and ignores NO_PROXY. */
  httpProxy?: string
  /** Setting https_proxy: the proxy for https:// W&B requests; wins over HTTPS_PROXY and ignores NO_PROXY. */
  httpsProxy?: string
  /** Setting x_extra_http_headers: its Proxy-Authorization (any case) is sent to the proxy. */
  extraHeaders?: Record<string, string>
  /** Setting insecure_disable_ssl: accept any server certificate. */
  insecureDisableSsl?: boolean
  /** HTTP_PROXY, HTTPS_PROXY, NO_PROXY (or lower case), REQUEST_METHOD, SSL_CERT_FILE, SSL_CERT_DIR, REQUESTS_CA_BUNDLE. */
  env?: TransportEnv
}

/** The settings accessors Transport.fromSettings reads (RunSettings has them). */
export interface TransportSettings {
  readonly httpProxy: string
  readonly httpsProxy: string
  readonly insecureDisableSsl: boolean
  readonly extraHttpHeaders: Record<string, string>
}

/** The proxy a request goes through. */
export interface ProxyRoute {
  /** The proxy's URL, credentials included. */
  url: URL
  /** Where it was configured: "setting https_proxy", "HTTPS_PROXY", "http_proxy" (the variable). */
  source: string
}

/** TLS options for Bun's fetch. */
export interface TransportTls {
  rejectUnauthorized?: boolean
  ca?: string[]
}

/** The extra options a fetch of one URL takes (Bun's `proxy` and `tls`), and the route they encode. */
export interface TransportRequest {
  /** Bun fetch options: `proxy` is always set (false = direct), so Bun never applies its own proxy variables. */
  options: {proxy: false | {url: string; headers?: Record<string, string>; respectNoProxy: false}; tls?: TransportTls}
  /** The proxy used, if any. */
  proxy?: ProxyRoute
}

/** A configured proxy: its URL, or why it cannot be used (reported when a request needs it). */
interface ProxySpec {
  source: string
  url?: URL
  error?: TransportError
}

/**
 * How nexus reaches the W&B server, as Go wandb-core 0.31 does (settings.GetProxyFn,
 * GetProxyConnectHeader, IsInsecureDisableSSL): resolved once from settings and the environment,
 * then asked per request. Immutable and safe to share.
 * - Proxy: the setting http_proxy / https_proxy for URLs of that scheme (NO_PROXY not consulted),
 *   otherwise HTTP_PROXY / HTTPS_PROXY (upper case first) with Go's NO_PROXY rules (NoProxy).
 * - Proxy-Authorization: for https targets it goes on the CONNECT; credentials in the proxy URL win
 *   over x_extra_http_headers there, while for http targets the header wins over the URL's.
 * - TLS: insecure_disable_ssl skips verification; SSL_CERT_FILE / SSL_CERT_DIR / REQUESTS_CA_BUNDLE
 *   add their certificates to Bun's root store.
 * Configuration errors (a proxy URL that does not parse, an unreadable CA bundle) throw
 * TransportError from `forUrl`, only for the requests they concern (as Go fails those requests).
 */
export class Transport {
  readonly #settingsProxy: {http?: ProxySpec; https?: ProxySpec}
  readonly #envProxy: {http?: ProxySpec; https?: ProxySpec}
  readonly #noProxy: NoProxy
  readonly #proxyAuthorization: string | undefined
  readonly #tls: TransportTls | undefined
  readonly #tlsError: TransportError | undefined
  readonly #caSources: string[]

  private constructor(c: TransportConfig) {
    const env = c.env ?? {}
    this.#settingsProxy = {
      http: c.httpProxy ? settingProxy('http_proxy', c.httpProxy) : undefined,
      https: c.httpsProxy ? settingProxy('https_proxy', c.httpsProxy) : undefined,
    }
    const httpEnv = firstSet(env, 'HTTP_PROXY', 'http_proxy')
    const httpsEnv = firstSet(env, 'HTTPS_PROXY', 'https_proxy')
    this.#envProxy = {
      http: httpEnv ? envProxy(httpEnv[0], httpEnv[1], Boolean(env.REQUEST_METHOD)) : undefined,
      https: httpsEnv ? envProxy(httpsEnv[0], httpsEnv[1], false) : undefined,
    }
    this.#noProxy = NoProxy.parse(firstSet(env, 'NO_PROXY', 'no_proxy')?.[1] ?? '')
    const auth = Object.entries(c.extraHeaders ?? {}).find(([k, v]) => k.toLowerCase() === 'proxy-authorization' && v !== '')
    this.#proxyAuthorization = auth?.[1]
    let tls: TransportTls | undefined
    let tlsError: TransportError | undefined
    let caSources: string[] = []
    if (c.insecureDisableSsl) {
      tls = {rejectUnauthorized: false}
    } else {
      try {
        const bundle = loadCaBundle(env)
        if (bundle) {
          tls = {ca: [...rootCertificates, ...bundle.certificates]}
          caSources = bundle.sources
        }
      } catch (err) {
        tlsError = err as TransportError
      }
    }
    this.#tls = tls
    this.#tlsError = tlsError
    this.#caSources = caSources
  }

  /** From explicit values (tests, or callers that hold their own settings). */
  static fromConfig(c: TransportConfig): Transport {
    return new Transport(c)
  }

  /**
   * The CLI's transport: the settings from their WANDB_* variables as the SDK maps them
   * (WANDB_HTTP_PROXY, WANDB_HTTPS_PROXY, WANDB_INSECURE_DISABLE_SSL, WANDB_X_EXTRA_HTTP_HEADERS or
   * WANDB__EXTRA_HTTP_HEADERS as JSON), plus the environment's proxies and CA bundles.
   * Throws TransportError for a malformed WANDB_INSECURE_DISABLE_SSL or extra-headers value.
   */
  static fromEnv(env: TransportEnv = process.env): Transport {
    return new Transport({...settingsFromEnv(env), env})
  }

  /**
   * A run's (or api_init's) transport: its settings, where set, else their WANDB_* variables (a
   * replayed run's settings are built by nexus, not the SDK), plus the environment.
   */
  static fromSettings(s: TransportSettings, env: TransportEnv = process.env): Transport {
    let fallback: Omit<TransportConfig, 'env'>
    try {
      fallback = settingsFromEnv(env)
    } catch {
      fallback = {} // the SDK validated the settings it sent; a malformed variable only loses the fallback
    }
    return new Transport({
      httpProxy: s.httpProxy || fallback.httpProxy,
      httpsProxy: s.httpsProxy || fallback.httpsProxy,
      insecureDisableSsl: s.insecureDisableSsl || fallback.insecureDisableSsl,
      extraHeaders: Object.keys(s.extraHttpHeaders).length > 0 ? s.extraHttpHeaders : fallback.extraHeaders,
      env,
    })
  }

  /** The proxy for `url`, or undefined to go direct. Throws TransportError if the configured proxy is unusable. */
  proxyFor(url: string | URL): ProxyRoute | undefined {
    const target = typeof url === 'string' ? new URL(url) : url
    const scheme = target.protocol === 'https:' ? 'https' : target.protocol === 'http:' ? 'http' : undefined
    if (!scheme) return undefined
    let spec = this.#settingsProxy[scheme]
    if (!spec) {
      spec = this.#envProxy[scheme]
      if (!spec || this.#noProxy.bypasses(target)) return undefined
    }
    if (spec.error) throw spec.error
    return {url: spec.url!, source: spec.source}
  }

  /** The fetch options for one request to `url`. Throws TransportError for an unusable configuration. */
  forUrl(url: string | URL): TransportRequest {
    const target = typeof url === 'string' ? new URL(url) : url
    const proxy = this.proxyFor(target)
    if (this.#tlsError && (target.protocol === 'https:' || proxy?.url.protocol === 'https:')) throw this.#tlsError
    // TLS options only where TLS is spoken (an https target or an https proxy): a CA list on a
    // plain-http request still costs Bun a TLS context per request
    const tls = target.protocol === 'https:' || proxy?.url.protocol === 'https:' ? this.#tls : undefined
    if (!proxy) return {options: tls ? {proxy: false, tls} : {proxy: false}}
    const bare = new URL(proxy.url)
    bare.username = ''
    bare.password = ''
    const auth = proxyAuthorization(proxy.url, target, this.#proxyAuthorization)
    const options: TransportRequest['options'] = {proxy: {url: bare.href, ...(auth ? {headers: {'Proxy-Authorization': auth}} : {}), respectNoProxy: false}}
    if (tls) options.tls = tls
    return {options, proxy}
  }

  /** What this transport does, for a debug log: proxies (credentials redacted), TLS mode, CA sources. */
  describe(): Record<string, string> {
    const out: Record<string, string> = {}
    const show = (spec: ProxySpec | undefined) => (spec?.url ? redactProxy(spec.url.href) : spec?.error ? 'invalid' : undefined)
    for (const [key, spec] of [
      ['http_proxy', this.#settingsProxy.http],
      ['https_proxy', this.#settingsProxy.https],
      ['env_http_proxy', this.#envProxy.http],
      ['env_https_proxy', this.#envProxy.https],
    ] as const) {
      const shown = show(spec)
      if (shown) out[key] = shown
    }
    if (this.#proxyAuthorization) out.proxy_authorization = 'set'
    if (this.#tls?.rejectUnauthorized === false) out.tls = 'insecure (verification off)'
    else if (this.#caSources.length > 0) out.tls = `extra CAs: ${this.#caSources.join(', ')}`
    return out
  }
}

/** A proxy URL (or raw value) without its credentials, for messages and logs. */
export function redactProxy(raw: string): string {
  return raw.replace(/^([a-z][a-z0-9+.-]*:\/\/)?[^/@\s]*@/i, (_, scheme: string | undefined) => `${scheme ?? ''}***@`)
}

/** The value of the first of `names` that is set and not empty, with its name (Go's getEnvAny). */
function firstSet(env: TransportEnv, ...names: string[]): [string, string] | undefined {
  for (const name of names) {
    const value = env[name]
    if (value) return [name, value]
  }
  return undefined
}

const PROXY_SCHEMES = new Set(['http:', 'https:'])

function checkScheme(source: string, raw: string, url: URL): ProxySpec {
  if (PROXY_SCHEMES.has(url.protocol)) return {source, url}
  const scheme = url.protocol.replace(/:$/, '')
  return {
    source,
    error: new TransportError(
      `${source}: unsupported proxy scheme ${scheme}`,
      `The proxy ${redactProxy(raw)} (${source}) uses ${scheme}://, which nexus cannot use: give an http:// or https:// proxy.`,
    ),
  }
}

/** A setting's proxy: a URL as the SDK validated it (Go: url.Parse). */
function settingProxy(name: string, raw: string): ProxySpec {
  const source = `setting ${name}`
  try {
    return checkScheme(source, raw, new URL(raw))
  } catch (err) {
    return {source, error: new TransportError(`${source}: invalid proxy URL`, `The proxy ${redactProxy(raw)} (${source}) is not a URL: give http://host:port.`, {cause: err})}
  }
}

/**
 * An environment proxy, read as Go reads it: a value without a scheme ("proxy:3128") means
 * http://. `cgi` refuses HTTP_PROXY when REQUEST_METHOD is set (Go's httpoxy protection).
 */
function envProxy(name: string, raw: string, cgi: boolean): ProxySpec {
  if (cgi) {
    return {
      source: name,
      error: new TransportError(
        `refusing ${name} in a CGI environment`,
        `${name} is set, but so is REQUEST_METHOD (a CGI environment), where ${name} could come from a request header; nexus refuses it, as Go does.`,
      ),
    }
  }
  let url: URL | undefined
  try {
    url = new URL(raw)
  } catch {
    url = undefined
  }
  if (!url?.host) {
    try {
      url = new URL(`http://${raw}`)
    } catch (err) {
      return {source: name, error: new TransportError(`${name}: invalid proxy URL`, `${name}=${redactProxy(raw)} is not a proxy URL: give http://host:port.`, {cause: err})}
    }
  }
  return checkScheme(name, raw, url)
}

/**
 * The Proxy-Authorization sent to the proxy, Go's precedence: on a CONNECT (https target) the proxy
 * URL's credentials win over the header from x_extra_http_headers; for an http target the
 * request's header (from x_extra_http_headers) wins over the URL's.
 */
function proxyAuthorization(proxy: URL, target: URL, header: string | undefined): string | undefined {
  const fromUrl = proxy.username || proxy.password ? `Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}` : undefined
  return target.protocol === 'https:' ? (fromUrl ?? header) : (header ?? fromUrl)
}

const TRUE = new Set(['1', 'true', 't', 'yes', 'y', 'on'])
const FALSE = new Set(['0', 'false', 'f', 'no', 'n', 'off', ''])

/** The transport's settings from their WANDB_* variables, as the SDK's Settings reads them. */
function settingsFromEnv(env: TransportEnv): Omit<TransportConfig, 'env'> {
  const insecure = env.WANDB_INSECURE_DISABLE_SSL?.trim().toLowerCase()
  if (insecure !== undefined && !TRUE.has(insecure) && !FALSE.has(insecure)) {
    throw new TransportError(`WANDB_INSECURE_DISABLE_SSL=${insecure}: not a boolean`, `WANDB_INSECURE_DISABLE_SSL must be true or false, not "${env.WANDB_INSECURE_DISABLE_SSL}".`)
  }
  const headersVar = env.WANDB_X_EXTRA_HTTP_HEADERS ? 'WANDB_X_EXTRA_HTTP_HEADERS' : env.WANDB__EXTRA_HTTP_HEADERS ? 'WANDB__EXTRA_HTTP_HEADERS' : undefined
  return {
    httpProxy: env.WANDB_HTTP_PROXY?.replace(/\/+$/, '') || undefined,
    httpsProxy: env.WANDB_HTTPS_PROXY?.replace(/\/+$/, '') || undefined,
    insecureDisableSsl: insecure !== undefined && TRUE.has(insecure),
    extraHeaders: headersVar ? parseHeaders(headersVar, env[headersVar]!) : undefined,
  }
}

function parseHeaders(name: string, raw: string): Record<string, string> {
  let value: unknown
  try {
    value = JSON.parse(raw)
  } catch (err) {
    throw new TransportError(`${name}: not JSON`, `${name} must be a JSON object of header names to values, e.g. {"Proxy-Authorization": "Basic …"}.`, {cause: err})
  }
  if (!value || typeof value !== 'object' || Array.isArray(value) || Object.values(value).some((v) => typeof v !== 'string')) {
    throw new TransportError(`${name}: not an object of strings`, `${name} must be a JSON object of header names to string values, e.g. {"Proxy-Authorization": "Basic …"}.`)
  }
  return value as Record<string, string>
}

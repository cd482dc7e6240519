/**
 * W&B server URLs as the 0.31 SDK validates and normalises them (wandb/sdk/lib/wbauth/host_url.py,
 * wandb/sdk/lib/urls.py, wandb/util.py::api_to_app_url), and the netrc machine name of a URL
 * (Python's `urlsplit(url).netloc`, port included, spelled as given).
 */
import {InvalidBaseUrlError} from './errors.ts'
import {envValue, type Env} from './environment.ts'

/** The SDK's default server (0.31: the CoreWeave Forge proxy of W&B cloud). */
export const DEFAULT_BASE_URL = 'https://api.forge.coreweave.com'

/** Forge host → the W&B API host behind it (urls.FORGE_HOSTS). */
const FORGE_HOSTS: Readonly<Record<string, string>> = {
  'forge.coreweave.com': 'api.wandb.ai',
  'qa.forge.coreweave.com': 'api.qa.wandb.ai',
}
const FORGE_API_PATH = '/api/wandb'
const FORGE_APP_PATH = '/wandb'

/** Python's `urlsplit(url).netloc`: everything between `//` and the first `/`, `?` or `#`. */
export function netlocOf(url: string): string {
  const m = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)/.exec(url)
  return m ? m[1] : ''
}

/** The lower-cased host name without port or user info (Python's `urlsplit(url).hostname`). */
function hostnameOf(url: string): string {
  const netloc = netlocOf(url)
  const host = netloc.slice(netloc.lastIndexOf('@') + 1)
  if (host.startsWith('[')) return host.slice(1, host.indexOf(']')).toLowerCase()
  const colon = host.indexOf(':')
  return (colon >= 0 ? host.slice(0, colon) : host).toLowerCase()
}

/**
 * Validates a server URL and returns it normalised, exactly as `HostUrl(url).url` does: http(s)
 * only, a Forge proxy address (`https://forge.coreweave.com/api/wandb`) mapped to its `api.` host,
 * wandb.ai hosts must be `api.` over https, trailing slashes removed. Throws InvalidBaseUrlError
 * (`source` names where the URL came from; `fromFile` makes it a local-file error).
 */
export function normalizeBaseUrl(input: string, o: {source?: string; fromFile?: boolean} = {}): string {
  const fail = (reason: string, cause?: unknown) => new InvalidBaseUrlError(input, reason, {...o, cause})
  const url = input.trim()
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch (err) {
    throw fail('it is not a URL (expected something like https://wandb.example.com)', err)
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw fail('only http and https URLs are supported')
  if (parsed.hostname === '' || !/^https?:\/\/[^/?#]/i.test(url)) throw fail('the URL has no host')
  let normalized = url
  const host = hostnameOf(url)
  if (host in FORGE_HOSTS) {
    const isProxy = parsed.protocol === 'https:' && parsed.port === '' && !/:\d*$/.test(netlocOf(url)) && parsed.pathname.replace(/\/+$/, '') === FORGE_API_PATH
    if (!isProxy) throw fail(`invalid Forge server address; use https://api.${host}`)
    normalized = `https://api.${host}`
  }
  if (/^.*wandb\.ai[^.]*$/.test(normalized)) {
    if (!normalized.includes('api.')) throw fail(`did you mean ${DEFAULT_BASE_URL}?`)
    if (!normalized.startsWith('https')) throw fail(`http is not secure, please use ${DEFAULT_BASE_URL}`)
  }
  return normalized.replace(/\/+$/, '')
}

/** The Forge host serving the W&B deployment at `url`, if any (urls.forge_host). */
function forgeHost(url: string): string | undefined {
  const host = hostnameOf(url)
  for (const [forge, api] of Object.entries(FORGE_HOSTS)) if (host === forge || host === `api.${forge}` || host === api) return forge
  return undefined
}

/**
 * The W&B API URL behind a Forge URL, or the URL itself (urls.forge_upstream_url). The SDK looks
 * the upstream's netrc entry up when the Forge host has none (so old `api.wandb.ai` keys work).
 */
export function forgeUpstreamUrl(url: string): string {
  const forge = forgeHost(url)
  return forge ? `https://${FORGE_HOSTS[forge]}` : url
}

/** The UI URL for a normalised base URL: WANDB_APP_URL, else derived (util.api_to_app_url). */
export function appUrlOf(baseUrl: string, env: Env = {}): string {
  const override = envValue(env, 'WANDB_APP_URL')
  if (override) return override.replace(/\/+$/, '')
  const forge = forgeHost(baseUrl)
  if (forge) return `https://${forge}${FORGE_APP_PATH}`
  const strip = (s: string) => s.replace(/^\/+|\/+$/g, '')
  if (baseUrl.includes('://api.wandb.test')) return strip(baseUrl.replaceAll('://api.', '://app.'))
  if (baseUrl.includes('://api.wandb.')) return strip(baseUrl.replaceAll('://api.', '://'))
  if (baseUrl.includes('://api.')) return strip(baseUrl.replaceAll('://api.', '://app.'))
  return baseUrl
}

/** The page where a user creates an API key for the server at `baseUrl`. */
export function authorizeUrlOf(baseUrl: string, env: Env = {}): string {
  return `${appUrlOf(baseUrl, env)}/authorize`
}

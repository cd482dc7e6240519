import {errorMessage} from '../core/errors.ts'
import type {Logger} from '../core/observability/index.ts'
import type {EnvironmentRecord} from '../core/proto.ts'
import type {OpenMetricsFilterSpec} from './monitor-settings.ts'
import {OpenMetricsFilter} from './open-metrics-filter.ts'
import {parseExposition} from './open-metrics-text.ts'
import type {Metrics, Resource} from './resource.ts'

/** wandb-core's limit on one scrape (connect, headers and body), in milliseconds. */
export const OPEN_METRICS_TIMEOUT_MS = 5000

export interface OpenMetricsResourceOptions {
  /** Endpoint name → URL (x_stats_open_metrics_endpoints); only http and https URLs are scraped. */
  endpoints: ReadonlyMap<string, string>
  /** x_stats_open_metrics_filters; [] keeps every gauge and counter. */
  filters: readonly OpenMetricsFilterSpec[]
  /** x_stats_open_metrics_http_headers, sent with every request. */
  headers: ReadonlyMap<string, string>
  logger: Logger
  /** Replaces the global fetch (tests). */
  fetch?: typeof fetch
  timeoutMs?: number
}

interface Endpoint {
  name: string
  url: string
  /** The URL as logged: without user name and password. */
  shown: string
  /** metric → label set (canonical text) → its index in the key. */
  indexes: Map<string, Map<string, number>>
}

/**
 * Scrapes OpenMetrics / Prometheus text endpoints (the NVIDIA DCGM exporter, node exporters, a
 * training job's own metrics) as wandb-core 0.31 does (its wandb-symon sidecar):
 * - every endpoint is fetched once per sample, all at once, with the configured headers and a
 *   5-second limit; a failed request (network error, timeout, HTTP status >= 400) costs that
 *   endpoint's readings for this sample only, and is logged as a warning once until the endpoint
 *   answers again (then at debug level);
 * - each kept gauge or counter sample becomes `openmetrics.<endpoint name>.<metric>.<index>`, where
 *   `index` numbers the metric's distinct label sets in the order this resource first saw them (a
 *   metric without labels is `.0`); the numbering lasts as long as the resource (the run);
 * - values are reported as read: counters are not turned into rates or differences.
 * It adds nothing to the machine description. Endpoints with a URL that is not http(s) are refused
 * at construction (logged as a warning) and never fetched.
 */
export class OpenMetricsResource implements Resource {
  readonly name = 'openmetrics'
  readonly #o: OpenMetricsResourceOptions
  readonly #endpoints: Endpoint[] = []
  readonly #filter: OpenMetricsFilter
  readonly #headers: Record<string, string>
  readonly #failing = new Set<string>()
  readonly #abort = new AbortController()

  constructor(o: OpenMetricsResourceOptions) {
    this.#o = o
    for (const [name, url] of [...o.endpoints].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const problem = urlProblem(url)
      if (problem) {
        o.logger.warn(`sysinfo: OpenMetrics endpoint ${JSON.stringify(name)} is not scraped: ${problem}`)
        continue
      }
      this.#endpoints.push({name, url, shown: shownUrl(url), indexes: new Map()})
    }
    this.#filter = new OpenMetricsFilter(o.filters, (spec, error) => o.logger.warn(`sysinfo: OpenMetrics filter ${JSON.stringify(spec.metricRegex)} matches nothing: ${error}`))
    this.#headers = Object.fromEntries(o.headers)
  }

  /** The endpoints that are scraped (name and URL), in key order. */
  get endpoints(): {name: string; url: string}[] {
    return this.#endpoints.map(({name, url}) => ({name, url}))
  }

  async sample(): Promise<Metrics> {
    const texts = await Promise.all(this.#endpoints.map((e) => this.#scrape(e)))
    const out: Metrics = new Map()
    this.#endpoints.forEach((e, i) => {
      const text = texts[i]
      if (text !== undefined) for (const [key, value] of this.#read(e, text)) out.set(key, value)
    })
    return out
  }

  async probe(): Promise<Partial<EnvironmentRecord>> {
    return {}
  }

  close(): void {
    this.#abort.abort(new Error('sysinfo: OpenMetrics resource closed'))
  }

  /** The endpoint's body, or undefined after a failure (logged). */
  async #scrape({url, shown}: Endpoint): Promise<string | undefined> {
    const signal = AbortSignal.any([this.#abort.signal, AbortSignal.timeout(this.#o.timeoutMs ?? OPEN_METRICS_TIMEOUT_MS)])
    try {
      const res = await (this.#o.fetch ?? fetch)(url, {headers: this.#headers, signal, redirect: 'follow'})
      const text = await res.text()
      if (res.status >= 400) throw new Error(`HTTP status ${res.status}`)
      if (this.#failing.delete(url)) this.#o.logger.info('sysinfo: OpenMetrics endpoint answers again', {url: shown})
      return text
    } catch (err) {
      const error = signal.aborted && !this.#abort.signal.aborted ? `no answer within ${this.#o.timeoutMs ?? OPEN_METRICS_TIMEOUT_MS} ms` : errorMessage(err)
      if (this.#failing.has(url)) {
        this.#o.logger.debug('sysinfo: failed to scrape OpenMetrics endpoint', {url: shown, error})
      } else {
        this.#failing.add(url)
        this.#o.logger.warn('sysinfo: failed to scrape OpenMetrics endpoint', {url: shown, error})
      }
      return undefined
    }
  }

  #read(e: Endpoint, text: string): [string, number][] {
    const out: [string, number][] = []
    for (const s of parseExposition(text)) {
      if (!this.#filter.keep(e.name, s.metric, s.labels)) continue
      let byLabels = e.indexes.get(s.metric)
      if (!byLabels) e.indexes.set(s.metric, (byLabels = new Map()))
      const labelKey = JSON.stringify([...s.labels].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      let index = byLabels.get(labelKey)
      if (index === undefined) byLabels.set(labelKey, (index = byLabels.size))
      out.push([`openmetrics.${e.name}.${s.metric}.${index}`, s.value])
    }
    return out
  }
}

/** Why `url` is not scraped, or undefined when it is an http(s) URL. */
function urlProblem(url: string): string | undefined {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return 'its URL does not parse'
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return `only http and https URLs are scraped, not ${parsed.protocol}`
  return undefined
}

/** `url` without the user name and password it may carry (they are credentials, never logged). */
function shownUrl(url: string): string {
  const u = new URL(url)
  u.username = ''
  u.password = ''
  return u.href
}

import type {OpenMetricsFilterSpec} from './monitor-settings.ts'

interface CompiledFilter {
  metric: RegExp
  labels: [string, RegExp][]
}

/**
 * The compiled x_stats_open_metrics_filters of one endpoint. A sample of metric `m` from endpoint
 * `e` is kept when there are no filters, or when some filter's metric regex matches `e.m` anywhere
 * (not anchored) and each of its label regexes matches the value of a label the sample has.
 *
 * A regex that does not compile makes its filter match nothing (reported through `onInvalid`), as
 * in wandb-core: a typo must not let every metric through. Regexes use JavaScript syntax; a leading
 * Rust/Go-style inline flag group such as `(?i)` is accepted and applied to the whole regex.
 */
export class OpenMetricsFilter {
  readonly #filters: (CompiledFilter | undefined)[]

  constructor(specs: readonly OpenMetricsFilterSpec[], onInvalid: (spec: OpenMetricsFilterSpec, error: string) => void = () => {}) {
    this.#filters = specs.map((spec) => {
      try {
        return {metric: compileRegex(spec.metricRegex), labels: [...spec.labelRegexes].map(([label, re]) => [label, compileRegex(re)] as [string, RegExp])}
      } catch (err) {
        onInvalid(spec, (err as Error).message)
        return undefined
      }
    })
  }

  /** Whether the sample of `metric` with `labels`, scraped from endpoint `endpoint`, is reported. */
  keep(endpoint: string, metric: string, labels: ReadonlyMap<string, string>): boolean {
    if (this.#filters.length === 0) return true
    const fullName = `${endpoint}.${metric}`
    return this.#filters.some((f) => {
      if (!f || !f.metric.test(fullName)) return false
      return f.labels.every(([label, re]) => {
        const value = labels.get(label)
        return value !== undefined && re.test(value)
      })
    })
  }
}

/** A RegExp for `pattern`, with a leading `(?ims)` group turned into flags. Throws SyntaxError when it does not compile. */
export function compileRegex(pattern: string): RegExp {
  const m = /^\(\?([ims]+)\)/.exec(pattern)
  if (!m) return new RegExp(pattern)
  return new RegExp(pattern.slice(m[0].length), [...new Set(m[1])].join(''))
}

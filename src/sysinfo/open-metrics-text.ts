/**
 * One sample of a Prometheus text exposition: the metric name as written on the sample line, its
 * labels and its value.
 */
export interface ExpositionSample {
  metric: string
  labels: Map<string, string>
  value: number
}

/** The metric types whose samples are reported; histograms, summaries and untyped metrics are not. */
const REPORTED_TYPES = new Set(['gauge', 'counter'])

/**
 * The gauge and counter samples of a Prometheus text exposition (what an OpenMetrics /metrics
 * endpoint serves), in the order they appear. As wandb-core 0.31 reads it:
 * - a sample is reported only when a `# TYPE <metric> gauge|counter` line for exactly its name came
 *   before it (so `x_bucket`, `x_sum` and `x_count` of a histogram `x` are skipped);
 * - other `#` lines and blank lines are ignored, lines are trimmed;
 * - the value is the first field after the name (or after the closing `}`), parsed as a float
 *   (`NaN`, `+Inf`, `-Inf` included); a trailing timestamp is ignored;
 * - a line that does not parse (bad labels, no value, a value that is not a number) is skipped.
 * Never throws.
 */
export function parseExposition(text: string): ExpositionSample[] {
  const types = new Map<string, string>()
  const out: ExpositionSample[] = []
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    if (line.startsWith('# TYPE ')) {
      const m = /^(\S+)\s+(.*)$/s.exec(line.slice('# TYPE '.length).trim())
      if (m) types.set(m[1], m[2].trim())
      continue
    }
    if (line === '' || line.startsWith('#')) continue
    const sample = splitSample(line)
    if (!sample || !REPORTED_TYPES.has(types.get(sample.metric) ?? '')) continue
    const value = parseFloatField(sample.rest.trim().split(/\s+/)[0] ?? '')
    if (value === undefined) continue
    out.push({metric: sample.metric, labels: sample.labels, value})
  }
  return out
}

/** `metric{labels} rest` or `metric rest`; the name is what precedes `{` (not trimmed). */
function splitSample(line: string): {metric: string; labels: Map<string, string>; rest: string} | undefined {
  const open = line.indexOf('{')
  if (open >= 0) {
    const close = line.lastIndexOf('}')
    if (close < open) return undefined
    const labels = parseLabels(line.slice(open + 1, close))
    if (!labels) return undefined
    return {metric: line.slice(0, open), labels, rest: line.slice(close + 1)}
  }
  const m = /^(\S+)\s(.*)$/s.exec(line)
  return m ? {metric: m[1], labels: new Map(), rest: m[2]} : undefined
}

/**
 * `name="value",…`: values may hold commas and the escapes `\"`, `\\` and `\n` (any other escaped
 * character stands for itself). Returns undefined when the text is not such a list.
 */
export function parseLabels(text: string): Map<string, string> | undefined {
  const labels = new Map<string, string>()
  let rest = text.replace(/^[, ]+/, '')
  while (rest !== '') {
    const eq = rest.indexOf('=')
    if (eq < 0 || rest[eq + 1] !== '"') return undefined
    const name = rest.slice(0, eq).trim()
    let value = ''
    let i = eq + 2
    for (;;) {
      if (i >= rest.length) return undefined
      const c = rest[i]
      if (c === '"') break
      if (c === '\\') {
        i++
        if (i >= rest.length) return undefined
        value += rest[i] === 'n' ? '\n' : rest[i]
      } else {
        value += c
      }
      i++
    }
    labels.set(name, value)
    rest = rest.slice(i + 1).replace(/^[, ]+/, '')
  }
  return labels
}

/** A float field as Rust's `f64::from_str` reads it: decimal or exponent notation, inf/infinity/nan in any case, with a sign. */
function parseFloatField(field: string): number | undefined {
  if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(field)) return Number(field)
  const m = /^([+-]?)(inf|infinity|nan)$/i.exec(field)
  if (!m) return undefined
  if (m[2].toLowerCase() === 'nan') return NaN
  return m[1] === '-' ? -Infinity : Infinity
}

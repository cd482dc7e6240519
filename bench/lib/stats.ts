/** Summary statistics for benchmark samples. */

export interface Summary {
  n: number
  median: number
  min: number
  max: number
  /** (max − min) / median, as a fraction; 0 for one sample. */
  spread: number
}

export function summarize(samples: number[]): Summary {
  if (samples.length === 0) throw new Error('no samples')
  const s = [...samples].sort((a, b) => a - b)
  const mid = s.length >> 1
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2
  const min = s[0]
  const max = s[s.length - 1]
  return {n: s.length, median, min, max, spread: median === 0 ? 0 : (max - min) / median}
}

/** A number with 3 significant digits (plain notation). */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x)
  if (x === 0) return '0'
  const digits = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(x))))
  return x.toFixed(Math.min(digits, 4))
}

/** Left-aligned text table. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join('  ')
      .trimEnd()
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n')
}

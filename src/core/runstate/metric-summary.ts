/**
 * The summary of one metric: its latest value plus running aggregates, and which of them to show.
 *
 * Numbers update latest, first, min, max, total and count; other values only latest and first.
 * What is shown: nothing when there is no data or the metric is defined with summary="none"; the
 * latest value when no aggregate is requested (nothing if that value is null); else an object with the requested keys among
 * last, first, max, min and mean (mean = total / count over the numeric values).
 */
import {isNumeric} from './history-value.ts'

/** Bit flags of the aggregates a metric's summary shows (an empty set means "latest value only"). */
export const SummaryFlag = {
  Last: 1,
  Min: 2,
  Max: 4,
  Mean: 8,
  First: 16,
} as const

/** A set of SummaryFlag bits. */
export type SummaryFlags = number

/** Accumulated summary state of one metric (see the module comment). */
export class MetricSummary {
  /** The last value recorded (null after clear()). */
  latest: unknown = null
  /** The first value recorded since creation or the last clear(). */
  first: unknown = null
  /** Smallest numeric value (0 before any). */
  min = 0
  /** Largest numeric value (0 before any). */
  max = 0
  /** Sum of the numeric values. */
  total = 0
  /** Number of numeric values. */
  count = 0
  /** The aggregates to show; 0 shows the latest value. */
  track: SummaryFlags = 0
  /** summary="none": show nothing at all. */
  noSummary = false
  /** Whether any value has been recorded since creation or the last clear(). */
  hasData = false

  /** Records the next logged value of the metric. */
  update(value: unknown): void {
    this.latest = value
    if (!this.hasData) this.first = value
    this.hasData = true
    if (!isNumeric(value)) return
    const x = Number(value)
    if (this.count > 0) {
      this.min = Math.min(this.min, x)
      this.max = Math.max(this.max, x)
    } else {
      this.min = x
      this.max = x
    }
    this.total += x
    this.count++
  }

  /** An explicit summary value (`run.summary[k] = v`): becomes the latest value, aggregates are no longer shown. */
  setExplicit(value: unknown): void {
    this.latest = value
    this.track = 0
    this.hasData = true
  }

  /** Forgets the value (summary remove): nothing is shown until the next value. Aggregates and flags stay. */
  clear(): void {
    this.latest = null
    this.hasData = false
  }

  /** The value to show, or undefined when there is none. */
  shownValue(): unknown {
    if (this.noSummary || !this.hasData) return undefined
    // A null latest value shows as "no summary", as in Go (a nil interface).
    if (this.track === 0) return this.latest === null ? undefined : this.latest
    const out: Record<string, unknown> = {}
    if (this.track & SummaryFlag.Last) out.last = this.latest
    if (this.track & SummaryFlag.First) out.first = this.first
    if (this.track & SummaryFlag.Max) out.max = this.max
    if (this.track & SummaryFlag.Min) out.min = this.min
    if (this.track & SummaryFlag.Mean) out.mean = this.total / this.count
    return out
  }
}

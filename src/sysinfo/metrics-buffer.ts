import type {SystemMetricSample} from '../core/proto.ts'
import type {Metrics} from './resource.ts'
import {timestampFromMs} from './stats-record.ts'

/**
 * The in-memory history of sampled metrics answered to `get_system_metrics` (the SDK's terminal
 * UI). `maxSize` N > 0 keeps the last N samples of each key; -1 keeps everything. Keys are stored
 * without the run's label.
 */
export class MetricsBuffer {
  readonly maxSize: number
  readonly #series = new Map<string, SystemMetricSample[]>()

  constructor(maxSize: number) {
    this.maxSize = maxSize
  }

  /** Appends one sample's values, taken at `atMs`. */
  push(metrics: Metrics, atMs: number): void {
    const timestamp = timestampFromMs(atMs)
    for (const [key, value] of metrics) {
      if (!Number.isFinite(value)) continue
      let series = this.#series.get(key)
      if (!series) this.#series.set(key, (series = []))
      series.push({timestamp, value})
      if (this.maxSize > 0 && series.length > this.maxSize) series.splice(0, series.length - this.maxSize)
    }
  }

  /** A copy of every key's samples, oldest first (what GetSystemMetricsResponse.system_metrics holds). */
  snapshot(): Map<string, SystemMetricSample[]> {
    return new Map([...this.#series].map(([k, v]) => [k, v.slice()]))
  }
}

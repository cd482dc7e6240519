/** A run's metric as sweeps reads it: the history column, and the best (or worst) value of history and summary. */
import {isFiniteNumber, numberOf} from './py-number.ts'
import type {SweepRun} from './types.ts'

/** The values of `metric` in the run's history rows that have it (only the finite numbers, when `finiteOnly`). */
export function metricHistory(run: SweepRun, metric: string, finiteOnly: boolean): unknown[] {
  const out: unknown[] = []
  for (const row of run.history) {
    if (row === null || typeof row !== 'object' || !Object.hasOwn(row, metric)) continue
    const v = row[metric]
    if (finiteOnly && !isFiniteNumber(v)) continue
    out.push(v)
  }
  return out
}

/** The finite numbers of `metric` in the history as numbers. */
export function metricCurve(run: SweepRun, metric: string): number[] {
  return metricHistory(run, metric, true).map((v) => numberOf(v) as number)
}

/**
 * sweeps' `SweepRun.metric_extremum`: the min or max of the metric over the history and the
 * summary, or undefined where sweeps raises (no value at all, or no finite number).
 */
export function metricExtremum(run: SweepRun, metric: string, kind: 'min' | 'max'): number | undefined {
  const values = metricHistory(run, metric, false)
  if (run.summaryMetrics && Object.hasOwn(run.summaryMetrics, metric)) values.push(run.summaryMetrics[metric])
  const finite = values.filter(isFiniteNumber).map((v) => numberOf(v) as number)
  if (finite.length === 0) return undefined
  return finite.reduce((m, x) => (kind === 'min' ? (x < m ? x : m) : x > m ? x : m))
}

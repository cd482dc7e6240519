/**
 * Hyperband early termination (sweeps.hyperband_stopping): the bands (steps at which runs are
 * judged) from max_iter/s/eta or min_iter/eta; at each band the threshold is the value that the
 * best 1/eta of all runs' curves reach there; a running run whose best value so far is worse than
 * the threshold of the last band it has passed is stopped. Curves are the finite values of the
 * metric in each run's history, negated for `maximize`.
 */
import {type Metric, filledHyperband} from './config-check.ts'
import {SweepSearchError} from './errors.ts'
import {metricCurve} from './run-metrics.ts'
import type {SweepRun} from './types.ts'

/** The bands, ascending, and the survivor fraction r = 1/eta. */
export function hyperbandBands(et: Record<string, unknown>): {bands: number[]; r: number} {
  const h = filledHyperband(et)
  const bands: number[] = []
  if (h.kind === 'max_iter') {
    let band = h.maxIter
    for (let i = 0; i < h.s; i++) {
      band /= h.eta
      if (band < 1) break
      bands.push(Math.trunc(band))
    }
    bands.sort((a, b) => a - b)
  } else {
    let band = h.minIter
    for (let i = 0; i < 100; i++) {
      bands.push(Math.trunc(band))
      band *= h.eta
    }
  }
  if (bands.length < 1) {
    throw new SweepSearchError('Hyperband has no band: try increasing s, decreasing eta, or increasing min_iter.', {key: 'early_terminate'})
  }
  return {bands, r: 1 / h.eta}
}

/** The running runs that hyperband stops now. */
export function hyperbandStops(et: Record<string, unknown>, metric: Metric, runs: readonly SweepRun[]): SweepRun[] {
  const {bands, r} = hyperbandBands(et)
  const curve = (run: SweepRun) => {
    const h = metricCurve(run, metric.name)
    return metric.goal === 'maximize' ? h.map((x) => -x) : h
  }
  const curves = runs.map(curve).filter((h) => h.length > 0)
  const thresholds = bands.map((band) => {
    const values = curves.filter((h) => h.length > band).map((h) => h[band])
    if (values.length === 0) return Number.POSITIVE_INFINITY
    values.sort((a, b) => a - b)
    return values[Math.trunc(r * values.length)]
  })
  const stop: SweepRun[] = []
  for (const run of runs) {
    if (run.state !== 'running') continue
    const h = curve(run)
    let threshold: number | undefined
    for (let i = 0; i < bands.length && bands[i] < h.length; i++) threshold = thresholds[i]
    if (threshold !== undefined && h.reduce((m, x) => (x < m ? x : m), Number.POSITIVE_INFINITY) > threshold) stop.push(run)
  }
  return stop
}

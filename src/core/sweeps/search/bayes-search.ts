/**
 * Bayesian search (sweeps.bayes_search): each run becomes a point of the unit cube (every
 * searchable parameter through its cdf) with its metric (the run's best value; failed runs and
 * finished runs without the metric imputed by `metric.impute`, "worst" by default); runs still
 * in flight count as fantasies (the GP's own prediction). A Matérn GP fitted to the normalized
 * metric scores 1000 random points by expected improvement over the best value so far; the best
 * point goes back through each parameter's ppf. Fewer than two usable runs: a random point.
 */
import {type Goal, type ImputeStrategy, type Metric, filledMetric} from './config-check.ts'
import {SweepSearchError} from './errors.ts'
import {GaussianProcess, LOG_LENGTH_BOUNDS} from './gaussian-process.ts'
import {ParameterSet} from './parameter-set.ts'
import {metricCurve, metricExtremum} from './run-metrics.ts'
import {normCdf, normPdf} from './special-functions.ts'
import {type Rng, type SweepRun, isTerminal} from './types.ts'

const STD_EPSILON = 1e-6
const MAX_SAMPLES = 100
const TEST_POINTS = 1000

/** The metric value sweeps imputes for a run without one. */
function impute(strategy: ImputeStrategy, goal: Goal, metric: string, run: SweepRun, worst: number): number {
  if (strategy === 'worst') return worst
  if (strategy === 'best') return metricExtremum(run, metric, goal === 'minimize' ? 'min' : 'max') ?? 0
  const h = metricCurve(run, metric)
  return h.length === 0 ? 0 : h[h.length - 1]
}

/** The worst metric value of the terminal runs, 0 when none has one. */
function worstMetric(goal: Goal, metric: string, runs: readonly SweepRun[]): number {
  let worst = goal === 'maximize' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY
  for (const run of runs) {
    if (!isTerminal(run.state)) continue
    const v = metricExtremum(run, metric, goal === 'maximize' ? 'min' : 'max')
    if (v === undefined) continue
    worst = goal === 'maximize' ? Math.min(worst, v) : Math.max(worst, v)
  }
  return Number.isFinite(worst) ? worst : 0
}

interface GpData {
  sampleX: number[][]
  sampleY: number[]
  currentX: number[][]
}

/** sweeps' `_construct_gp_data`: points and (minimized) metric values of the settled runs, points of those in flight. */
function gpData(set: ParameterSet, metric: Metric, runs: readonly SweepRun[]): GpData {
  const xs = set.normalizeRuns(runs)
  const worst = worstMetric(metric.goal, metric.name, runs)
  const data: GpData = {sampleX: [], sampleY: [], currentX: []}
  runs.forEach((run, i) => {
    if (run.state === 'finished') {
      const best = metricExtremum(run, metric.name, metric.goal === 'maximize' ? 'max' : 'min')
      data.sampleY.push(best ?? impute(metric.impute, metric.goal, metric.name, run, worst))
      data.sampleX.push(xs[i])
    } else if (run.state === 'failed' || run.state === 'crashed' || run.state === 'killed') {
      data.sampleY.push(impute(metric.impute, metric.goal, metric.name, run, worst))
      data.sampleX.push(xs[i])
    } else {
      data.currentX.push(xs[i])
    }
  })
  data.sampleY = data.sampleY.map((y) => (Number.isFinite(y) ? y : worst) * (metric.goal === 'maximize' ? -1 : 1))
  return data
}

/** A GP on y normalized by its mean and (population) standard deviation. */
function fitNormalized(x: number[][], y: number[]): {gp: GaussianProcess; mean: number; std: number} {
  const mean = y.reduce((s, v) => s + v, 0) / y.length
  const std = Math.sqrt(y.reduce((s, v) => s + (v - mean) ** 2, 0) / y.length) + STD_EPSILON
  return {
    gp: GaussianProcess.fit(
      x,
      y.map((v) => (v - mean) / std),
    ),
    mean,
    std,
  }
}

const uniformPoint = (dims: number, rng: Rng) => Array.from({length: dims}, () => rng())

/** sweeps' `next_sample`: the unit-cube point to try next. */
export function nextSample(data: GpData, dims: number, rng: Rng): number[] {
  const keep = data.sampleX.map((x, i) => !x.some(Number.isNaN) && !Number.isNaN(data.sampleY[i]))
  let x = data.sampleX.filter((_, i) => keep[i])
  let y = data.sampleY.filter((_, i) => keep[i])
  if (x.length < 2) return uniformPoint(dims, rng)
  const realY = y
  if (x.length > MAX_SAMPLES) {
    const picks = Array.from({length: MAX_SAMPLES}, () => Math.floor(rng() * x.length))
    x = picks.map((i) => x[i])
    y = picks.map((i) => y[i])
  }
  let model = fitNormalized(x, y)
  const current = data.currentX.slice(0, MAX_SAMPLES - 5)
  if (current.length > 0) {
    const fantasy = model.gp.predict(current).mean.map((m) => m * model.std + model.mean)
    model = fitNormalized([...x, ...current], [...y, ...fantasy])
  }
  const test = Array.from({length: TEST_POINTS}, () => uniformPoint(dims, rng))
  const {mean, std} = model.gp.predict(test)
  const bestY = (realY.reduce((m, v) => (v < m ? v : m), Number.POSITIVE_INFINITY) - model.mean) / model.std
  let pick = 0
  let pickEi = Number.NEGATIVE_INFINITY
  mean.forEach((m, i) => {
    const z = -(m - bestY) / (std[i] + STD_EPSILON)
    const ei = -(m - bestY) * normCdf(z) + std[i] * normPdf(z)
    if (ei > pickEi) {
      pick = i
      pickEi = ei
    }
  })
  // a length scale at its bound is a bad fit: sweeps then tries a random test point
  const theta = model.gp.theta
  if (LOG_LENGTH_BOUNDS.some((b) => Math.abs(b - theta) <= 1e-8 + 1e-5 * Math.abs(theta))) pick = Math.floor(rng() * (TEST_POINTS - 1))
  return test[pick]
}

/** The next bayes run config. */
export function bayesNextConfig(config: Record<string, unknown>, runs: readonly SweepRun[], rng: Rng): Record<string, {value: unknown}> {
  const metric = filledMetric(config, 'Bayesian search')
  const set = ParameterSet.fromConfig(config.parameters as Record<string, unknown>)
  if (set.searchable.length === 0) {
    throw new SweepSearchError('Bayesian search needs at least one searchable parameter (one that is not a constant value).', {key: 'parameters'})
  }
  const point = nextSample(gpData(set, metric, runs), set.searchable.length, rng)
  set.searchable.forEach((p, j) => {
    p.value = p.ppf(point[j])
  })
  return set.toConfig()
}

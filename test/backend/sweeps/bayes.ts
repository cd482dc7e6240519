/**
 * A small Bayesian search for `method: bayes`: Gaussian-process regression (RBF kernel) on the
 * runs' `metric.name` summary values, choosing among random candidates the one with the highest
 * expected improvement. Parameters are mapped to [0, 1] (log scale for log distributions,
 * category index for categorical ones). With fewer than two finished observations, or no metric,
 * it samples like `random` — the same fallback the `sweeps` package uses before it has data.
 */
import type {ParamLeaf, ParamSpec, SweepConfig} from './config.ts'
import {sampleParam, type Random} from './sampling.ts'

/** One run as the search sees it: plain config values and summary. */
export interface Observation {
  config: Record<string, unknown>
  summary: Record<string, unknown>
}

const CANDIDATES = 256
const LENGTH_SCALE = 0.25
const NOISE = 1e-6

/** Values (one per leaf, in leaf order) for the next run. */
export function suggestBayes(config: SweepConfig, leaves: ParamLeaf[], runs: Observation[], rand: Random): unknown[] {
  const random = () => leaves.map((l) => sampleParam(l.spec, rand))
  const metric = config.metric?.name
  if (!metric) return random()
  const sign = config.metric?.goal === 'maximize' ? -1 : 1
  const xs: number[][] = []
  const ys: number[] = []
  for (const r of runs) {
    const y = r.summary[metric]
    if (typeof y !== 'number' || !Number.isFinite(y)) continue
    const x = leaves.map((l) =>
      encode(
        l.spec,
        l.path.reduce<unknown>((n, k) => (n as Record<string, unknown> | undefined)?.[k], r.config),
      ),
    )
    if (x.some((v) => v === null)) continue
    xs.push(x as number[])
    ys.push(sign * y)
  }
  if (xs.length < 2) return random()

  const mean = ys.reduce((a, b) => a + b, 0) / ys.length
  const std = Math.sqrt(ys.reduce((a, b) => a + (b - mean) ** 2, 0) / ys.length) || 1
  const yn = ys.map((y) => (y - mean) / std)
  const L = cholesky(xs.map((a, i) => xs.map((b, j) => kernel(a, b) + (i === j ? NOISE + 1e-4 : 0))))
  const alpha = solveUpper(transpose(L), solveLower(L, yn))
  const best = Math.min(...yn)

  let bestValues = random()
  let bestEi = -Infinity
  for (let c = 0; c < CANDIDATES; c++) {
    const values = random()
    const x = leaves.map((l, i) => encode(l.spec, values[i]) ?? 0)
    const k = xs.map((xi) => kernel(xi, x))
    const mu = k.reduce((a, ki, i) => a + ki * alpha[i], 0)
    const v = solveLower(L, k)
    const sigma = Math.sqrt(Math.max(1e-12, 1 - v.reduce((a, vi) => a + vi * vi, 0)))
    const z = (best - mu) / sigma
    const ei = (best - mu) * cdf(z) + sigma * pdf(z)
    if (ei > bestEi) {
      bestEi = ei
      bestValues = values
    }
  }
  return bestValues
}

/** Maps a value of a parameter into [0, 1]; null when it cannot be placed. */
function encode(spec: ParamSpec, v: unknown): number | null {
  if (Array.isArray(spec.values)) {
    const i = spec.values.findIndex((x) => JSON.stringify(x) === JSON.stringify(v))
    return i < 0 ? null : spec.values.length > 1 ? i / (spec.values.length - 1) : 0
  }
  if (typeof v !== 'number' || typeof spec.min !== 'number' || typeof spec.max !== 'number') return 'value' in spec ? 0 : null
  const logValues = /log_uniform_values$/.test(spec.distribution ?? '')
  const logSpace = /^(q_)?log_uniform$/.test(spec.distribution ?? '')
  const [lo, hi, x] = logValues ? [Math.log(spec.min), Math.log(spec.max), Math.log(v)] : logSpace ? [spec.min, spec.max, Math.log(v)] : [spec.min, spec.max, v]
  return hi > lo ? Math.min(1, Math.max(0, (x - lo) / (hi - lo))) : 0
}

function kernel(a: number[], b: number[]): number {
  let d = 0
  for (let i = 0; i < a.length; i++) d += (a[i] - b[i]) ** 2
  return Math.exp(-d / (2 * LENGTH_SCALE * LENGTH_SCALE))
}

function cholesky(A: number[][]): number[][] {
  const n = A.length
  const L = A.map(() => new Array<number>(n).fill(0))
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i][j]
      for (let k = 0; k < j; k++) s -= L[i][k] * L[j][k]
      L[i][j] = i === j ? Math.sqrt(Math.max(s, 1e-12)) : s / L[j][j]
    }
  }
  return L
}

function solveLower(L: number[][], b: number[]): number[] {
  const x: number[] = []
  for (let i = 0; i < b.length; i++) {
    let s = b[i]
    for (let k = 0; k < i; k++) s -= L[i][k] * x[k]
    x.push(s / L[i][i])
  }
  return x
}

function solveUpper(U: number[][], b: number[]): number[] {
  const n = b.length
  const x = new Array<number>(n).fill(0)
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i]
    for (let k = i + 1; k < n; k++) s -= U[i][k] * x[k]
    x[i] = s / U[i][i]
  }
  return x
}

function transpose(M: number[][]): number[][] {
  return M[0].map((_, j) => M.map((row) => row[j]))
}

function pdf(z: number): number {
  return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI)
}

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 via erf). */
function cdf(z: number): number {
  const t = 1 / (1 + (0.3275911 * Math.abs(z)) / Math.SQRT2)
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-(z * z) / 2)
  return z >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y)
}

/**
 * Gaussian-process regression as sweeps sets up scikit-learn's GaussianProcessRegressor: an
 * isotropic Matérn kernel (nu = 1.5, one length scale, bounds 1e-5..1e5), a nugget alpha = 1e-7 on
 * the diagonal, targets already normalized by the caller. The length scale maximizes the log
 * marginal likelihood: sklearn runs L-BFGS from 1 and two random restarts; in one dimension a
 * scan of the whole log range refined by golden-section search finds the same optimum or a
 * better one, deterministically.
 */

export const LOG_LENGTH_BOUNDS = [Math.log(1e-5), Math.log(1e5)] as const
const ALPHA = 1e-7
const SQRT3 = Math.sqrt(3)

/** Matérn 3/2 at distance d for length scale l. */
function matern(d: number, l: number): number {
  const t = (SQRT3 * d) / l
  return (1 + t) * Math.exp(-t)
}

function distance(a: readonly number[], b: readonly number[]): number {
  let s = 0
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - b[i]
    s += d * d
  }
  return Math.sqrt(s)
}

/** The lower Cholesky factor of a symmetric matrix (row-major n×n), or undefined when it is not positive definite. */
function cholesky(k: Float64Array, n: number): Float64Array | undefined {
  const l = new Float64Array(n * n)
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = k[i * n + j]
      for (let m = 0; m < j; m++) s -= l[i * n + m] * l[j * n + m]
      if (i === j) {
        if (!(s > 0)) return undefined
        l[i * n + i] = Math.sqrt(s)
      } else {
        l[i * n + j] = s / l[j * n + j]
      }
    }
  }
  return l
}

/** Solves L x = b (forward substitution). */
function solveLower(l: Float64Array, n: number, b: Float64Array): Float64Array {
  const x = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    let s = b[i]
    for (let m = 0; m < i; m++) s -= l[i * n + m] * x[m]
    x[i] = s / l[i * n + i]
  }
  return x
}

/** Solves Lᵀ x = b (back substitution). */
function solveUpper(l: Float64Array, n: number, b: Float64Array): Float64Array {
  const x = new Float64Array(n)
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i]
    for (let m = i + 1; m < n; m++) s -= l[m * n + i] * x[m]
    x[i] = s / l[i * n + i]
  }
  return x
}

interface Fit {
  lml: number
  chol: Float64Array
  alpha: Float64Array
}

export class GaussianProcess {
  readonly x: readonly (readonly number[])[]
  readonly lengthScale: number
  private readonly fit: Fit

  private constructor(x: readonly (readonly number[])[], lengthScale: number, fit: Fit) {
    this.x = x
    this.lengthScale = lengthScale
    this.fit = fit
  }

  /** Fits the GP to points `x` with targets `y`, choosing the length scale by marginal likelihood. */
  static fit(x: readonly (readonly number[])[], y: readonly number[]): GaussianProcess {
    const n = x.length
    const dist = new Float64Array(n * n)
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) dist[i * n + j] = dist[j * n + i] = distance(x[i], x[j])
    const yv = Float64Array.from(y)
    const evaluate = (theta: number): Fit | undefined => {
      const l = Math.exp(theta)
      const k = new Float64Array(n * n)
      for (let i = 0; i < n; i++) {
        for (let j = 0; j <= i; j++) k[i * n + j] = k[j * n + i] = i === j ? 1 + ALPHA : matern(dist[i * n + j], l)
      }
      const chol = cholesky(k, n)
      if (!chol) return undefined
      const alpha = solveUpper(chol, n, solveLower(chol, n, yv))
      let lml = 0
      for (let i = 0; i < n; i++) lml += -0.5 * yv[i] * alpha[i] - Math.log(chol[i * n + i])
      lml -= (n / 2) * Math.log(2 * Math.PI)
      return {lml, chol, alpha}
    }
    const score = (theta: number) => evaluate(theta)?.lml ?? Number.NEGATIVE_INFINITY
    const [lo, hi] = LOG_LENGTH_BOUNDS
    const steps = 46
    let best = 0
    let bestScore = score(0)
    for (let i = 0; i <= steps; i++) {
      const t = lo + ((hi - lo) * i) / steps
      const s = score(t)
      if (s > bestScore) {
        best = t
        bestScore = s
      }
    }
    const width = (hi - lo) / steps
    const refined = goldenMax(score, Math.max(lo, best - width), Math.min(hi, best + width))
    if (score(refined) > bestScore) best = refined
    const fit = evaluate(best)
    if (!fit) throw new Error('the Gaussian-process kernel matrix is not positive definite for any length scale')
    return new GaussianProcess(x, Math.exp(best), fit)
  }

  /** log(length scale), the fitted hyperparameter (sklearn's `kernel_.theta`). */
  get theta(): number {
    return Math.log(this.lengthScale)
  }

  /** The posterior mean and standard deviation at each point. */
  predict(points: readonly (readonly number[])[]): {mean: number[]; std: number[]} {
    const n = this.x.length
    const mean: number[] = []
    const std: number[] = []
    const kx = new Float64Array(n)
    for (const p of points) {
      let m = 0
      for (let i = 0; i < n; i++) {
        kx[i] = matern(distance(p, this.x[i]), this.lengthScale)
        m += kx[i] * this.fit.alpha[i]
      }
      const v = solveLower(this.fit.chol, n, kx)
      let vv = 0
      for (let i = 0; i < n; i++) vv += v[i] * v[i]
      mean.push(m)
      std.push(Math.sqrt(Math.max(0, 1 - vv)))
    }
    return {mean, std}
  }
}

/** The maximizer of f on [a, b] by golden-section search (endpoints included). */
function goldenMax(f: (t: number) => number, a: number, b: number): number {
  const g = (Math.sqrt(5) - 1) / 2
  let x1 = b - g * (b - a)
  let x2 = a + g * (b - a)
  let f1 = f(x1)
  let f2 = f(x2)
  for (let i = 0; i < 60 && b - a > 1e-9; i++) {
    if (f1 < f2) {
      a = x1
      x1 = x2
      f1 = f2
      x2 = a + g * (b - a)
      f2 = f(x2)
    } else {
      b = x2
      x2 = x1
      f2 = f1
      x1 = b - g * (b - a)
      f1 = f(x1)
    }
  }
  const mid = (a + b) / 2
  const candidates = [mid, a, b]
  return candidates.reduce((best, t) => (f(t) > f(best) ? t : best))
}

/**
 * One hyperparameter of the search space (sweeps.params.HyperParameter): its distribution type,
 * its settings with the schema defaults filled in, and the two maps the searches use: `ppf`
 * (a quantile in [0, 1] to a value: random sampling, and bayes' way back from its unit cube) and
 * `cdf` (a value to [0, 1]: bayes' way in). Each type's maps live in one table entry.
 */
import {SweepSearchError} from './errors.ts'
import {type ParamType, fillParameter} from './param-schema.ts'
import {describeValue, isPyInt, numberOf, pyEquals, roundHalfEven} from './py-number.ts'
import {betaCdf, betaPpf, normCdf, normPpf} from './special-functions.ts'

type Settings = Record<string, unknown>

interface Distribution {
  cdf: (x: number, c: Settings) => number
  ppf: (x: number, c: Settings) => unknown
}

const num = (c: Settings, key: string): number => numberOf(c[key]) as number

/** scipy.stats.uniform.cdf on [lo, lo + width]. */
function uniformCdf(x: number, lo: number, width: number): number {
  if (Number.isNaN(x)) return Number.NaN
  const t = (x - lo) / width
  return t <= 0 ? 0 : t >= 1 ? 1 : t
}

/** scipy.stats.randint.ppf(x, lo, hi): the smallest k in [lo, hi) with cdf(k) >= x; lo - 1 at x = 0. */
function randintPpf(x: number, lo: number, hi: number): number {
  if (x === 0) return lo - 1
  if (x === 1) return hi - 1
  const k = Math.ceil(x * (hi - lo) + lo) - 1
  const below = Math.min(Math.max(k - 1, lo), hi)
  return randintCdf(below, lo, hi) >= x ? below : k
}

/** scipy.stats.randint.cdf(x, lo, hi). */
function randintCdf(x: number, lo: number, hi: number): number {
  if (Number.isNaN(x)) return Number.NaN
  if (x < lo) return 0
  if (x >= hi - 1) return 1
  return (Math.floor(x) - lo + 1) / (hi - lo)
}

/** Rounds to a multiple of `q` as numpy does (half to even); an int `q` gives an int. */
function quantize(r: number, qv: unknown): number {
  const qn = numberOf(qv) as number
  const v = roundHalfEven(r / qn) * qn
  return isPyInt(qv) ? Math.trunc(v) : v
}

const logUniformPpf = (x: number, lo: number, hi: number) => Math.exp(x * (hi - lo) + lo)
const invLogUniformPpf = (x: number, lo: number, hi: number) => Math.exp(-((1 - x) * (hi - lo) + lo))
const lognormCdf = (x: number, c: Settings) => (x > 0 ? normCdf(Math.log(x / Math.exp(num(c, 'mu'))) / num(c, 'sigma')) : Number.isNaN(x) ? x : 0)
const lognormPpf = (x: number, c: Settings) => Math.exp(num(c, 'sigma') * normPpf(x)) * Math.exp(num(c, 'mu'))
const normalCdf = (x: number, c: Settings) => normCdf((x - num(c, 'mu')) / num(c, 'sigma'))
const normalPpf = (x: number, c: Settings) => normPpf(x) * num(c, 'sigma') + num(c, 'mu')
const rangeCdf = (x: number, c: Settings) => uniformCdf(x, num(c, 'min'), num(c, 'max') - num(c, 'min'))
const rangePpf = (x: number, c: Settings) => x * (num(c, 'max') - num(c, 'min')) + num(c, 'min')
const logV1Cdf = (x: number, c: Settings) => uniformCdf(Math.log(x), num(c, 'min'), num(c, 'max') - num(c, 'min'))
const logV2Cdf = (x: number, c: Settings) => uniformCdf(Math.log(x), Math.log(num(c, 'min')), Math.log(num(c, 'max')) - Math.log(num(c, 'min')))
const logV1Ppf = (x: number, c: Settings) => logUniformPpf(x, num(c, 'min'), num(c, 'max'))
const logV2Ppf = (x: number, c: Settings) => logUniformPpf(x, Math.log(num(c, 'min')), Math.log(num(c, 'max')))
const betaOf = (c: Settings) => [num(c, 'a'), num(c, 'b')] as const

const DISTRIBUTIONS: Record<ParamType, Distribution> = {
  param_single_value: {cdf: () => 0, ppf: (_x, c) => c.value},
  param_categorical: {
    cdf: (x, c) => randintCdf(x, 0, (c.values as unknown[]).length),
    ppf: (x, c) => {
      const vals = c.values as unknown[]
      const i = randintPpf(x, 0, vals.length)
      return vals[i < 0 ? vals.length + i : i]
    },
  },
  param_categorical_w_probabilities: {
    cdf: (_x, c) => {
      // sweeps indexes cumsum(probabilities) with the float value array, which numpy refuses
      throw new Error(`arrays used as indices must be of integer (or boolean) type (categorical_w_probabilities ${describeValue(c.values)})`)
    },
    ppf: (x, c) => {
      const vals = c.values as unknown[]
      let total = 0
      const cdf = (c.probabilities as unknown[]).map((p) => (total += numberOf(p) as number))
      const i = cdf.findIndex((edge) => !(x >= edge))
      return vals[i < 0 ? 0 : i]
    },
  },
  param_int_uniform: {
    cdf: (x, c) => randintCdf(x, num(c, 'min'), num(c, 'max') + 1),
    ppf: (x, c) => randintPpf(x, num(c, 'min'), num(c, 'max') + 1),
  },
  param_uniform: {cdf: rangeCdf, ppf: rangePpf},
  param_quniform: {cdf: rangeCdf, ppf: (x, c) => quantize(rangePpf(x, c), c.q)},
  param_loguniform: {cdf: logV1Cdf, ppf: logV1Ppf},
  param_qloguniform: {cdf: logV1Cdf, ppf: (x, c) => quantize(logV1Ppf(x, c), c.q)},
  param_loguniform_v2: {cdf: logV2Cdf, ppf: logV2Ppf},
  param_qloguniform_v2: {cdf: logV2Cdf, ppf: (x, c) => quantize(logV2Ppf(x, c), c.q)},
  param_inv_loguniform: {
    cdf: (x, c) => 1 - uniformCdf(Math.log(1 / x), num(c, 'min'), num(c, 'max') - num(c, 'min')),
    ppf: (x, c) => invLogUniformPpf(x, num(c, 'min'), num(c, 'max')),
  },
  param_inv_loguniform_v2: {
    cdf: (x, c) => 1 - uniformCdf(Math.log(1 / x), -Math.log(num(c, 'max')), Math.abs(Math.log(num(c, 'max')) - Math.log(num(c, 'min')))),
    ppf: (x, c) => invLogUniformPpf(x, -Math.log(num(c, 'max')), -Math.log(num(c, 'min'))),
  },
  param_normal: {cdf: normalCdf, ppf: normalPpf},
  param_qnormal: {cdf: normalCdf, ppf: (x, c) => quantize(normalPpf(x, c), c.q)},
  param_lognormal: {cdf: lognormCdf, ppf: lognormPpf},
  param_qlognormal: {cdf: lognormCdf, ppf: (x, c) => quantize(lognormPpf(x, c), c.q)},
  param_beta: {cdf: (x, c) => betaCdf(x, ...betaOf(c)), ppf: (x, c) => betaPpf(x, ...betaOf(c))},
  param_qbeta: {cdf: (x, c) => betaCdf(x, ...betaOf(c)), ppf: (x, c) => quantize(betaPpf(x, ...betaOf(c)), c.q)},
}

export class HyperParameter {
  readonly name: string
  readonly type: ParamType
  readonly config: Settings
  /** the value this parameter takes in the run being built (constants start with theirs) */
  value: unknown

  constructor(name: string, type: ParamType, config: Settings) {
    this.name = name
    this.type = type
    this.config = config
    this.value = type === 'param_single_value' ? config.value : null
  }

  /** The parameter `name` with these settings; throws when they are a nested group or match no parameter form. */
  static of(name: string, settings: Settings): HyperParameter {
    const filled = fillParameter(name, settings)
    if (filled.kind === 'param') return new HyperParameter(name, filled.type, filled.config)
    throw new SweepSearchError(
      filled.kind === 'group'
        ? `Parameter ${name} is a group of parameters, not a parameter.`
        : `Parameter ${name} has invalid settings ${describeValue(settings)}: they match none of the sweep parameter forms (values, value, min/max, or a distribution with its arguments).`,
      {key: `parameters.${name}`},
    )
  }

  get isConstant(): boolean {
    return this.type === 'param_single_value'
  }

  /** The index of `value` among a categorical's values (Python `==`); throws when it is not one. */
  valueToIndex(value: unknown): number {
    const i = (this.config.values as unknown[]).findIndex((v) => pyEquals(value, v))
    if (i < 0) {
      throw new SweepSearchError(`${describeValue(value)} is not a permitted value of the categorical hyperparameter ${this.name} in the current sweep.`, {
        key: `parameters.${this.name}`,
      })
    }
    return i
  }

  /** The value at quantile `x` in [0, 1]. */
  ppf(x: number): unknown {
    if (x < 0 || x > 1) throw new SweepSearchError(`Can't call ppf on value outside of [0,1] (${x}, parameter ${this.name}).`)
    return DISTRIBUTIONS[this.type].ppf(x, this.config)
  }

  /** The probability of a sample at or below `x` (for a categorical, `x` is the value's index). */
  cdf(x: number): number {
    try {
      return DISTRIBUTIONS[this.type].cdf(x, this.config)
    } catch (err) {
      throw new SweepSearchError(`Bayesian search cannot place parameter ${this.name} (${this.type}) in its search space, as sweeps 0.2.0 cannot: ${(err as Error).message}.`, {
        key: `parameters.${this.name}`,
        cause: err,
      })
    }
  }

  /** A random value of this parameter. */
  sample(rng: () => number): unknown {
    return this.ppf(rng())
  }
}

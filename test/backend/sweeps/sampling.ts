/**
 * Random sampling of one sweep parameter, following the distributions of the `sweeps` package
 * (`constant`, `categorical`, `int_uniform`, `uniform`, `q_uniform`, `log_uniform`,
 * `log_uniform_values`, `q_log_uniform(_values)`, `inv_log_uniform(_values)`, `normal`,
 * `q_normal`, `log_normal`, `q_log_normal`, `beta`, `q_beta`). `log_uniform` takes its bounds in
 * log space, `*_values` in value space, as in the `sweeps` package.
 */
import type {ParamSpec} from './config.ts'

/** A source of uniform numbers in [0, 1); injectable for deterministic tests. */
export type Random = () => number

/** Draws one value for `spec`. Throws for an unknown distribution or missing bounds. */
export function sampleParam(spec: ParamSpec, rand: Random = Math.random): unknown {
  const dist = spec.distribution ?? inferDistribution(spec)
  const min = spec.min ?? 0
  const max = spec.max ?? 1
  const q = spec.q ?? 1
  const quant = (x: number) => Number((Math.round(x / q) * q).toFixed(12))
  const uniform = (lo: number, hi: number) => lo + (hi - lo) * rand()
  const normal = () => (spec.mu ?? 0) + (spec.sigma ?? 1) * gaussian(rand)
  switch (dist) {
    case 'constant':
      return spec.value
    case 'categorical':
      return categorical(spec.values ?? [], spec.probabilities, rand)
    case 'int_uniform':
      return Math.floor(uniform(min, max + 1))
    case 'uniform':
      return uniform(min, max)
    case 'q_uniform':
      return quant(uniform(min, max))
    case 'log_uniform':
      return Math.exp(uniform(min, max))
    case 'log_uniform_values':
      return Math.exp(uniform(Math.log(min), Math.log(max)))
    case 'q_log_uniform':
      return quant(Math.exp(uniform(min, max)))
    case 'q_log_uniform_values':
      return quant(Math.exp(uniform(Math.log(min), Math.log(max))))
    case 'inv_log_uniform':
      return Math.exp(-uniform(min, max))
    case 'inv_log_uniform_values':
      return 1 / Math.exp(uniform(Math.log(1 / max), Math.log(1 / min)))
    case 'normal':
      return normal()
    case 'q_normal':
      return quant(normal())
    case 'log_normal':
      return Math.exp(normal())
    case 'q_log_normal':
      return quant(Math.exp(normal()))
    case 'beta':
      return beta(spec.a ?? 1, spec.b ?? 1, rand)
    case 'q_beta':
      return quant(beta(spec.a ?? 1, spec.b ?? 1, rand))
    default:
      throw new Error(`unsupported parameter distribution: ${dist}`)
  }
}

/** The distribution the SDK would fill in for a spec without one. */
function inferDistribution(spec: ParamSpec): string {
  if (Array.isArray(spec.values)) return 'categorical'
  if ('value' in spec) return 'constant'
  if (Number.isInteger(spec.min) && Number.isInteger(spec.max)) return 'int_uniform'
  return 'uniform'
}

function categorical(values: unknown[], probabilities: number[] | undefined, rand: Random): unknown {
  if (values.length === 0) throw new Error('categorical parameter has no values')
  if (!probabilities || probabilities.length !== values.length) return values[Math.floor(rand() * values.length)]
  const total = probabilities.reduce((a, b) => a + b, 0)
  let r = rand() * total
  for (let i = 0; i < values.length; i++) {
    r -= probabilities[i]
    if (r < 0) return values[i]
  }
  return values[values.length - 1]
}

/** Standard normal by Box–Muller. */
function gaussian(rand: Random): number {
  const u = 1 - rand()
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand())
}

/** Gamma(k, 1) by Marsaglia–Tsang (boosted for k < 1). */
function gamma(k: number, rand: Random): number {
  if (k < 1) return gamma(k + 1, rand) * Math.pow(rand(), 1 / k)
  const d = k - 1 / 3
  const c = 1 / Math.sqrt(9 * d)
  for (;;) {
    const x = gaussian(rand)
    const v = Math.pow(1 + c * x, 3)
    if (v <= 0) continue
    const u = rand()
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v
  }
}

function beta(a: number, b: number, rand: Random): number {
  const x = gamma(a, rand)
  return x / (x + gamma(b, rand))
}

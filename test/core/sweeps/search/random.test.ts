/**
 * Random search: every distribution sweeps 0.2.0 supports, with the sweeps repository's own
 * settings (random-cases.ts). Each distribution's quantile function equals sweeps' at fixed
 * points (so a seeded draw maps to the same value), and seeded samples of nextRun match a
 * sample drawn by sweeps itself in range, quantization and a two-sample Kolmogorov–Smirnov test.
 */
import {beforeAll, describe, expect, test} from 'bun:test'
import {nextRun} from '../../../../src/core/sweeps/search/index.ts'
import {HyperParameter} from '../../../../src/core/sweeps/search/hyperparameter.ts'
import {seededRandom} from '../../../helpers/seeded-random.ts'
import {RANDOM_CASES} from './random-cases.ts'
import {type OracleResult, ok, sweepsOracle} from './oracle.ts'

const N = 2000
const NESTED = {method: 'random', parameters: {b: {value: 1}, a: {parameters: {lr: {distribution: 'log_uniform_values', min: 1e-4, max: 1e-1}, k: {value: 'x'}}}}}
const QUANTILES = [1e-9, 0.001, 0.01, 0.05, 0.1, 0.2, 0.25, 0.3, 1 / 3, 0.4, 0.45, 0.5, 0.55, 0.6, 2 / 3, 0.7, 0.75, 0.8, 0.9, 0.95, 0.99, 0.999, 1 - 1e-9]

/** The two-sample Kolmogorov–Smirnov statistic of numeric samples. */
function ks(a: number[], b: number[]): number {
  const x = [...a].sort((p, q) => p - q)
  const y = [...b].sort((p, q) => p - q)
  let i = 0
  let j = 0
  let d = 0
  while (i < x.length && j < y.length) {
    const v = Math.min(x[i], y[j])
    while (i < x.length && x[i] <= v) i++
    while (j < y.length && y[j] <= v) j++
    d = Math.max(d, Math.abs(i / x.length - j / y.length))
  }
  return d
}

/** Values as numbers for the KS test: categorical values by their index. */
function numeric(values: unknown[], settings: Record<string, unknown>): number[] {
  const cats = settings.values as unknown[] | undefined
  if (!cats) return values as number[]
  return values.map((v) => cats.findIndex((c) => JSON.stringify(c) === JSON.stringify(v)))
}

function close(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b))
  return JSON.stringify(a) === JSON.stringify(b)
}

describe('random search as sweeps 0.2.0', () => {
  let ppf: OracleResult[]
  let samples: OracleResult[]
  let nested: OracleResult
  beforeAll(async () => {
    const results = await sweepsOracle([
      ...RANDOM_CASES.map((c) => ({op: 'ppf', name: 'v', settings: c.settings, xs: QUANTILES})),
      ...RANDOM_CASES.map((c, i) => ({op: 'draw', name: 'v', settings: c.settings, n: N, seed: 1000 + i})),
      {op: 'sample', config: NESTED, n: 5, seed: 5},
    ])
    ppf = results.slice(0, RANDOM_CASES.length)
    samples = results.slice(RANDOM_CASES.length, 2 * RANDOM_CASES.length)
    nested = results[2 * RANDOM_CASES.length]
  })

  RANDOM_CASES.forEach((c, i) => {
    test(`${c.name}: quantiles, range, quantization and distribution`, () => {
      const p = HyperParameter.of('v', c.settings)
      const expected = ok<unknown[]>(ppf[i])
      QUANTILES.forEach((x, k) => {
        const ours = p.ppf(x)
        if (!close(ours, expected[k])) throw new Error(`${c.name}: ppf(${x}) = ${JSON.stringify(ours)}, sweeps ${JSON.stringify(expected[k])}`)
      })

      const rng = seededRandom(7 + i)
      const ours = Array.from({length: N}, () => nextRun({method: 'random', parameters: {v: c.settings}}, [], {rng})?.config.v.value)
      const theirs = ok<unknown[]>(samples[i])
      if (c.range) {
        for (const v of ours) {
          expect(v as number).toBeGreaterThanOrEqual(c.range[0])
          expect(v as number).toBeLessThanOrEqual(c.range[1])
        }
      }
      if (c.q) for (const v of ours) expect(Math.abs((v as number) / c.q - Math.round((v as number) / c.q))).toBeLessThan(1e-6)
      if (c.integer) for (const v of ours) expect(Number.isInteger(v)).toBe(true)
      if (c.integer) for (const v of theirs) expect(Number.isInteger(v)).toBe(true)
      if ('value' in c.settings) {
        expect(new Set(ours.map((v) => JSON.stringify(v)))).toEqual(new Set([JSON.stringify(c.settings.value)]))
        return
      }
      // two-sample KS at about the 0.1% level; plus the distinct values sweeps produced, for discrete ones
      expect(ks(numeric(ours, c.settings), numeric(theirs, c.settings))).toBeLessThan(1.95 * Math.sqrt(2 / N))
      if (c.integer || c.settings.values) {
        const mine = new Set(ours.map((v) => JSON.stringify(v)))
        for (const v of new Set(theirs.map((t) => JSON.stringify(t)))) if (theirs.filter((t) => JSON.stringify(t) === v).length > 20) expect(mine.has(v)).toBe(true)
      }
    })
  })

  test('categorical_w_probabilities counts are within 3 sigma of the weights (the upstream check)', () => {
    const values = [1, 2, 3, 4]
    const probabilities = [0.1, 0.2, 0.3, 0.4]
    const rng = seededRandom(99)
    const draws = Array.from({length: 4000}, () => nextRun({method: 'random', parameters: {v: {values, probabilities}}}, [], {rng})?.config.v.value)
    values.forEach((v, i) => {
      const expected = 4000 * probabilities[i]
      expect(Math.abs(draws.filter((d) => d === v).length - expected)).toBeLessThanOrEqual(3 * Math.sqrt(expected))
    })
  })

  test('a nested config samples every leaf and keeps constants, in the shape sweeps gives', () => {
    const rng = seededRandom(3)
    const r = nextRun(NESTED, [], {rng})
    const shape = (c: unknown) => JSON.stringify(c, (_k, v) => (typeof v === 'number' ? 0 : v))
    for (const theirs of ok<unknown[]>(nested)) expect(shape(r?.config)).toBe(shape(theirs))
    expect(Object.keys(r?.config ?? {}).sort()).toEqual(['a', 'b'])
    const a = r?.config.a.value as {lr: number; k: string}
    expect(a.k).toBe('x')
    expect(a.lr).toBeGreaterThanOrEqual(1e-4)
    expect(a.lr).toBeLessThanOrEqual(1e-1)
    expect(r?.config.b.value).toBe(1)
  })
})

/**
 * Bayesian search: it beats random search on a smooth 2-D objective, and the sweeps
 * repository's own bayes cases (tests/test_bayes_search.py, v0.2.0) hold with fewer iterations:
 * convergence on a quadratic and on a categorical of lists, random points when every metric is
 * missing, NaN or a bool (the kernel fit hits its bounds), preempted runs counted as running, and
 * the impute strategies. Errors are those sweeps raises.
 */
import {beforeAll, describe, expect, test} from 'bun:test'
import {SweepSearchError, type SweepRun, nextRun} from '../../../../src/core/sweeps/search/index.ts'
import {seededRandom} from '../../../helpers/seeded-random.ts'
import {type OracleResult, run, sweepsOracle, thrown} from './oracle.ts'

type Objective = (r: SweepRun) => number

/** Runs `iterations` suggestions of `config`, each finished with its objective in history. */
function search(config: Record<string, unknown>, f: Objective, iterations: number, seed: number, init: SweepRun[] = []): SweepRun[] {
  const rng = seededRandom(seed)
  const runs = [...init]
  const metric = (config.metric as {name: string}).name
  for (let i = 0; i < iterations; i++) {
    const s = nextRun(config, runs, {rng})
    if (!s) throw new Error('bayes returned null')
    s.state = 'finished'
    s.history = [{[metric]: f(s)}]
    runs.push(s)
  }
  return runs
}

const v = (r: SweepRun, k: string) => r.config[k].value as number

/** The one-sample KS statistic against the uniform distribution on [lo, hi]. */
function _ksUniform(xs: number[], lo: number, hi: number): number {
  const s = [...xs].sort((a, b) => a - b)
  return s.reduce((d, x, i) => Math.max(d, Math.abs((x - lo) / (hi - lo) - i / s.length), Math.abs((x - lo) / (hi - lo) - (i + 1) / s.length)), 0)
}

describe('bayes against random on a smooth objective', () => {
  test('the best of 20 trials is better than random search in at least 8 of 10 seeds', () => {
    const bowl: Objective = (r) => -((v(r, 'x') - 0.3) ** 2 + (v(r, 'y') + 0.6) ** 2)
    const parameters = {x: {distribution: 'uniform', min: -2, max: 2}, y: {distribution: 'uniform', min: -2, max: 2}}
    const best = (runs: SweepRun[]) => Math.max(...runs.map((r) => r.history[0].score as number))
    let wins = 0
    for (let seed = 1; seed <= 10; seed++) {
      const bayes = best(search({method: 'bayes', metric: {name: 'score', goal: 'maximize'}, parameters}, bowl, 20, seed))
      const random = best(search({method: 'random', metric: {name: 'score', goal: 'maximize'}, parameters}, bowl, 20, seed + 100))
      if (bayes > random) wins++
    }
    expect(wins).toBeGreaterThanOrEqual(8)
  })
})

describe('the sweeps repository bayes cases', () => {
  const TWO = {metric: {name: 'loss', goal: 'minimize'}, method: 'bayes', parameters: {v1: {min: 1, max: 10}, v2: {min: 1.0, max: 10.5}}}

  test('zero runs: an int and a float in range', () => {
    const r = nextRun(TWO, [], {rng: seededRandom(1)})
    expect(Number.isInteger(r?.config.v1.value)).toBe(true)
    expect(v(r as SweepRun, 'v1')).toBeGreaterThanOrEqual(1)
    expect(v(r as SweepRun, 'v1')).toBeLessThanOrEqual(10)
    expect(v(r as SweepRun, 'v2')).toBeGreaterThanOrEqual(1)
    expect(v(r as SweepRun, 'v2')).toBeLessThanOrEqual(10.5)
  })

  test('two finished runs, then the quadratic (v1 - 5)^2 + (v2 - 2)^2 is found', () => {
    const init = [run('b', 'finished', {config: {v1: 7, v2: 6}, history: [{loss: 5.0}], summary: {zloss: 1.2}}), run('b2', 'finished', {config: {v1: 1, v2: 8}, summary: {loss: 52.0}})]
    const loss: Objective = (r) => (v(r, 'v1') - 5) ** 2 + (v(r, 'v2') - 2) ** 2
    const runs = search(TWO, loss, 60, 2, init)
    const best = runs.slice(2).reduce((a, b) => (loss(a) < loss(b) ? a : b))
    expect(Math.abs(v(best, 'v1') - 5)).toBeLessThan(0.2)
    expect(Math.abs(v(best, 'v2') - 2)).toBeLessThan(0.2)
  })

  test('a categorical of lists: the best list value and v2 at its top', () => {
    const values = [
      [2, 3],
      [3, 4],
      ['5', '6'],
      [
        [7, 8],
        ['9', [10, 11]],
      ],
    ]
    const config = {method: 'bayes', metric: {name: 'acc', goal: 'maximize'}, parameters: {v1: {distribution: 'categorical', values}, v2: {min: 1, max: 10}}}
    const acc: Objective = (r) => 0.5 * ((v(r, 'v2') - 1) / 9) + [0.1, 0.2, 0.5, 0.1][values.findIndex((x) => JSON.stringify(x) === JSON.stringify(r.config.v1.value))]
    const init = [run('b', 'finished', {config: {v1: [3, 4], v2: 5}}), run('b', 'finished', {config: {v1: [2, 3], v2: 5}})]
    for (const r of init) r.summaryMetrics = {acc: acc(r)}
    const runs = search(config, acc, 40, 3, init)
    const best = runs.reduce((a, b) => (acc(a) > acc(b) ? a : b))
    expect(best.config.v1.value).toEqual(['5', '6'])
    expect(Math.abs(v(best, 'v2') - 10)).toBeLessThan(0.2)
  })

  const flatCases: [string, Record<string, unknown>, SweepRun[]][] = [
    [
      'missing metric',
      {metric: {name: 'loss', goal: 'minimize'}},
      [run('b', 'finished', {config: {v2: 6}, history: [{xloss: 5.0}], summary: {zloss: 1.2}}), run('b2', 'finished', {config: {v2: 8}, summary: {xloss: 52.0}})],
    ],
    [
      'missing metric, maximize',
      {metric: {name: 'acc', goal: 'maximize'}},
      [run('b', 'finished', {config: {v2: 6}, history: [{xloss: 5.0}]}), run('b2', 'finished', {config: {v2: 8}, summary: {xloss: 52.0}})],
    ],
    [
      'NaN metrics',
      {metric: {name: 'loss', goal: 'minimize'}},
      [
        run('b', 'finished', {config: {v2: 6}, history: [{loss: Number.NaN}]}),
        run('b', 'finished', {config: {v2: 8}, summary: {loss: Number.NaN}}),
        run('b', 'finished', {config: {v2: 3}, history: [{loss: 'NaN'}]}),
        run('b', 'finished', {config: {v2: 5}, summary: {loss: 'NaN'}}),
      ],
    ],
    [
      'bool metrics',
      {metric: {name: 'xloss', goal: 'minimize'}},
      [run('b', 'finished', {config: {v2: 6}, history: [{xloss: true}]}), run('b2', 'finished', {config: {v2: 8}, summary: {xloss: false}})],
    ],
  ]
  for (const [what, metric, init] of flatCases) {
    test(`${what}: every value imputed alike, so the points are uniform random`, () => {
      const config = {method: 'bayes', ...metric, parameters: {v2: {min: 1, max: 10}}}
      const rng = seededRandom(5)
      const runs = [...init]
      for (let i = 0; i < 80; i++) {
        const s = nextRun(config, runs, {rng}) as SweepRun
        s.state = 'finished'
        runs.push(s)
      }
      const xs = runs.slice(init.length).map((r) => v(r, 'v2'))
      // randint over 1..10, 8 expected of each: every value comes up, none dominates
      const counts = Array.from({length: 10}, (_, k) => xs.filter((x) => x === k + 1).length)
      for (const c of counts) {
        expect(c).toBeGreaterThan(0)
        expect(c).toBeLessThanOrEqual(20)
      }
    })
  }

  test('preempted and preempting runs count as running (the same suggestion, same seed)', () => {
    const config = {method: 'bayes', metric: {name: 'acc', goal: 'maximize'}, parameters: {v2: {min: 1.5, max: 10}, v3: {min: 0.0, max: 1.5}}}
    const finished = [run('f1', 'finished', {config: {v2: 2, v3: 0.5}, summary: {acc: 1}}), run('f2', 'finished', {config: {v2: 8, v3: 1.0}, summary: {acc: 3}})]
    for (const state of ['preempted', 'preempting', 'pending'] as const) {
      const other = run('x', state, {config: {v2: 5, v3: 0.2}})
      const a = nextRun(config, [...finished, other], {rng: seededRandom(11)})
      const b = nextRun(config, [...finished, {...other, state: 'running'}], {rng: seededRandom(11)})
      expect(a?.config).toEqual(b?.config as Record<string, {value: unknown}>)
    }
  })

  const failed = () =>
    [
      [0.2, [10, 8, 10]],
      [0.4, [10, 6, 10]],
      [0.6, [10, 4, 4, 10]],
      [0.8, [10, 2, 2, 10]],
      [0.9, [10, 1, 1, 10]],
    ].map(([a, h], i) => run(`r${i}`, 'failed', {config: {a}, history: (h as number[]).map((loss) => ({loss}))}))
  const towardsOne: Objective = (r) => 10 - v(r, 'a') * 10
  const bestA = (runs: SweepRun[]) => runs.filter((r) => r.state === 'finished').reduce((x, y) => (towardsOne(x) < towardsOne(y) ? x : y))

  test('impute best: failed runs count with their best value and the search heads for a = 1', () => {
    const config = {method: 'bayes', metric: {name: 'loss', goal: 'minimize', impute: 'best'}, parameters: {a: {min: 0.0, max: 1.0, distribution: 'uniform'}}}
    for (const seed of [1, 2, 3]) expect(Math.abs(v(bestA(search(config, towardsOne, 5, seed, failed())), 'a') - 1)).toBeLessThan(0.01)
  })

  test('impute worst or latest: the failed runs carry no slope, the search does not head for a = 1 as fast', () => {
    let misses = 0
    for (const impute of ['worst', 'latest']) {
      const config = {method: 'bayes', metric: {name: 'loss', goal: 'minimize', impute}, parameters: {a: {min: 0.0, max: 1.0, distribution: 'uniform'}}}
      for (const seed of [1, 2, 3]) if (Math.abs(v(bestA(search(config, towardsOne, 5, seed, failed())), 'a') - 1) >= 0.001) misses++
    }
    expect(misses).toBeGreaterThanOrEqual(4)
  })

  test('constants stay set next to the searched parameters', () => {
    const config = {
      method: 'bayes',
      metric: {name: 'm', goal: 'maximize'},
      parameters: {model: {value: 'ElasticNet'}, cols: {value: ['a', 'b']}, l1: {max: 1.0, min: 0.0, distribution: 'uniform'}, alpha: {distribution: 'log_uniform_values', min: 1e-4, max: 1e3}},
    }
    const runs = search(config, (r) => -Math.abs(v(r, 'l1') - 0.5), 6, 4)
    for (const r of runs) {
      expect(r.config.model.value).toBe('ElasticNet')
      expect(r.config.cols.value).toEqual(['a', 'b'])
      expect(v(r, 'alpha')).toBeGreaterThanOrEqual(1e-4)
      expect(v(r, 'alpha')).toBeLessThanOrEqual(1e3)
    }
  })
})

describe('what bayes search refuses, as sweeps does', () => {
  const finished = [run('a', 'finished', {config: {p: 1}, summary: {loss: 1}}), run('b', 'finished', {config: {p: 2}, summary: {loss: 2}})]
  const cases: [string, Record<string, unknown>, SweepRun[], string][] = [
    ['no metric', {method: 'bayes', parameters: {p: {values: [1, 2]}}}, [], 'metric'],
    ['only constants', {method: 'bayes', metric: {name: 'loss'}, parameters: {p: {value: 1}}}, [], 'parameters'],
    ['categorical_w_probabilities', {method: 'bayes', metric: {name: 'loss'}, parameters: {p: {values: [1, 2], probabilities: [0.5, 0.5]}}}, finished, 'parameters.p'],
    ['a run value outside the categorical', {method: 'bayes', metric: {name: 'loss'}, parameters: {p: {values: [1, 3]}}}, finished, 'parameters.p'],
    ['a string for a numeric parameter', {method: 'bayes', metric: {name: 'loss'}, parameters: {p: {min: 0.5, max: 3}}}, [run('a', 'finished', {config: {p: 'x'}})], 'parameters.p'],
  ]
  let oracle: OracleResult[]
  beforeAll(async () => {
    oracle = await sweepsOracle(cases.map(([, config, runs]) => ({op: 'next', config, runs, seed: 1})))
  })
  cases.forEach(([what, config, runs, key], i) => {
    test(what, () => {
      expect('error' in oracle[i]).toBe(true)
      const err = thrown(() => nextRun(config, runs, {rng: seededRandom(1)}))
      expect(err).toBeInstanceOf(SweepSearchError)
      expect((err as SweepSearchError).key).toBe(key)
    })
  })

  test('an unknown goal falls back to minimize, as sweeps fills it', () => {
    const config = {method: 'bayes', metric: {name: 'loss', goal: 'minimise'}, parameters: {p: {min: 0.5, max: 3.5}}}
    expect(nextRun(config, finished, {rng: seededRandom(2)})?.config.p.value).toBeNumber()
  })
})

/**
 * Hyperband early termination: the sweeps repository's own cases (hyperband-cases.ts), the
 * same runs stopped as the real sweeps 0.2.0 on seeded random curves for many settings, and the
 * configs it refuses.
 */
import {beforeAll, describe, expect, test} from 'bun:test'
import {SweepSearchError, type SweepRun, stopRuns} from '../../../../src/core/sweeps/search/index.ts'
import {hyperbandBands} from '../../../../src/core/sweeps/search/hyperband.ts'
import {seededRandom} from '../../../helpers/seeded-random.ts'
import {HYPERBAND_CASES} from './hyperband-cases.ts'
import {type OracleResult, ok, run, sweepsOracle, thrown} from './oracle.ts'

const PARAMS = {a: {values: [1, 2, 3]}}

function caseRuns(c: (typeof HYPERBAND_CASES)[number]): SweepRun[] {
  return c.runs.map((r) => run(r.name, r.state, {history: r.curve.map((v) => ({[c.metric.name]: v, _step: 0}))}))
}

describe('the sweeps repository hyperband cases', () => {
  for (const c of HYPERBAND_CASES) {
    test(c.name, () => {
      const runs = caseRuns(c)
      const stopped = stopRuns({method: 'grid', metric: c.metric, early_terminate: c.earlyTerminate, parameters: PARAMS}, runs)
      expect(stopped.map((r) => r.name)).toEqual(c.stopped)
      for (const r of stopped) expect(runs).toContain(r)
    })
  }

  test('the bands of min_iter, max_iter and the upstream examples', () => {
    expect(hyperbandBands({type: 'hyperband', min_iter: 3, eta: 3}).bands.slice(0, 3)).toEqual([3, 9, 27])
    expect(hyperbandBands({type: 'hyperband', max_iter: 81, eta: 3, s: 3}).bands).toEqual([3, 9, 27])
    expect(hyperbandBands({type: 'hyperband', max_iter: 18, eta: 3, s: 2}).bands).toEqual([2, 6])
    expect(hyperbandBands({type: 'hyperband', min_iter: 2}).bands.slice(0, 4)).toEqual([2, 6, 18, 54])
    expect(hyperbandBands({type: 'hyperband', max_iter: 27, s: 5}).bands).toEqual([1, 3, 9])
  })

  test('a bad early_terminate is refused (the upstream "hyperband" string)', () => {
    const err = thrown(() => stopRuns({method: 'bayes', metric: {goal: 'minimize', name: 'loss'}, early_terminate: 'hyperband', parameters: PARAMS}, []))
    expect(err).toBeInstanceOf(SweepSearchError)
    expect((err as SweepSearchError).key).toBe('early_terminate')
  })

  test('no early_terminate stops nothing', () => {
    expect(stopRuns({method: 'grid', parameters: PARAMS}, caseRuns(HYPERBAND_CASES[0]))).toEqual([])
  })
})

/** Seeded curves: some decreasing, some flat, some noisy, with gaps, NaN strings and bools. */
function randomRuns(seed: number, metric: string): SweepRun[] {
  const rand = seededRandom(seed)
  const states = ['running', 'running', 'running', 'finished', 'failed', 'pending'] as const
  return Array.from({length: 3 + Math.floor(rand() * 12)}, (_, i) => {
    const len = Math.floor(rand() * 40)
    const start = 5 + rand() * 10
    const slope = rand() * 0.5
    const history: Record<string, unknown>[] = []
    for (let s = 0; s < len; s++) {
      const u = rand()
      if (u < 0.05) history.push({other: 1})
      else if (u < 0.08) history.push({[metric]: 'NaN'})
      else if (u < 0.1) history.push({[metric]: true})
      else history.push({[metric]: Math.round((start - slope * s + rand()) * 100) / 100})
    }
    return run(`r${i}`, states[Math.floor(rand() * states.length)], {history})
  })
}

const SETTINGS: Record<string, unknown>[] = [
  {type: 'hyperband', min_iter: 3},
  {type: 'hyperband', min_iter: 2, eta: 2},
  {type: 'hyperband', min_iter: 1, eta: 1.5},
  {type: 'hyperband', max_iter: 27, s: 3},
  {type: 'hyperband', max_iter: 30, s: 4, eta: 2},
  {type: 'hyperband', max_iter: 40, s: 2, eta: 2.5, strict: true},
  {type: 'hyperband', min_iter: 4, eta: 3, max_iter: 20, s: 1},
]

describe('the same runs stopped as sweeps 0.2.0 on recorded curves', () => {
  const cases = SETTINGS.flatMap((et, i) =>
    [0, 1, 2, 3, 4, 5].map((k) => {
      const goal = k % 2 === 0 ? 'minimize' : 'maximize'
      return {config: {method: 'random', metric: {name: 'loss', goal}, early_terminate: et, parameters: PARAMS}, runs: randomRuns(100 * i + k, 'loss')}
    }),
  )
  let oracle: OracleResult[]
  beforeAll(async () => {
    oracle = await sweepsOracle(cases.map((c) => ({op: 'stop', ...c})))
  })
  test(`${cases.length} sweeps`, () => {
    let stoppedSome = 0
    cases.forEach((c, i) => {
      const ours = stopRuns(c.config, c.runs).map((r) => r.name)
      expect({i, stopped: ours}).toEqual({i, stopped: ok<string[]>(oracle[i])})
      if (ours.length > 0) stoppedSome++
    })
    expect(stoppedSome).toBeGreaterThan(cases.length / 3)
  })
})

describe('the early_terminate settings sweeps refuses', () => {
  const bad: [string, Record<string, unknown>, string][] = [
    ['neither min_iter nor max_iter', {type: 'hyperband', eta: 3}, 'early_terminate'],
    ['max_iter without s', {type: 'hyperband', max_iter: 9}, 'early_terminate'],
    ['a float s', {type: 'hyperband', max_iter: 9, s: 2.5}, 'early_terminate.s'],
    ['eta of 1', {type: 'hyperband', min_iter: 3, eta: 1}, 'early_terminate.eta'],
    ['min_iter 0', {type: 'hyperband', min_iter: 0}, 'early_terminate.min_iter'],
    ['no band fits', {type: 'hyperband', max_iter: 2, s: 2, eta: 3}, 'early_terminate'],
    ['an unknown type', {type: 'median'}, 'early_terminate.type'],
  ]
  let oracle: OracleResult[]
  beforeAll(async () => {
    oracle = await sweepsOracle(bad.map(([, et]) => ({op: 'stop', config: {method: 'grid', metric: {name: 'loss'}, early_terminate: et, parameters: PARAMS}, runs: []})))
  })
  bad.forEach(([what, et, key], i) => {
    test(what, () => {
      expect('error' in oracle[i]).toBe(true)
      const err = thrown(() => stopRuns({method: 'grid', metric: {name: 'loss'}, early_terminate: et, parameters: PARAMS}, []))
      expect(err).toBeInstanceOf(SweepSearchError)
      expect((err as SweepSearchError).key).toBe(key)
    })
  })

  test('a missing or malformed metric', () => {
    expect((thrown(() => stopRuns({method: 'grid', early_terminate: {type: 'hyperband', min_iter: 3}, parameters: PARAMS}, [])) as SweepSearchError).key).toBe('metric')
    expect((thrown(() => stopRuns({method: 'grid', metric: {goal: 'minimize'}, early_terminate: {type: 'hyperband', min_iter: 3}, parameters: PARAMS}, [])) as SweepSearchError).key).toBe(
      'metric.name',
    )
  })
})

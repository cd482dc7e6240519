/**
 * Grid search: the sweeps repository's own grid cases (grid-cases.ts), and the same sequence of
 * suggestions as the real sweeps 0.2.0 for configs with nested, mixed, constant, int_uniform and
 * q_uniform parameters, runs already there, and the errors it raises.
 */
import {beforeAll, describe, expect, test} from 'bun:test'
import {SweepSearchError, type SweepRun, nextRun} from '../../../../src/core/sweeps/search/index.ts'
import {GRID_CASES} from './grid-cases.ts'
import {type OracleResult, ok, run, sweepsOracle, thrown} from './oracle.ts'

/** Every suggestion until null (each appended as a pending run), at most `limit`. */
function exhaust(config: Record<string, unknown>, runs: SweepRun[], limit = 1000): (Record<string, {value: unknown}> | null)[] {
  const out: (Record<string, {value: unknown}> | null)[] = []
  for (let i = 0; i < limit; i++) {
    const next = nextRun(config, runs)
    out.push(next?.config ?? null)
    if (!next) break
    runs.push(next)
  }
  return out
}

describe('the sweeps repository grid cases', () => {
  for (const c of GRID_CASES) {
    test(c.name, () => {
      const runs = (c.runs ?? []).map((cfg, i) => run(`r${i}`, 'finished', {config: cfg}))
      const suggestions = exhaust({method: 'grid', parameters: c.parameters}, runs)
      expect(suggestions[suggestions.length - 1]).toBeNull()
      const pairs = [...(c.runs ?? []).map((r) => [r.v1, r.v2]), ...suggestions.slice(0, -1).map((s) => [s?.v1.value, s?.v2.value])]
      expect(pairs.length).toBe(c.answers.length)
      if (c.ordered) expect(pairs).toEqual(c.answers)
      else for (const p of pairs) expect(c.answers).toContainEqual(p)
      for (const s of suggestions.slice(0, -1)) expect(Object.keys(s ?? {}).sort()).toEqual(Object.keys(c.parameters).sort())
    })
  }

  test('a constant is propagated next to the grid values', () => {
    const r = nextRun({method: 'grid', parameters: {v1: {values: ['a', 'b', "c'"]}, v2: {value: 1}}}, [])
    expect(r?.config).toEqual({v1: {value: 'a'}, v2: {value: 1}})
    expect(r?.state).toBe('pending')
  })
})

/**
 * `flatten`: the oracle also records each suggestion's nested parameters under their flattened
 * names, as later sweeps match runs (wandb/sweeps#121) and as nexus's grid does; 0.2.0 itself
 * never ends such a grid.
 */
const DIFFERENTIAL: {name: string; config: Record<string, unknown>; runs?: Record<string, unknown>[]; steps?: number; flatten?: boolean}[] = [
  {name: 'three categoricals', config: {method: 'grid', parameters: {lr: {values: [0.1, 0.01, 0.001]}, opt: {values: ['adam', 'sgd']}, bs: {values: [16, 32]}}}},
  {
    name: 'mixed: values, value, int_uniform, q_uniform (float and int q)',
    config: {
      method: 'grid',
      parameters: {
        z: {values: [true, false]},
        a: {value: 'const'},
        n: {min: 1, max: 3},
        q: {distribution: 'q_uniform', min: 0, max: 1.2, q: 0.25},
        k: {distribution: 'q_uniform', min: 2, max: 11, q: 3},
      },
    },
  },
  {
    name: 'runs already there, with partial and unknown configs',
    config: {method: 'grid', parameters: {a: {values: [1, 2, 3]}, b: {values: ['x', 'y']}}},
    runs: [{a: 2, b: 'y'}, {a: 1}, {a: 3, b: 'x', c: 5}, {a: 1, b: 'x'}],
  },
  {
    name: 'nested parameters: every point once, then the end (sweeps 0.2.0 repeats the first point forever)',
    config: {method: 'grid', parameters: {outer: {parameters: {x: {values: [1, 2]}, y: {value: 'k'}}}, b: {values: [10, 20]}}},
    steps: 6,
    flatten: true,
  },
  {
    name: 'nested runs recorded with the flattened names',
    config: {method: 'grid', parameters: {outer: {parameters: {x: {values: [1, 2]}}}, b: {values: [10, 20]}}},
    runs: [{'outer.wbnest[599c28ca25da].x': 2, b: 10}],
    steps: 8,
    flatten: true,
  },
  {
    name: 'deep nesting and dict values',
    config: {method: 'grid', parameters: {m: {parameters: {n: {parameters: {o: {values: [{p: 1}, {p: 2}]}}}}}, a: {values: [[1, 2], [3]]}}},
    steps: 8,
    flatten: true,
  },
  {name: 'int and float values kept apart', config: {method: 'grid', parameters: {v: {values: [1, 1.5, '1', true, null]}}}, runs: [{v: 1}, {v: '1'}]},
]

describe('the same suggestions as sweeps 0.2.0', () => {
  let oracle: OracleResult[]
  beforeAll(async () => {
    oracle = await sweepsOracle(
      DIFFERENTIAL.map((d) => ({
        op: 'grid',
        config: d.config,
        steps: d.steps ?? 1000,
        flatten: d.flatten ?? false,
        runs: (d.runs ?? []).map((cfg, i) => run(`r${i}`, 'finished', {config: cfg})),
      })),
    )
  })
  DIFFERENTIAL.forEach((d, i) => {
    test(d.name, () => {
      const runs = (d.runs ?? []).map((cfg, j) => run(`r${j}`, 'finished', {config: cfg}))
      const ours = exhaust(d.config, runs, d.steps ?? 1000)
      expect(ours).toEqual(ok(oracle[i]))
      expect(ours.length).toBeGreaterThan(1)
      // a grid ends after its points, each once
      if (d.flatten) expect(new Set(ours.map((c) => JSON.stringify(c))).size).toBe(ours.length)
    })
  })
})

describe('what grid search refuses, as sweeps does', () => {
  const bad: [string, Record<string, unknown>, string][] = [
    ['a uniform float range', {x: {min: 0.5, max: 1.5}}, 'parameters.x'],
    ['categorical with probabilities', {x: {values: [1, 2], probabilities: [0.5, 0.5]}}, 'parameters.x'],
    ['a normal distribution', {x: {distribution: 'normal'}}, 'parameters.x'],
    ['settings that match no parameter form', {x: {values: [1], bogus: 2}}, 'parameters.x'],
    ['min not below max', {x: {min: 3, max: 3}}, 'parameters.x'],
  ]
  let oracle: OracleResult[]
  beforeAll(async () => {
    oracle = await sweepsOracle(bad.map(([, parameters]) => ({op: 'grid', config: {method: 'grid', parameters}, steps: 1})))
  })
  bad.forEach(([what, parameters, key], i) => {
    test(what, () => {
      expect('error' in oracle[i]).toBe(true)
      const err = thrown(() => nextRun({method: 'grid', parameters}, []))
      expect(err).toBeInstanceOf(SweepSearchError)
      expect((err as SweepSearchError).key).toBe(key)
      expect((err as SweepSearchError).userText).toContain('x')
    })
  })

  test('a config without method, parameters, or with an unknown method', () => {
    expect((thrown(() => nextRun({parameters: {a: {value: 1}}}, [])) as SweepSearchError).key).toBe('method')
    expect((thrown(() => nextRun({method: 'grid'}, [])) as SweepSearchError).key).toBe('parameters')
    expect((thrown(() => nextRun({method: 'grid', parameters: {}}, [])) as SweepSearchError).key).toBe('parameters')
    expect((thrown(() => nextRun({method: 'custom', parameters: {a: {value: 1}}}, [])) as SweepSearchError).userText).toContain('custom')
  })

  test('a run whose config entry is not wrapped in {value}', () => {
    const bad = {name: 'r', state: 'finished', config: {a: 1}, summaryMetrics: {}, history: []} as unknown as SweepRun
    const err = thrown(() => nextRun({method: 'grid', parameters: {a: {values: [1, 2]}}}, [bad]))
    expect(err).toBeInstanceOf(SweepSearchError)
    expect((err as SweepSearchError).userText).toContain('{value: ...}')
  })
})

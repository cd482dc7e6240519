/**
 * Grid-search cases ported from the sweeps repository's tests (wandb/sweeps v0.2.0,
 * tests/test_grid_search.py) as data: the config, the runs already there, and the suggestions
 * the upstream test expects until the grid is exhausted (`ordered`: the upstream test checks the
 * order too).
 */
export interface GridCase {
  name: string
  parameters: Record<string, unknown>
  runs?: Record<string, unknown>[]
  /** expected (v1, v2) pairs */
  answers: unknown[][]
  ordered?: boolean
}

export const GRID_CASES: GridCase[] = [
  {
    name: 'two categorical params from the start',
    parameters: {v1: {values: [1, 2, 3]}, v2: {values: [4, 5]}},
    answers: [
      [1, 4],
      [1, 5],
      [2, 4],
      [2, 5],
      [3, 4],
      [3, 5],
    ],
    ordered: true,
  },
  {
    name: 'starting from runs in progress',
    parameters: {v1: {values: [1, 2, 3]}, v2: {values: [4, 5]}},
    runs: [
      {v1: 2, v2: 4},
      {v1: 1, v2: 5},
    ],
    answers: [
      [2, 4],
      [1, 5],
      [1, 4],
      [2, 5],
      [3, 4],
      [3, 5],
    ],
  },
  {
    name: 'list values',
    parameters: {v1: {values: ['', [9, 5]]}, v2: {values: [256, 512]}},
    answers: [
      ['', 256],
      ['', 512],
      [[9, 5], 256],
      [[9, 5], 512],
    ],
  },
  {
    name: 'duplicated values are not duplicated in the answer',
    parameters: {v1: {values: [null, 2, 3, 'a', [2, 3], 3]}, v2: {values: ['a', 'b', "c'"]}},
    answers: [
      [null, 'a'],
      [2, 'a'],
      [3, 'a'],
      ['a', 'a'],
      [[2, 3], 'a'],
      [null, 'b'],
      [2, 'b'],
      [3, 'b'],
      [[2, 3], 'b'],
      ['a', 'b'],
      [null, "c'"],
      [2, "c'"],
      [3, "c'"],
      [[2, 3], "c'"],
      ['a', "c'"],
    ],
  },
  {name: 'constant values only', parameters: {v1: {value: 'a'}, v2: {value: 'b'}}, answers: [['a', 'b']]},
  {
    name: 'dict values are propagated and de-duplicated',
    parameters: {v1: {values: ['a', 'b', "c'"]}, v2: {values: [{a: 'b'}, {c: 'd', b: 'g'}, {e: {f: 'g'}}, {a: 'b'}, {b: 'g', c: 'd'}]}},
    answers: [
      ['a', {a: 'b'}],
      ['a', {c: 'd', b: 'g'}],
      ['a', {e: {f: 'g'}}],
      ['b', {a: 'b'}],
      ['b', {c: 'd', b: 'g'}],
      ['b', {e: {f: 'g'}}],
      ["c'", {a: 'b'}],
      ["c'", {c: 'd', b: 'g'}],
      ["c'", {e: {f: 'g'}}],
    ],
  },
  {
    name: 'anaconda1 order',
    parameters: {v1: {values: ['a', 'b', 'c', 'a']}, v2: {values: [1, 2, 3]}},
    answers: [
      ['a', 1],
      ['a', 2],
      ['a', 3],
      ['b', 1],
      ['b', 2],
      ['b', 3],
      ['c', 1],
      ['c', 2],
      ['c', 3],
    ],
    ordered: true,
  },
  {
    name: 'bounded int_uniform',
    parameters: {v1: {distribution: 'int_uniform', min: -52, max: 10}, v2: {value: 'test'}},
    answers: Array.from({length: 63}, (_, i) => [i - 52, 'test']),
    ordered: true,
  },
  {
    name: 'bounded q_uniform (numpy arange(-9.211, 23.23, 2.341))',
    parameters: {v1: {distribution: 'q_uniform', min: -9.211, max: 23.23, q: 2.341}, v2: {value: 'test'}},
    // np.arange(-9.211, 23.23, 2.341).tolist()
    answers: [
      -9.211, -6.87, -4.529, -2.1879999999999997, 0.15300000000000047, 2.4940000000000015, 4.835000000000001, 7.176, 9.517000000000001, 11.858000000000002, 14.199000000000003, 16.54, 18.881, 21.222,
    ].map((v) => [v, 'test']),
    ordered: true,
  },
]

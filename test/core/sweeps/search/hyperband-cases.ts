/**
 * Hyperband cases ported from the sweeps repository's tests (wandb/sweeps v0.2.0,
 * tests/test_hyperband_stopping.py) as data: the early_terminate settings and metric, the runs'
 * states and recorded curves, and the names of the runs the upstream test expects stopped.
 */
export interface HyperbandCase {
  name: string
  metric: {name: string; goal: string}
  earlyTerminate: Record<string, unknown>
  runs: {name: string; state: 'running' | 'finished'; curve: unknown[]}[]
  stopped: string[]
}

const five = (states: ('running' | 'finished')[], curves: number[][], sign = 1) => curves.map((c, i) => ({name: 'abcde'[i], state: states[i], curve: c.map((v) => sign * v)}))

const FIVE_RUNS = [
  [10, 9],
  [10, 10],
  [10, 8, 8],
  [10, 7, 7],
  [10, 6, 6],
]
const ETA3_RUNS = [
  [10, 9],
  [10, 10],
  [10, 8, 8, 3],
  [10, 7, 7, 4],
  [10, 6, 6, 6],
]

export const HYPERBAND_CASES: HyperbandCase[] = [
  {
    name: 'min_iter bands (3, 9, 27…)',
    metric: {name: 'loss', goal: 'minimize'},
    earlyTerminate: {type: 'hyperband', min_iter: 3, eta: 3},
    runs: [
      {name: 'r1', state: 'running', curve: [10, 10, 10, 10]},
      {name: 'r2', state: 'running', curve: Array.from({length: 10}, (_, i) => 10 - i)},
    ],
    stopped: ['r1'],
  },
  {
    name: 'min_iter bands, maximize',
    metric: {name: 'accuracy', goal: 'maximize'},
    earlyTerminate: {type: 'hyperband', min_iter: 3, eta: 3},
    runs: [
      {name: 'r1', state: 'running', curve: [10, 10, 10, 10]},
      {name: 'r2', state: 'running', curve: Array.from({length: 10}, (_, i) => 10 + i)},
    ],
    stopped: ['r1'],
  },
  {
    name: 'max_iter bands',
    metric: {name: 'loss', goal: 'minimize'},
    earlyTerminate: {type: 'hyperband', max_iter: 81, eta: 3, s: 3},
    runs: [
      {name: 'r1', state: 'running', curve: [10, 10, 10, 10]},
      {name: 'r2', state: 'running', curve: Array.from({length: 10}, (_, i) => 10 - i)},
    ],
    stopped: ['r1'],
  },
  {
    name: 'init from max_iter (bands 2, 6)',
    metric: {name: 'loss', goal: 'minimize'},
    earlyTerminate: {type: 'hyperband', max_iter: 18, eta: 3, s: 2},
    runs: [
      {name: 'r1', state: 'running', curve: [10, 10, 10, 10]},
      {name: 'r2', state: 'running', curve: Array.from({length: 10}, (_, i) => 10 - i)},
    ],
    stopped: ['r1'],
  },
  {
    name: 'a single run',
    metric: {name: 'loss', goal: 'minimize'},
    earlyTerminate: {type: 'hyperband', max_iter: 18, eta: 3, s: 2},
    runs: [{name: 'r1', state: 'running', curve: Array.from({length: 10}, (_, i) => 10 - i)}],
    stopped: [],
  },
  {
    name: 'two runs, band 1 passed',
    metric: {name: 'loss', goal: 'minimize'},
    earlyTerminate: {type: 'hyperband', max_iter: 18, eta: 3, s: 2},
    runs: [
      {name: 'r1', state: 'running', curve: [10, 10, 6]},
      {name: 'r2', state: 'running', curve: Array.from({length: 10}, (_, i) => 10 - i)},
    ],
    stopped: [],
  },
  {
    name: 'five runs, band 1 stops two',
    metric: {name: 'loss', goal: 'minimize'},
    earlyTerminate: {type: 'hyperband', max_iter: 5, eta: 2, s: 2},
    runs: five(['finished', 'running', 'running', 'running', 'finished'], FIVE_RUNS),
    stopped: ['b', 'c'],
  },
  {
    name: 'five runs, band 1 stops two, the first without a band',
    metric: {name: 'loss', goal: 'minimize'},
    earlyTerminate: {type: 'hyperband', max_iter: 5, eta: 2, s: 2},
    runs: five(['finished', 'running', 'running', 'running', 'finished'], [[10], ...FIVE_RUNS.slice(1)]),
    stopped: ['b', 'c'],
  },
  {
    name: 'eta 3',
    metric: {name: 'loss', goal: 'minimize'},
    earlyTerminate: {type: 'hyperband', max_iter: 9, eta: 3, s: 2},
    runs: five(['finished', 'running', 'running', 'running', 'running'], ETA3_RUNS),
    stopped: ['b', 'e'],
  },
  {
    name: 'eta 3, maximize',
    metric: {name: 'loss', goal: 'maximize'},
    earlyTerminate: {type: 'hyperband', max_iter: 9, eta: 3, s: 2},
    runs: five(['finished', 'running', 'running', 'running', 'running'], ETA3_RUNS, -1),
    stopped: ['b', 'e'],
  },
  {
    // the upstream curves are longer (57 rows); the first rows are kept
    name: 'NaN metrics are skipped',
    metric: {name: 'overall_eval_loss', goal: 'minimize'},
    earlyTerminate: {s: 2, eta: 3, type: 'hyperband', max_iter: 300},
    runs: [
      {name: 'c', state: 'running', curve: [19.68895149230957, ...Array.from({length: 56}, () => 'NaN')]},
      {name: 'd', state: 'finished', curve: [6.214405059814453, 6.050266265869141, 5.525775909423828, 5.143455982208252, 4.64034366607666, 4.741260528564453]},
      {name: 'e', state: 'finished', curve: [6.784717559814453, 5.467315196990967, 4.862574577331543, 5.149237155914307, 4.713217258453369]},
    ],
    stopped: [],
  },
]

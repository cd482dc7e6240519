/**
 * Random-search cases ported from the sweeps repository's tests (wandb/sweeps v0.2.0,
 * tests/test_random_search.py) as data: each distribution's settings as the upstream test gives
 * them, the range its samples must stay in, and the quantum they must be multiples of.
 */
export interface RandomCase {
  name: string
  settings: Record<string, unknown>
  range?: [number, number]
  q?: number
  /** the samples must be ints */
  integer?: boolean
}

const LN = Math.log

export const RANDOM_CASES: RandomCase[] = [
  {name: 'uniform', settings: {min: 0.5, max: 2.5}, range: [0.5, 2.5]},
  {name: 'int_uniform', settings: {min: -3, max: 7}, range: [-3, 7], integer: true},
  {name: 'normal', settings: {distribution: 'normal'}},
  {name: 'log_normal', settings: {distribution: 'log_normal', mu: 2, sigma: 3}, range: [0, Number.POSITIVE_INFINITY]},
  {name: 'log_uniform', settings: {distribution: 'log_uniform', min: LN(1.5), max: LN(150)}, range: [1.5, 150]},
  {name: 'log_uniform_values', settings: {distribution: 'log_uniform_values', min: 1.5, max: 150}, range: [1.5, 150]},
  {name: 'inv_log_uniform', settings: {distribution: 'inv_log_uniform', min: -LN(150), max: -LN(1.5)}, range: [1.5, 150]},
  {name: 'inv_log_uniform_values', settings: {distribution: 'inv_log_uniform_values', min: 1.5, max: 150}, range: [1.5, 150]},
  ...[0.1, 1, 10].flatMap((q): RandomCase[] => [
    {name: `q_log_normal q=${q}`, settings: {distribution: 'q_log_normal', mu: 2, sigma: 2, q}, q, range: [0, Number.POSITIVE_INFINITY], integer: q === 1 || q === 10},
    {name: `q_normal q=${q}`, settings: {distribution: 'q_normal', mu: 4, sigma: 2, q}, q, integer: q !== 0.1},
    {name: `q_uniform q=${q}`, settings: {distribution: 'q_uniform', min: 0, max: 100, q}, q, range: [0, 100], integer: q !== 0.1},
    {name: `q_log_uniform_values q=${q}`, settings: {distribution: 'q_log_uniform_values', min: 0.1, max: 100, q}, q, range: [0, 100], integer: q !== 0.1},
    {name: `q_log_uniform q=${q}`, settings: {distribution: 'q_log_uniform', min: LN(0.1), max: LN(100), q}, q, range: [0, 100], integer: q !== 0.1},
  ]),
  {name: 'q_beta q=0.1', settings: {distribution: 'q_beta', a: 2, b: 5, q: 0.1}, q: 0.1, range: [0, 1]},
  {name: 'beta', settings: {distribution: 'beta', a: 2, b: 5}, range: [0, 1]},
  {name: 'beta with defaults', settings: {distribution: 'beta'}, range: [0, 1]},
  {name: 'q_normal with the default q (a float)', settings: {distribution: 'q_normal'}, q: 1},
  {name: 'categorical', settings: {values: ['a', 'b', 'c', 4]}},
  {name: 'categorical_w_probabilities', settings: {values: [1, 2, 3], probabilities: [0.1, 0.2, 0.7]}},
  {name: 'categorical_w_probabilities, a zero weight', settings: {values: ['x', 'y', 'z'], probabilities: [0.5, 0, 0.5]}},
  {name: 'constant', settings: {value: {nested: [1, 2]}}},
]

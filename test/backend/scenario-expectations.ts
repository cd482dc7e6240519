/**
 * What scenarios/online_run.py must leave in the backend, computed independently of the client:
 * the logged history rows, the final summary and the config (as the inspection API renders them).
 */

/** The history rows online_run.py logs (timing keys excluded; see withoutTiming). */
export function expectedHistory(steps: number): Record<string, unknown>[] {
  const special = (i: number) => (i === 10 ? 'NaN' : i === 20 ? 'Infinity' : i === 30 ? '-Infinity' : i * 0.5)
  return Array.from({length: steps}, (_, i) => ({
    _step: i,
    acc: i / steps,
    loss: 1 / (i + 1),
    nested: {a: i, b: {c: i * 2}},
    special: special(i),
  }))
}

/** The final summary of online_run.py (timing keys excluded). */
export const EXPECTED_SUMMARY = {
  _step: 999,
  acc: 0.999,
  best_acc: 0.999,
  loss: {min: 0.001},
  nested: {a: 999, b: {c: 1998}},
  notes: {n: 3, text: 'done'},
  special: 499.5,
}

/** The config of online_run.py, unwrapped and without `_wandb`. */
export const EXPECTED_CONFIG = {batch_size: 32, layers: [64, 32], lr: 0.01, optimizer: {beta: 0.9, name: 'adam'}}

/** Drops the keys whose values depend on timing (`_runtime`, `_timestamp`, `_wandb`). */
export function withoutTiming(row: Record<string, unknown>): Record<string, unknown> {
  const {_runtime: _r, _timestamp: _t, _wandb: _w, ...rest} = row
  return rest
}

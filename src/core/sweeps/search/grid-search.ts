/**
 * Grid search (sweeps.grid_search): every combination of the discrete parameters in
 * itertools.product order (parameters in sweeps' sorted order, the last one varying fastest),
 * skipping the combinations already run. int_uniform becomes the range min..max, q_uniform
 * numpy's `arange(min, max, q)`. Runs are matched on the parameters' flattened names as sweeps
 * 0.2.0 does, with values compared as its YAML hash compares them; a nested parameter is also
 * found in a run's nested config (`{outer: {value: {x: 1}}}`), as the runs of a real sweep hold
 * it. sweeps 0.2.0 looked only for the flattened name, so a grid with nested parameters never
 * ended (fixed in later sweeps, wandb/sweeps#121).
 */
import {SweepSearchError} from './errors.ts'
import {HyperParameter} from './hyperparameter.ts'
import {NESTING_DELIMITER, ParameterSet, wrappedValue} from './parameter-set.ts'
import {isPyInt, numberOf, valueKey} from './py-number.ts'
import type {SweepRun} from './types.ts'

const GRID_TYPES = new Set(['param_categorical', 'param_single_value', 'param_int_uniform', 'param_quniform'])

/** The next grid point not yet run, as a run config, or null when the grid is exhausted. */
export function gridNextConfig(parameters: Record<string, unknown>, runs: readonly SweepRun[]): Record<string, {value: unknown}> | null {
  const set = ParameterSet.fromConfig(parameters)
  for (const p of set.params) {
    if (!GRID_TYPES.has(p.type)) {
      throw new SweepSearchError(
        `Parameter ${p.name} is a disallowed type with grid search. Grid search requires all parameters to be categorical, constant, int_uniform, or q_uniform. Specification of probabilities for categorical parameters is disallowed in grid search.`,
        {key: `parameters.${p.name}`},
      )
    }
  }
  const params = set.params.map(toCategorical)
  const grid = new ParameterSet(params)
  const discrete = params.filter((p) => p.type === 'param_categorical')
  const keys = discrete.map((p) => (p.config.values as unknown[]).map(valueKey))
  const lookup = discrete.map((p, i) => {
    const m = new Map<string, unknown>()
    ;(p.config.values as unknown[]).forEach((v, j) => m.set(keys[i][j], v))
    return m
  })
  const seen = new Set<string>()
  for (const run of runs) {
    const parts = discrete.flatMap((p) => {
      if (Object.hasOwn(run.config, p.name)) return [valueKey(wrappedValue(run, p.name))]
      const nested = nestedValue(run, p.name)
      return nested.found ? [valueKey(nested.value)] : []
    })
    seen.add(JSON.stringify(parts))
  }
  const point = firstUnseen(keys, seen)
  if (!point) return null
  discrete.forEach((p, i) => {
    p.value = lookup[i].get(point[i])
  })
  return grid.toConfig()
}

/** A nested parameter's value in a run's nested config: `a.wbnest[…].b` is `config.a.value.b`. */
function nestedValue(run: SweepRun, name: string): {found: boolean; value?: unknown} {
  if (!name.includes(NESTING_DELIMITER)) return {found: false}
  const [top, ...path] = name.split(NESTING_DELIMITER)
  const entry = run.config[top] as unknown
  if (entry === null || typeof entry !== 'object' || !Object.hasOwn(entry, 'value')) return {found: false}
  let node: unknown = (entry as {value: unknown}).value
  for (const key of path) {
    if (node === null || typeof node !== 'object' || Array.isArray(node) || !Object.hasOwn(node, key)) return {found: false}
    node = (node as Record<string, unknown>)[key]
  }
  return {found: true, value: node}
}

/** The first tuple of the cartesian product of `keys` (last index fastest) not in `seen`. */
function firstUnseen(keys: string[][], seen: Set<string>): string[] | undefined {
  if (keys.some((k) => k.length === 0)) return undefined
  const idx = keys.map(() => 0)
  for (;;) {
    const tuple = idx.map((j, i) => keys[i][j])
    if (!seen.has(JSON.stringify(tuple))) return tuple
    let d = keys.length - 1
    while (d >= 0 && ++idx[d] === keys[d].length) idx[d--] = 0
    if (d < 0) return undefined
  }
}

/** More values than a grid axis can list (sweeps would try to build the list and run out of memory). */
const MAX_GRID_VALUES = 10_000_000

function tooMany(name: string, n: number): SweepSearchError {
  return new SweepSearchError(`Parameter ${name} spans ${n} grid values, more than the ${MAX_GRID_VALUES} a grid search can list; narrow its range or raise q.`, {
    key: `parameters.${name}`,
  })
}

function toCategorical(p: HyperParameter): HyperParameter {
  if (p.type === 'param_int_uniform') {
    const lo = numberOf(p.config.min) as number
    const hi = numberOf(p.config.max) as number
    if (hi - lo + 1 > MAX_GRID_VALUES) throw tooMany(p.name, hi - lo + 1)
    const values: number[] = []
    for (let v = lo; v <= hi; v++) values.push(v)
    return HyperParameter.of(p.name, {distribution: 'categorical', values})
  }
  if (p.type === 'param_quniform') {
    const n = Math.ceil(((numberOf(p.config.max) as number) - (numberOf(p.config.min) as number)) / (numberOf(p.config.q) as number))
    if (n > MAX_GRID_VALUES) throw tooMany(p.name, n)
    return HyperParameter.of(p.name, {distribution: 'categorical', values: arange(p.config.min, p.config.max, p.config.q)})
  }
  return p
}

/** numpy's `arange(start, stop, step).tolist()`: ints when all three are ints, else start + i * step as numpy fills it. */
export function arange(start: unknown, stop: unknown, step: unknown): number[] {
  const a = numberOf(start) as number
  const b = numberOf(stop) as number
  const q = numberOf(step) as number
  const n = Math.max(0, Math.ceil((b - a) / q))
  if (isPyInt(start) && isPyInt(stop) && isPyInt(step)) return Array.from({length: n}, (_, i) => a + i * q)
  const out: number[] = []
  if (n > 0) out.push(a)
  if (n > 1) out.push(a + q)
  const delta = a + q - a
  for (let i = 2; i < n; i++) out.push(a + i * delta)
  return out
}

/**
 * The search space (sweeps.params.HyperParameterSet): every parameter of the config's
 * `parameters`, nested groups flattened into `outer<DELIM>inner` names, in sweeps' order (names
 * sorted at each level); the searchable (non-constant) ones indexed for bayes; and the way back
 * to a run config, nested again and wrapped in `{value}` at the top level.
 */
import {compareCodePoints} from '../py-value.ts'
import {SweepSearchError} from './errors.ts'
import {HyperParameter} from './hyperparameter.ts'
import {fillParameter} from './param-schema.ts'
import {copyJson, describeValue, isPlainObject, numberOf} from './py-number.ts'
import type {SweepRun} from './types.ts'

/** The separator sweeps puts between the names of a nested parameter. */
export const NESTING_DELIMITER = '.wbnest[599c28ca25da].'

export class ParameterSet {
  readonly params: HyperParameter[]
  readonly searchable: HyperParameter[]

  constructor(params: HyperParameter[]) {
    this.params = params
    this.searchable = params.filter((p) => !p.isConstant)
  }

  /** The set of the config's `parameters` section. */
  static fromConfig(parameters: Record<string, unknown>): ParameterSet {
    const out: HyperParameter[] = []
    const unnest = (d: Record<string, unknown>, prefix: string) => {
      for (const key of Object.keys(d).sort(compareCodePoints)) {
        const settings = d[key]
        const name = `${prefix}${key}`
        if (!isPlainObject(settings)) {
          throw new SweepSearchError(`Parameter ${name} must be a mapping of its settings (like {values: [...]} or {min: 0, max: 1}), not ${describeValue(settings)}.`, {
            key: `parameters.${name}`,
          })
        }
        const filled = fillParameter(name, settings)
        if (filled.kind === 'group') unnest(settings.parameters as Record<string, unknown>, `${name}${NESTING_DELIMITER}`)
        else out.push(HyperParameter.of(name, settings))
      }
    }
    unnest(parameters, '')
    return new ParameterSet(out)
  }

  /** The index of a searchable parameter in bayes' vectors. */
  indexOf(p: HyperParameter): number {
    return this.searchable.indexOf(p)
  }

  /** The run config of the parameters' current values: nested again, top-level values wrapped in {value}. */
  toConfig(): Record<string, {value: unknown}> {
    const flat: Record<string, unknown> = {}
    for (const p of this.params) flat[p.name] = copyJson(p.value)
    renest(flat)
    const out: Record<string, {value: unknown}> = {}
    for (const [k, v] of Object.entries(flat)) out[k] = {value: v}
    return out
  }

  /**
   * Each run as a point of the unit cube (one coordinate per searchable parameter, its cdf):
   * sweeps' `normalize_runs_as_array`. A missing parameter counts as 0, a NaN value stays 0.
   */
  normalizeRuns(runs: readonly SweepRun[]): number[][] {
    const out = runs.map(() => new Array<number>(this.searchable.length).fill(0))
    this.searchable.forEach((p, j) => {
      runs.forEach((run, i) => {
        let x = 0
        if (Object.hasOwn(run.config, p.name)) {
          const v = wrappedValue(run, p.name)
          x = p.type === 'param_categorical' ? p.valueToIndex(v) : numericValue(run, p.name, v)
        }
        out[i][j] = Number.isNaN(x) ? 0 : p.cdf(x)
      })
    })
    return out
  }
}

/** `run.config[name]["value"]`, with a clear error where the run's config lacks the wrapping. */
export function wrappedValue(run: SweepRun, name: string): unknown {
  const entry = run.config[name] as unknown
  if (!isPlainObject(entry) || !Object.hasOwn(entry, 'value')) {
    throw new SweepSearchError(`Run ${run.name}'s config entry ${name} is ${describeValue(entry)}, not {value: ...}.`, {key: `parameters.${name}`})
  }
  return entry.value
}

function numericValue(run: SweepRun, name: string, v: unknown): number {
  if (typeof v === 'boolean') return Number(v)
  const n = numberOf(v)
  if (n === undefined) {
    throw new SweepSearchError(`Run ${run.name} has ${name} = ${describeValue(v)}, which is not a number, so bayesian search cannot place it in the search space.`, {
      key: `parameters.${name}`,
    })
  }
  return n
}

/** Nests the keys that hold the delimiter into sub-mappings, in place, as sweeps' `_renest`. */
function renest(d: Record<string, unknown>): void {
  for (const k of Object.keys(d).sort(compareCodePoints)) {
    if (!k.includes(NESTING_DELIMITER)) continue
    const subkeys = k.split(NESTING_DELIMITER)
    let sub: Record<string, unknown> = d
    for (let i = 0; i < subkeys.length - 1; i++) {
      const sk = subkeys[i]
      if (Object.hasOwn(sub, sk)) {
        const next = sub[sk]
        if (!isPlainObject(next)) {
          throw new SweepSearchError(`While nesting, found key ${sk} which conflicts with key ${subkeys.slice(0, i + 1).join(NESTING_DELIMITER)}.`)
        }
        sub = next
      } else {
        const fresh: Record<string, unknown> = {}
        sub[sk] = fresh
        sub = fresh
      }
    }
    sub[subkeys[subkeys.length - 1]] = d[k]
    delete d[k]
  }
}

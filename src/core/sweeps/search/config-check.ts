/**
 * The sweep config as sweeps 0.2.0 checks it. `checkSearchConfig` is its
 * `schema_violations_from_proposed_config` for the sections the search reads (method, metric,
 * parameters with every distribution, early_terminate, and the types of the other schema keys),
 * reporting every violation at once. Keys outside sweeps' schema (`run_cap`, `settings`…) belong
 * to the W&B server and wandb's CLI and are not judged here. `filledMetric` and
 * `filledHyperband` are sweeps' fill-and-validate steps that bayes and hyperband run first.
 */
import {SweepSearchError} from './errors.ts'
import {PARAM_NAME, fillParameter} from './param-schema.ts'
import {describeValue, isPlainObject, isPyInt, numberOf} from './py-number.ts'

export const SEARCH_METHODS = ['bayes', 'random', 'grid', 'custom'] as const
export const METRIC_GOALS = ['minimize', 'maximize'] as const
export const IMPUTE_STRATEGIES = ['latest', 'best', 'worst'] as const

export type Goal = (typeof METRIC_GOALS)[number]
export type ImputeStrategy = (typeof IMPUTE_STRATEGIES)[number]

export interface Metric {
  name: string
  goal: Goal
  impute: ImputeStrategy
  target?: number
}

interface Violation {
  key: string
  problem: string
}

const DEPRECATED: Record<string, [string, string]> = {
  param_loguniform: ['log_uniform', 'log_uniform_values'],
  param_inv_loguniform: ['inv_log_uniform', 'inv_log_uniform_values'],
  param_qloguniform: ['q_log_uniform', 'q_log_uniform_values'],
}

const STRING_KEYS = ['apiVersion', 'description', 'program', 'entity', 'project', 'name'] as const

/** Validates the sweep config the way sweeps does; throws SweepSearchError listing every violation, its `key` the first one's. */
export function checkSearchConfig(config: Record<string, unknown>): void {
  if (!isPlainObject(config)) throw new SweepSearchError(`The sweep config must be a mapping, not ${describeValue(config)}.`)
  const out: Violation[] = []
  const add = (key: string, problem: string) => out.push({key, problem})
  if (!Object.hasOwn(config, 'method')) add('method', `The sweep config has no method; add one of: ${SEARCH_METHODS.join(', ')}.`)
  else if (!(SEARCH_METHODS as readonly unknown[]).includes(config.method)) {
    add('method', `The sweep config's method ${describeValue(config.method)} is not one of: ${SEARCH_METHODS.join(', ')}.`)
  }
  if (!Object.hasOwn(config, 'parameters')) add('parameters', 'The sweep config has no parameters section.')
  else checkParameters(config.parameters, add)
  if (Object.hasOwn(config, 'metric')) metricViolations(config.metric, add)
  if (Object.hasOwn(config, 'early_terminate')) hyperbandViolations(config.early_terminate, add)
  for (const key of STRING_KEYS) {
    if (Object.hasOwn(config, key) && typeof config[key] !== 'string') add(key, `The sweep config's ${key} must be a string, not ${describeValue(config[key])}.`)
  }
  if (Object.hasOwn(config, 'command') && !Array.isArray(config.command)) add('command', `The sweep config's command must be a list, not ${describeValue(config.command)}.`)
  if (Object.hasOwn(config, 'kind') && config.kind !== 'sweep') add('kind', `The sweep config's kind must be "sweep", not ${describeValue(config.kind)}.`)
  if (Object.hasOwn(config, 'controller')) {
    const c = config.controller
    if (!isPlainObject(c) || !['local', 'cloud'].includes(c.type as string)) {
      add('controller', `The sweep config's controller must be {type: local} or {type: cloud}, not ${describeValue(c)}.`)
    }
  }
  if (out.length > 0)
    throw new SweepSearchError(
      out.map((v) => v.problem),
      {key: out[0].key},
    )
}

function checkParameters(parameters: unknown, add: (key: string, problem: string) => void): void {
  if (!isPlainObject(parameters) || Object.keys(parameters).length === 0) {
    add('parameters', `The sweep config's parameters must be a mapping of at least one parameter name to its settings, not ${describeValue(parameters)}.`)
    return
  }
  const walk = (d: Record<string, unknown>, prefix: string, top: boolean) => {
    if (Object.keys(d).length === 0) add(`parameters.${prefix}`, `The parameter group ${prefix.slice(0, -1)} has no parameters.`)
    for (const [name, settings] of Object.entries(d)) {
      const path = `${prefix}${name}`
      const key = `parameters.${path}`
      if (!PARAM_NAME.test(name)) add(key, `The parameter name ${JSON.stringify(path)} is not valid: use letters, digits, _ . and -, starting with a letter or _.`)
      if (!isPlainObject(settings)) {
        add(key, `Parameter ${path} must be a mapping of its settings (like {values: [...]} or {min: 0, max: 1}), not ${describeValue(settings)}.`)
        continue
      }
      let filled: ReturnType<typeof fillParameter>
      try {
        filled = fillParameter(path, settings)
      } catch (err) {
        add(key, (err as SweepSearchError).problems[0])
        continue
      }
      if (filled.kind !== 'param' && isPlainObject(settings.parameters) && Object.keys(settings).length === 1) {
        walk(settings.parameters, `${path}.`, false)
        continue
      }
      if (filled.kind !== 'param') {
        add(key, `Parameter ${path} has invalid settings ${describeValue(settings)}: they match none of the sweep parameter forms (values, value, min/max, or a distribution with its arguments).`)
        continue
      }
      if (!top) continue
      if (filled.type === 'param_categorical_w_probabilities') probabilityViolations(path, settings, add)
      const deprecated = DEPRECATED[filled.type]
      if (deprecated) {
        add(key, `${path} uses ${deprecated[0]}, where min/max specify base-e exponents. Use ${deprecated[1]} to specify limit values.`)
      }
    }
  }
  walk(parameters, '', true)
}

function probabilityViolations(name: string, c: Record<string, unknown>, add: (key: string, problem: string) => void): void {
  const values = c.values as unknown[]
  const probs = c.probabilities as unknown[]
  if (values.length !== probs.length) {
    add(`parameters.${name}`, `Parameter ${name}: values ${describeValue(values)} and probabilities ${describeValue(probs)} are not the same length.`)
  }
  const sum = probs.reduce<number>((s, p) => s + (numberOf(p) as number), 0)
  if (!(Math.abs(sum - 1) <= 1e-8 + 1e-5)) add(`parameters.${name}`, `Parameter ${name}: Probabilities ${describeValue(probs)} do not sum to 1.`)
}

function metricViolations(metric: unknown, add: (key: string, problem: string) => void): void {
  if (!isPlainObject(metric)) {
    add('metric', `The sweep config's metric must be a mapping like {name: loss, goal: minimize}, not ${describeValue(metric)}.`)
    return
  }
  if (typeof metric.name !== 'string') add('metric.name', `The sweep config's metric needs a name (a string), not ${describeValue(metric.name)}.`)
  if (Object.hasOwn(metric, 'goal') && !(METRIC_GOALS as readonly unknown[]).includes(metric.goal)) {
    add('metric.goal', `The metric goal ${describeValue(metric.goal)} is not one of: ${METRIC_GOALS.join(', ')}.`)
  }
  if (Object.hasOwn(metric, 'impute') && !(IMPUTE_STRATEGIES as readonly unknown[]).includes(metric.impute)) {
    add('metric.impute', `The metric impute ${describeValue(metric.impute)} is not one of: ${IMPUTE_STRATEGIES.join(', ')}.`)
  }
  if (Object.hasOwn(metric, 'target') && numberOf(metric.target) === undefined) add('metric.target', `The metric target must be a number, not ${describeValue(metric.target)}.`)
  for (const key of Object.keys(metric)) {
    if (!['name', 'goal', 'target', 'impute'].includes(key)) add(`metric.${key}`, `The metric has an unknown key ${key} (allowed: name, goal, target, impute).`)
  }
}

const HYPERBAND_KEYS = ['type', 'max_iter', 'min_iter', 's', 'eta'] as const

/** The violations of the hyperband_stopping schema (`strict` is accepted: newer sweeps read it, 0.2.0 ignores it). */
function hyperbandViolations(et: unknown, add: (key: string, problem: string) => void, extraKeys: readonly string[] = ['strict']): void {
  if (!isPlainObject(et)) {
    add('early_terminate', `The sweep config's early_terminate must be a mapping like {type: hyperband, min_iter: 3}, not ${describeValue(et)}.`)
    return
  }
  if (et.type !== 'hyperband') add('early_terminate.type', `The early_terminate type ${describeValue(et.type)} is not supported: the only type is hyperband.`)
  const hasMax = Object.hasOwn(et, 'max_iter') && Object.hasOwn(et, 's')
  if (!hasMax && !Object.hasOwn(et, 'min_iter')) add('early_terminate', 'Hyperband early_terminate needs either min_iter, or max_iter and s.')
  if (Object.hasOwn(et, 'max_iter') && !isJsonInteger(et.max_iter)) add('early_terminate.max_iter', `early_terminate.max_iter must be an integer, not ${describeValue(et.max_iter)}.`)
  if (Object.hasOwn(et, 'min_iter') && !(isJsonInteger(et.min_iter) && (numberOf(et.min_iter) as number) >= 1)) {
    add('early_terminate.min_iter', `early_terminate.min_iter must be an integer of at least 1, not ${describeValue(et.min_iter)}.`)
  }
  if (Object.hasOwn(et, 's') && numberOf(et.s) === undefined) add('early_terminate.s', `early_terminate.s must be a number, not ${describeValue(et.s)}.`)
  if (Object.hasOwn(et, 'eta') && !((numberOf(et.eta) ?? 0) > 1)) add('early_terminate.eta', `early_terminate.eta must be a number above 1, not ${describeValue(et.eta)}.`)
  if (Object.hasOwn(et, 'strict') && extraKeys.includes('strict') && typeof et.strict !== 'boolean') {
    add('early_terminate.strict', `early_terminate.strict must be true or false, not ${describeValue(et.strict)}.`)
  }
  for (const key of Object.keys(et)) {
    if (!(HYPERBAND_KEYS as readonly string[]).includes(key) && !extraKeys.includes(key)) {
      add(`early_terminate.${key}`, `early_terminate has an unknown key ${key} (allowed: ${HYPERBAND_KEYS.join(', ')}).`)
    }
  }
}

/** jsonschema's "integer": an integral number (3.0 included). */
function isJsonInteger(v: unknown): boolean {
  const n = numberOf(v)
  return n !== undefined && Number.isInteger(n)
}

/**
 * sweeps' `fill_validate_metric` on a config that must have a metric: an unknown goal or impute
 * falls back to the default (minimize, worst), as sweeps does; a malformed metric throws.
 */
export function filledMetric(config: Record<string, unknown>, what: string): Metric {
  if (!Object.hasOwn(config, 'metric')) throw new SweepSearchError(`${what} requires a metric section (like metric: {name: loss, goal: minimize}).`, {key: 'metric'})
  const m = config.metric
  if (!isPlainObject(m)) throw new SweepSearchError(`invalid type for metric: expected a mapping, got ${describeValue(m)}.`, {key: 'metric'})
  const fixed: Record<string, unknown> = {...m}
  if (!(METRIC_GOALS as readonly unknown[]).includes(fixed.goal)) delete fixed.goal
  if (!(IMPUTE_STRATEGIES as readonly unknown[]).includes(fixed.impute)) delete fixed.impute
  const problems: Violation[] = []
  metricViolations(fixed, (key, problem) => problems.push({key, problem}))
  if (problems.length > 0)
    throw new SweepSearchError(
      problems.map((p) => p.problem),
      {key: problems[0].key},
    )
  return {
    name: fixed.name as string,
    goal: (fixed.goal as Goal | undefined) ?? 'minimize',
    impute: (fixed.impute as ImputeStrategy | undefined) ?? 'worst',
    ...(fixed.target !== undefined ? {target: numberOf(fixed.target)} : {}),
  }
}

export type HyperbandSettings = {kind: 'max_iter'; maxIter: number; s: number; eta: number} | {kind: 'min_iter'; minIter: number; eta: number}

/**
 * sweeps' `hyperband_baseline_validate_and_fill`: unknown keys dropped, the schema checked, eta
 * defaulting to 3. `max_iter` wins over `min_iter` when both are set, and then needs `s`, an int.
 */
export function filledHyperband(et: Record<string, unknown>): HyperbandSettings {
  const kept: Record<string, unknown> = {}
  for (const key of HYPERBAND_KEYS) if (Object.hasOwn(et, key)) kept[key] = et[key]
  const problems: Violation[] = []
  hyperbandViolations(kept, (key, problem) => problems.push({key, problem}), [])
  if (problems.length > 0)
    throw new SweepSearchError(
      problems.map((p) => p.problem),
      {key: problems[0].key},
    )
  const eta = numberOf(kept.eta ?? 3) as number
  if (Object.hasOwn(kept, 'max_iter')) {
    if (!Object.hasOwn(kept, 's')) throw new SweepSearchError('Hyperband with max_iter also needs s (the number of bands).', {key: 'early_terminate.s'})
    if (!isPyInt(kept.s)) throw new SweepSearchError(`early_terminate.s must be an integer, not ${describeValue(kept.s)} (sweeps counts bands with it).`, {key: 'early_terminate.s'})
    return {kind: 'max_iter', maxIter: numberOf(kept.max_iter) as number, s: numberOf(kept.s) as number, eta}
  }
  return {kind: 'min_iter', minIter: numberOf(kept.min_iter) as number, eta}
}

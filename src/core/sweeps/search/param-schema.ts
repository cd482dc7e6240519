/**
 * Which of sweeps' parameter schemas a parameter's settings match (config/schema.json, tried in
 * the order of its `parameter.anyOf`, first match wins), and the defaults that schema fills in:
 * sweeps' `fill_parameter`. A `{parameters: {...}}` settings dict is a nested parameter group.
 */
import {PyFloat} from '../py-value.ts'
import {SweepSearchError} from './errors.ts'
import {describeValue, isPlainObject, isPyFloat, isPyInt, numberOf} from './py-number.ts'

export type ParamType =
  | 'param_qbeta'
  | 'param_beta'
  | 'param_categorical'
  | 'param_categorical_w_probabilities'
  | 'param_int_uniform'
  | 'param_uniform'
  | 'param_lognormal'
  | 'param_loguniform'
  | 'param_inv_loguniform'
  | 'param_normal'
  | 'param_qlognormal'
  | 'param_qloguniform'
  | 'param_qnormal'
  | 'param_quniform'
  | 'param_single_value'
  | 'param_inv_loguniform_v2'
  | 'param_loguniform_v2'
  | 'param_qloguniform_v2'

/** A checked property: its test and the default the schema fills in. */
interface Prop {
  ok: (v: unknown) => boolean
  default?: unknown
}

interface ParamSchema {
  type: ParamType
  required: readonly string[]
  props: Record<string, Prop>
  /** extra test on the whole settings (the uniform schema's anyOf of float bounds) */
  whole?: (c: Record<string, unknown>) => boolean
}

const isNumber = (v: unknown) => numberOf(v) !== undefined
const number = (o: {min?: number; above?: number; default?: unknown} = {}): Prop => ({
  ok: (v) => {
    const n = numberOf(v)
    if (n === undefined) return false
    if (o.min !== undefined && !(n >= o.min)) return false
    if (o.above !== undefined && !(n > o.above)) return false
    return true
  },
  default: o.default,
})
/** jsonschema `type: integer` with the `format: integer` check: a Python int. */
const integer: Prop = {ok: (v) => isPyInt(v)}
const dist = (name: string, withDefault: boolean): Prop => ({ok: (v) => v === name, default: withDefault ? name : undefined})
const values: Prop = {ok: (v) => Array.isArray(v) && v.length >= 1}
const probabilities: Prop = {ok: (v) => Array.isArray(v) && v.length >= 1 && v.every((p) => isNumber(p) && (numberOf(p) as number) >= 0)}
const q: Prop = number({above: 0, default: new PyFloat(1)})
const any: Prop = {ok: () => true}
const mu = (d: unknown) => number({default: d})
const sigma = (d: unknown) => number({min: 0, default: d})
const shape = number({min: 0, default: 1})

/** The parameter schemas in the order sweeps tries them. */
export const PARAM_SCHEMAS: readonly ParamSchema[] = [
  {type: 'param_qbeta', required: ['distribution'], props: {a: shape, b: shape, q, distribution: dist('q_beta', false)}},
  {type: 'param_beta', required: ['distribution'], props: {a: shape, b: shape, distribution: dist('beta', false)}},
  {type: 'param_categorical', required: ['values'], props: {values, distribution: dist('categorical', true)}},
  {
    type: 'param_categorical_w_probabilities',
    required: ['values', 'probabilities'],
    props: {values, probabilities, distribution: dist('categorical_w_probabilities', true)},
  },
  {type: 'param_int_uniform', required: ['min', 'max'], props: {max: integer, min: integer, distribution: dist('int_uniform', true)}},
  {
    type: 'param_uniform',
    required: ['min', 'max'],
    props: {min: number(), max: number(), distribution: dist('uniform', false)},
    // anyOf: an explicit `distribution: uniform`, or at least one float bound
    whole: (c) => c.distribution === 'uniform' || isPyFloat(c.min) || isPyFloat(c.max),
  },
  {type: 'param_lognormal', required: ['distribution'], props: {distribution: dist('log_normal', false), mu: mu(new PyFloat(0)), sigma: sigma(new PyFloat(1))}},
  {type: 'param_loguniform', required: ['distribution', 'max', 'min'], props: {min: number(), max: number(), distribution: dist('log_uniform', false)}},
  {type: 'param_inv_loguniform', required: ['distribution', 'max', 'min'], props: {min: number(), max: number(), distribution: dist('inv_log_uniform', false)}},
  {type: 'param_normal', required: ['distribution'], props: {distribution: dist('normal', false), mu: mu(new PyFloat(0)), sigma: sigma(new PyFloat(1))}},
  {type: 'param_qlognormal', required: ['distribution'], props: {q, mu: mu(0), sigma: sigma(1), distribution: dist('q_log_normal', false)}},
  {type: 'param_qloguniform', required: ['distribution', 'max', 'min'], props: {min: number(), max: number(), q, distribution: dist('q_log_uniform', false)}},
  {type: 'param_qnormal', required: ['distribution'], props: {q, mu: mu(0), sigma: sigma(1), distribution: dist('q_normal', false)}},
  {type: 'param_quniform', required: ['distribution', 'max', 'min'], props: {min: number(), max: number(), q, distribution: dist('q_uniform', false)}},
  {type: 'param_single_value', required: ['value'], props: {value: any, distribution: dist('constant', true)}},
  {
    type: 'param_inv_loguniform_v2',
    required: ['distribution', 'max', 'min'],
    props: {min: number({above: 0}), max: number(), distribution: dist('inv_log_uniform_values', false)},
  },
  {
    type: 'param_loguniform_v2',
    required: ['distribution', 'max', 'min'],
    props: {min: number({above: 0}), max: number(), distribution: dist('log_uniform_values', false)},
  },
  {
    type: 'param_qloguniform_v2',
    required: ['distribution', 'max', 'min'],
    props: {min: number({above: 0}), max: number(), q, distribution: dist('q_log_uniform_values', false)},
  },
]

function matches(schema: ParamSchema, c: Record<string, unknown>): boolean {
  for (const key of schema.required) if (!Object.hasOwn(c, key)) return false
  for (const [key, v] of Object.entries(c)) {
    const prop = schema.props[key]
    if (!prop || !prop.ok(v)) return false
  }
  return schema.whole ? schema.whole(c) : true
}

/** The `parameters` schema: a non-empty mapping of valid names to valid parameters (nested groups included). */
export const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/

/** Whether `c` is a valid nested group `{parameters: {...}}` (sweeps' param_dict schema). */
export function isParamGroup(c: unknown): boolean {
  if (!isPlainObject(c)) return false
  const keys = Object.keys(c)
  if (keys.length !== 1 || keys[0] !== 'parameters') return false
  const inner = c.parameters
  if (!isPlainObject(inner) || Object.keys(inner).length === 0) return false
  return Object.entries(inner).every(([name, p]) => PARAM_NAME.test(name) && isPlainObject(p) && (matchSchema(p) !== undefined || isParamGroup(p)))
}

/** The first parameter schema `c` satisfies, without filling defaults or checking bounds. */
export function matchSchema(c: Record<string, unknown>): ParamSchema | undefined {
  return PARAM_SCHEMAS.find((s) => matches(s, c))
}

/** sweeps' `validate_min_max`: `min` must be below `max`. */
export function checkMinMax(name: string, c: Record<string, unknown>): void {
  if (!Object.hasOwn(c, 'min') || !Object.hasOwn(c, 'max')) return
  const lo = numberOf(c.min)
  const hi = numberOf(c.max)
  if (lo !== undefined && hi !== undefined && lo >= hi) {
    throw new SweepSearchError(`Parameter ${name}: min ${describeValue(c.min)} is not less than max ${describeValue(c.max)}.`, {key: `parameters.${name}`})
  }
}

export type FilledParameter = {kind: 'param'; type: ParamType; config: Record<string, unknown>} | {kind: 'group'} | {kind: 'invalid'}

/**
 * sweeps' `fill_parameter`: the matching schema and a copy of the settings with its defaults,
 * `group` for a nested parameter group, `invalid` when nothing matches. A matched parameter with
 * min >= max throws.
 */
export function fillParameter(name: string, c: Record<string, unknown>): FilledParameter {
  const schema = matchSchema(c)
  if (!schema) return isParamGroup(c) ? {kind: 'group'} : {kind: 'invalid'}
  checkMinMax(name, c)
  const config: Record<string, unknown> = {...c}
  for (const [key, prop] of Object.entries(schema.props)) {
    if (prop.default !== undefined && !Object.hasOwn(config, key)) config[key] = prop.default
  }
  return {kind: 'param', type: schema.type, config}
}

/**
 * The type description Launch stores for a job's inputs and outputs (`input_types`,
 * `output_types`): wandb-core's data_types.ResolveTypes. Maps become `typedDict` (keys named
 * `_wandb` left out, at any depth), lists `list` with the element type (a `union` when elements
 * differ in kind), numbers, strings, booleans and null their own names, anything else `unknown`.
 */

export type TypeName = 'string' | 'boolean' | 'none' | 'list' | 'union' | 'typedDict' | 'invalid' | 'unknown' | 'number'

/**
 * One type. `type_map` is a Map so that the JSON writer sorts its keys as Go writes a map;
 * the other objects are Go structs, written in field order.
 */
export type TypeRepresentation =
  | {wb_type: Exclude<TypeName, 'list' | 'union' | 'typedDict'>}
  | {wb_type: 'list'; params: {element_type: TypeRepresentation; length: number}}
  | {wb_type: 'union'; params: {allowed_types: TypeRepresentation[]}}
  | {wb_type: 'typedDict'; params: {type_map: Map<string, TypeRepresentation>}}
  /** The zero value Go writes when no type could be made (an unreadable config file). */
  | {wb_type: ''}

/** Keys never described (the run's internal config and summary data). */
const INTERNAL_KEY = '_wandb'

/** A JSON object (plain or null-prototype), not an array, Map or class instance. */
function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false
  const proto = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null
}

/** The type of a JSON-like value (as JSON.parse or a YAML parser returns them). */
export function resolveTypes(value: unknown): TypeRepresentation {
  if (value === null) return {wb_type: 'none'}
  if (Array.isArray(value)) return listType(value)
  if (isPlainObject(value)) {
    const typeMap = new Map<string, TypeRepresentation>()
    for (const [key, v] of Object.entries(value)) if (key !== INTERNAL_KEY) typeMap.set(key, resolveTypes(v))
    return {wb_type: 'typedDict', params: {type_map: typeMap}}
  }
  switch (typeof value) {
    case 'number':
    case 'bigint':
      return {wb_type: 'number'}
    case 'string':
      return {wb_type: 'string'}
    case 'boolean':
      return {wb_type: 'boolean'}
    default:
      return {wb_type: 'unknown'}
  }
}

/**
 * One element type per kind (the last element of each kind wins, as in Go, which keys them by
 * name). Go lists a union's members in map order, which is random; they are sorted by name here.
 */
function listType(items: unknown[]): TypeRepresentation {
  const byName = new Map<string, TypeRepresentation>()
  for (const item of items) {
    const t = resolveTypes(item)
    byName.set(t.wb_type, t)
  }
  const length = items.length
  if (byName.size === 0) return {wb_type: 'list', params: {element_type: {wb_type: 'unknown'}, length}}
  if (byName.size === 1) return {wb_type: 'list', params: {element_type: [...byName.values()][0], length}}
  const allowed = [...byName.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, t]) => t)
  return {wb_type: 'list', params: {element_type: {wb_type: 'union', params: {allowed_types: allowed}}, length}}
}

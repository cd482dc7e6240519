/**
 * Python's view of the JSON values in a sweep config. The config reaches the search as plain
 * JSON, where `1.0` and `1` are the same number; sweeps tells them apart (an int_uniform needs int
 * bounds, an int `q` gives int samples). So an integral JavaScript number or a bigint counts as a
 * Python int, a non-integral number or a PyFloat (from the YAML loader) as a float.
 */
import {PyFloat, pyFloatRepr} from '../py-value.ts'

/** The numeric value of a Python int or float (bool excluded, as jsonschema's "number"), or undefined. */
export function numberOf(v: unknown): number | undefined {
  if (typeof v === 'number') return v
  if (typeof v === 'bigint') return Number(v)
  if (v instanceof PyFloat) return v.value
  return undefined
}

/** `isinstance(v, int)` for a config number (bool is not a number in the schema). */
export function isPyInt(v: unknown): boolean {
  return typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v))
}

/** `isinstance(v, float)`. */
export function isPyFloat(v: unknown): boolean {
  return v instanceof PyFloat || (typeof v === 'number' && !Number.isInteger(v))
}

/** A plain (JSON) object: a mapping, not an array, null or class instance. */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false
  const proto = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null
}

/** sweeps' `is_number`: a finite int or float, not a bool. */
export function isFiniteNumber(v: unknown): boolean {
  const n = numberOf(v)
  return n !== undefined && Number.isFinite(n)
}

/** numpy's `np.round`: half to even. */
export function roundHalfEven(x: number): number {
  if (!Number.isFinite(x)) return x
  const r = Math.round(x)
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r
}

/**
 * A text that is equal for two values exactly when PyYAML's sorted flow dump of them is equal
 * (what grid search's `yaml_hash` compares): ints, floats, bools and strings kept apart, dict
 * keys sorted.
 */
export function valueKey(v: unknown): string {
  if (v === null || v === undefined) return 'n'
  if (typeof v === 'boolean') return v ? 'T' : 'F'
  if (typeof v === 'string') return `s${JSON.stringify(v)}`
  if (typeof v === 'bigint') return `i${v}`
  if (typeof v === 'number') return Number.isInteger(v) ? `i${v}` : `f${pyFloatRepr(v)}`
  if (v instanceof PyFloat) return `f${pyFloatRepr(v.value)}`
  if (Array.isArray(v)) return `[${v.map(valueKey).join(',')}]`
  if (v instanceof Map) return dictKey([...v.entries()])
  if (typeof v === 'object') return dictKey(Object.entries(v as Record<string, unknown>))
  return `?${String(v)}`
}

function dictKey(entries: [unknown, unknown][]): string {
  const parts = entries.map(([k, x]) => [valueKey(k), valueKey(x)] as const)
  parts.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
  return `{${parts.map(([k, x]) => `${k}:${x}`).join(',')}}`
}

/** Python's `==` on JSON values: numbers across int/float/bool, lists item by item, dicts by keys. */
export function pyEquals(a: unknown, b: unknown): boolean {
  const na = typeof a === 'boolean' ? Number(a) : numberOf(a)
  const nb = typeof b === 'boolean' ? Number(b) : numberOf(b)
  if (na !== undefined || nb !== undefined) return na === nb
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null)
  if (typeof a === 'string' || typeof b === 'string') return a === b
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => pyEquals(x, b[i]))
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a)
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && pyEquals(a[k], b[k]))
  }
  return a === b
}

/** A deep copy of plain JSON (arrays and plain objects copied, anything else shared). */
export function copyJson<T>(v: T): T {
  if (Array.isArray(v)) return v.map(copyJson) as T
  if (isPlainObject(v)) {
    const out: Record<string, unknown> = {}
    for (const [k, x] of Object.entries(v)) out[k] = copyJson(x)
    return out as T
  }
  return v
}

/** Python's repr-ish text of a value for messages. */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing'
  if (v instanceof PyFloat) return pyFloatRepr(v.value)
  if (typeof v === 'bigint') return v.toString()
  try {
    return JSON.stringify(v) ?? String(v)
  } catch {
    return String(v)
  }
}

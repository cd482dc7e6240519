/**
 * The values of a sweep config as the wandb CLI holds them in Python after `yaml.safe_load` and
 * its `json.loads(json.dumps(config))` round trip: None, bool, int (unbounded), float, str, list
 * and dict with string keys. JavaScript cannot tell `1.0` from `1`, and that difference decides
 * what wandb sends (`min: 0.0` is a uniform, `min: 0` an int_uniform distribution; the agent
 * hands `1.0` or `1` to the training script), so ints are bigints and floats are PyFloat.
 */

/** A Python float (JavaScript numbers stand for nothing here, to keep int and float apart). */
export class PyFloat {
  constructor(readonly value: number) {}
}

/** A Python dict with str keys, in insertion order (a key set again keeps its first position). */
export type PyDict = Map<string, PyValue>

/** None, bool, int, float, str, list or dict. */
export type PyValue = null | boolean | bigint | PyFloat | string | PyValue[] | PyDict

/** Python's `isinstance(v, dict)`. */
export function isDict(v: PyValue | undefined): v is PyDict {
  return v instanceof Map
}

/** Python's `isinstance(v, int)` (bool is an int in Python). */
export function isPyInt(v: PyValue | undefined): v is bigint | boolean {
  return typeof v === 'bigint' || typeof v === 'boolean'
}

/** Python's truthiness (`not v`): None, False, 0, 0.0, '', [] and {} are false. */
export function isTruthy(v: PyValue | undefined): boolean {
  if (v === null || v === undefined) return false
  if (typeof v === 'boolean') return v
  if (typeof v === 'bigint') return v !== 0n
  if (v instanceof PyFloat) return v.value !== 0
  if (typeof v === 'string') return v.length > 0
  if (Array.isArray(v)) return v.length > 0
  return v.size > 0
}

/** Python's `repr(float)`: the shortest round-trip digits, exponent form below 1e-4 and from 1e16. */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan'
  if (x === Number.POSITIVE_INFINITY) return 'inf'
  if (x === Number.NEGATIVE_INFINITY) return '-inf'
  const sign = x < 0 || Object.is(x, -0) ? '-' : ''
  const [mantissa, exp] = Math.abs(x).toExponential().split('e')
  const digits = mantissa.replace('.', '')
  const n = Number(exp)
  const decpt = n + 1
  if (decpt <= -4 || decpt > 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits
    const e = Math.abs(n).toString().padStart(2, '0')
    return `${sign}${m}e${n < 0 ? '-' : '+'}${e}`
  }
  if (decpt <= 0) return `${sign}0.${'0'.repeat(-decpt)}${digits}`
  if (decpt >= digits.length) return `${sign}${digits}${'0'.repeat(decpt - digits.length)}.0`
  return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`
}

/** Python's `str(v)` for scalars, as `json.dumps` spells a non-str dict key ("1", "1.5", "true", "null"). */
export function jsonKeyOf(v: null | boolean | bigint | PyFloat | string): string {
  if (typeof v === 'string') return v
  if (v === null) return 'null'
  if (typeof v === 'boolean') return v ? 'true' : 'false'
  if (typeof v === 'bigint') return v.toString()
  if (Number.isNaN(v.value)) return 'NaN'
  if (!Number.isFinite(v.value)) return v.value > 0 ? 'Infinity' : '-Infinity'
  return pyFloatRepr(v.value)
}

/**
 * The value as plain JSON-compatible JavaScript (for GraphQL variables): ints become numbers
 * (strings beyond 2^53), floats numbers, dicts objects.
 */
export function toJsonValue(v: PyValue): unknown {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v
  if (typeof v === 'bigint') return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString()
  if (v instanceof PyFloat) return v.value
  if (Array.isArray(v)) return v.map(toJsonValue)
  const out: Record<string, unknown> = {}
  for (const [k, x] of v) Object.defineProperty(out, k, {value: toJsonValue(x), enumerable: true, writable: true, configurable: true})
  return out
}

/** A deep copy (Python's `copy.deepcopy` of the config). */
export function deepCopy<T extends PyValue>(v: T): T {
  const x: PyValue = v
  if (Array.isArray(x)) return x.map(deepCopy) as T
  if (x instanceof Map) return new Map([...x].map(([k, item]) => [k, deepCopy(item)])) as T
  return v
}

/** Compares two strings by code point, as Python sorts str (JavaScript's `<` compares UTF-16 units). */
export function compareCodePoints(a: string, b: string): number {
  const x = Array.from(a)
  const y = Array.from(b)
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = (x[i].codePointAt(0) as number) - (y[i].codePointAt(0) as number)
    if (d !== 0) return d
  }
  return x.length - y.length
}

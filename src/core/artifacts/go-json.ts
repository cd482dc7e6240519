/**
 * JSON text exactly as Go's encoding/json.Marshal writes it, for the bytes of the manifest that
 * wandb-core uploads (its MD5 is sent to the server, so the encoding is part of the protocol):
 * compact, object keys sorted by byte order, `<`, `>`, `&`, U+2028 and U+2029 escaped as \u….,
 * control characters as \b \f \n \r \t or \u00XX, numbers as float64 in Go's shortest form.
 */
import {compareCodePoints} from './digests.ts'

const HEX = '0123456789abcdef'
const SHORT: Record<string, string> = {'"': '\\"', '\\': '\\\\', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t'}

/** A string literal as Go writes it (HTML-safe escaping, the default of json.Marshal). */
export function goJsonString(s: string): string {
  let out = '"'
  for (const ch of s) {
    const short = SHORT[ch]
    if (short !== undefined) {
      out += short
      continue
    }
    const c = ch.codePointAt(0)!
    if (c < 0x20 || ch === '<' || ch === '>' || ch === '&') out += `\\u00${HEX[c >> 4]}${HEX[c & 0xf]}`
    else if (c === 0x2028 || c === 0x2029) out += `\\u${c.toString(16)}`
    else out += ch
  }
  return out + '"'
}

/**
 * A JSON number as Go formats a float64: JavaScript's shortest round-trip digits, with the same
 * switch to exponent form below 1e-6 and from 1e21; only negative zero differs ("-0" in Go).
 * Non-finite numbers are not JSON; Go refuses them, so do we.
 */
export function goJsonNumber(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`go-json: unsupported number ${n}`)
  return Object.is(n, -0) ? '-0' : String(n)
}

/** Any JSON value (as JSON.parse returns them) in Go's encoding; keys of objects sorted. */
export function goJson(value: unknown): string {
  if (value === null || value === undefined) return 'null'
  switch (typeof value) {
    case 'string':
      return goJsonString(value)
    case 'number':
      return goJsonNumber(value)
    case 'boolean':
      return value ? 'true' : 'false'
    case 'bigint':
      return value.toString()
    case 'object':
      if (Array.isArray(value)) return `[${value.map(goJson).join(',')}]`
      return goJsonObject(Object.entries(value as Record<string, unknown>))
    default:
      throw new TypeError(`go-json: cannot encode a ${typeof value}`)
  }
}

/** An object from [key, already-encoded-or-raw value] pairs: keys sorted, values through goJson. */
export function goJsonObject(entries: Array<[string, unknown]>): string {
  const sorted = [...entries].sort(([a], [b]) => compareCodePoints(a, b))
  return `{${sorted.map(([k, v]) => `${goJsonString(k)}:${goJson(v)}`).join(',')}}`
}

/**
 * JSON text as Go's encoding/json writes the job's structs and maps: compact, Go's string
 * escaping and number format, plain objects in insertion order (Go structs: fields in declaration
 * order; `undefined` fields left out, like `omitempty`) and Maps with their keys sorted (Go maps).
 */
import {goJsonString} from '../artifacts/index.ts'
import {compareCodePoints} from '../artifacts/index.ts'
import {goJsonNumber} from '../artifacts/go-json.ts'

/** Encodes `value`; throws TypeError for values JSON cannot hold (functions, symbols, NaN). */
export function jobJson(value: unknown): string {
  if (value === null) return 'null'
  if (value instanceof Map) {
    const entries = [...value.entries()].filter(([, v]) => v !== undefined).sort(([a], [b]) => compareCodePoints(String(a), String(b)))
    return `{${entries.map(([k, v]) => `${goJsonString(String(k))}:${jobJson(v)}`).join(',')}}`
  }
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : jobJson(v))).join(',')}]`
  switch (typeof value) {
    case 'string':
      return goJsonString(value)
    case 'number':
      return goJsonNumber(value)
    case 'bigint':
      return value.toString()
    case 'boolean':
      return value ? 'true' : 'false'
    case 'object': {
      const fields = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined)
      return `{${fields.map(([k, v]) => `${goJsonString(k)}:${jobJson(v)}`).join(',')}}`
    }
    default:
      throw new TypeError(`jobs: cannot encode a ${typeof value} as JSON`)
  }
}

/** A parsed JSON value with every object turned into a Map, so that it is written as Go re-encodes a decoded `map[string]any`. */
export function asGoMaps(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(asGoMaps)
  if (typeof value === 'object' && value !== null && !(value instanceof Map)) {
    return new Map(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, asGoMaps(v)]))
  }
  return value
}

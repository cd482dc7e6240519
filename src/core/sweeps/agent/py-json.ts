/**
 * Python's `json.loads` and `json.dumps` for the agent's values: a heartbeat's commands keep int
 * and float apart (`1.0` reaches the trial as "1.0", `1` as "1"), and `${args_json}` is the text
 * `json.dumps` writes (", " and ": " separators, non-ASCII as \\uXXXX, NaN and Infinity).
 */
import {PyFloat, pyFloatRepr, type PyDict, type PyValue} from '../py-value.ts'

/** The text is not JSON Python's json.loads accepts. */
export class PyJsonError extends Error {
  override name = 'PyJsonError'
}

/** `json.loads(text)`: objects as PyDicts (a repeated key keeps its last value), ints as bigints, other numbers as PyFloats. */
export function loadPyJson(text: string): PyValue {
  const p = new Parser(text)
  p.space()
  const v = p.value()
  p.space()
  if (p.i < text.length) p.fail('extra data')
  return v
}

const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/y
const SPECIAL: Readonly<Record<string, number>> = {NaN: Number.NaN, Infinity: Number.POSITIVE_INFINITY, '-Infinity': Number.NEGATIVE_INFINITY}

class Parser {
  i = 0
  constructor(readonly s: string) {}

  fail(what: string): never {
    throw new PyJsonError(`${what} at character ${this.i}`)
  }

  space(): void {
    while (this.i < this.s.length && ' \t\n\r'.includes(this.s[this.i])) this.i++
  }

  value(): PyValue {
    const c = this.s[this.i]
    if (c === '{') return this.object()
    if (c === '[') return this.array()
    if (c === '"') return this.string()
    for (const [word, v] of [
      ['null', null],
      ['true', true],
      ['false', false],
    ] as const) {
      if (this.s.startsWith(word, this.i)) {
        this.i += word.length
        return v
      }
    }
    for (const [word, v] of Object.entries(SPECIAL)) {
      if (this.s.startsWith(word, this.i)) {
        this.i += word.length
        return new PyFloat(v)
      }
    }
    NUMBER.lastIndex = this.i
    const m = NUMBER.exec(this.s)
    if (!m) this.fail('expecting value')
    this.i += m[0].length
    return m[1] === undefined && m[2] === undefined ? BigInt(m[0]) : new PyFloat(Number(m[0]))
  }

  object(): PyDict {
    const out: PyDict = new Map()
    this.i++
    this.space()
    if (this.s[this.i] === '}') {
      this.i++
      return out
    }
    for (;;) {
      this.space()
      if (this.s[this.i] !== '"') this.fail('expecting property name enclosed in double quotes')
      const key = this.string()
      this.space()
      if (this.s[this.i] !== ':') this.fail("expecting ':' delimiter")
      this.i++
      this.space()
      out.set(key, this.value())
      this.space()
      const c = this.s[this.i++]
      if (c === '}') return out
      if (c !== ',') this.fail("expecting ',' delimiter")
    }
  }

  array(): PyValue[] {
    const out: PyValue[] = []
    this.i++
    this.space()
    if (this.s[this.i] === ']') {
      this.i++
      return out
    }
    for (;;) {
      this.space()
      out.push(this.value())
      this.space()
      const c = this.s[this.i++]
      if (c === ']') return out
      if (c !== ',') this.fail("expecting ',' delimiter")
    }
  }

  string(): string {
    const start = this.i
    this.i++
    for (;;) {
      const c = this.s[this.i]
      if (c === undefined) this.fail('unterminated string')
      if (c === '"') break
      if (c === '\\') this.i++
      else if (c < ' ') this.fail('invalid control character')
      this.i++
    }
    this.i++
    try {
      return JSON.parse(this.s.slice(start, this.i)) as string
    } catch {
      this.i = start
      return this.fail('invalid string escape')
    }
  }
}

/**
 * A value as Python holds it: PyValues stay as they are; plain JavaScript values (from a source
 * that builds commands itself) map to their Python kind, whole numbers to int and others to float.
 */
export function toPyValue(v: unknown): PyValue {
  if (v === null || v === undefined) return null
  if (typeof v === 'boolean' || typeof v === 'bigint' || typeof v === 'string' || v instanceof PyFloat) return v
  if (typeof v === 'number') return Number.isInteger(v) && !Object.is(v, -0) ? BigInt(v) : new PyFloat(v)
  if (Array.isArray(v)) return v.map(toPyValue)
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [String(k), toPyValue(x)]))
  if (typeof v === 'object') return new Map(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, toPyValue(x)]))
  return String(v)
}

/** `json.dumps(v)` with Python's defaults. */
export function dumpPyJson(v: PyValue): string {
  if (v === null) return 'null'
  if (typeof v === 'boolean') return v ? 'true' : 'false'
  if (typeof v === 'bigint') return v.toString()
  if (v instanceof PyFloat) {
    if (Number.isNaN(v.value)) return 'NaN'
    if (!Number.isFinite(v.value)) return v.value > 0 ? 'Infinity' : '-Infinity'
    return pyFloatRepr(v.value)
  }
  if (typeof v === 'string') return asciiJson(v)
  if (Array.isArray(v)) return `[${v.map(dumpPyJson).join(', ')}]`
  return `{${[...v].map(([k, x]) => `${asciiJson(k)}: ${dumpPyJson(x)}`).join(', ')}}`
}

/** A JSON string with every non-ASCII UTF-16 unit as \\uXXXX (ensure_ascii). */
function asciiJson(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

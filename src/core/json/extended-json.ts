/**
 * "Extended JSON" as wandb uses it for history, summary and config values: plain JSON plus the bare
 * literals NaN, Infinity and -Infinity (Python's json.dumps default, Go's simplejsonext).
 */
import {WandbError} from '../errors.ts'

export class ExtendedJsonError extends WandbError {
  override name = 'ExtendedJsonError'
}

/** Parses JSON that may contain bare NaN / Infinity / -Infinity. Throws ExtendedJsonError. */
export function parseExtendedJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch (err) {
    if (!/NaN|Infinity/.test(text)) throw new ExtendedJsonError(`json: ${(err as Error).message}`, {cause: err})
  }
  return new Parser(text).parseDocument()
}

/** Serialises a value; non-finite numbers become bare NaN / Infinity / -Infinity. */
export function stringifyExtendedJson(value: unknown): string {
  if (typeof value === 'number') return formatNumber(value)
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'bigint') return value.toString()
    return JSON.stringify(value) ?? 'null'
  }
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : stringifyExtendedJson(v))).join(',')}]`
  const parts: string[] = []
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === undefined || typeof v === 'function') continue
    parts.push(`${JSON.stringify(k)}:${stringifyExtendedJson(v)}`)
  }
  return `{${parts.join(',')}}`
}

function formatNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN'
  if (n === Number.POSITIVE_INFINITY) return 'Infinity'
  if (n === Number.NEGATIVE_INFINITY) return '-Infinity'
  return String(n) // same text as JSON.stringify for finite numbers, without its generic path
}

/** Recursive-descent parser, used only when JSON.parse rejected the text. */
class Parser {
  #s: string
  #i = 0
  constructor(s: string) {
    this.#s = s
  }

  parseDocument(): unknown {
    const v = this.#value()
    this.#ws()
    if (this.#i !== this.#s.length) this.#fail('trailing characters')
    return v
  }

  #fail(what: string): never {
    throw new ExtendedJsonError(`json: ${what} at position ${this.#i}`)
  }

  #ws(): void {
    while (this.#i < this.#s.length && ' \t\n\r'.includes(this.#s[this.#i])) this.#i++
  }

  #value(): unknown {
    this.#ws()
    const c = this.#s[this.#i]
    if (c === '{') return this.#object()
    if (c === '[') return this.#array()
    if (c === '"') return this.#string()
    if (this.#s.startsWith('NaN', this.#i)) return ((this.#i += 3), Number.NaN)
    if (this.#s.startsWith('Infinity', this.#i)) return ((this.#i += 8), Number.POSITIVE_INFINITY)
    if (this.#s.startsWith('-Infinity', this.#i)) return ((this.#i += 9), Number.NEGATIVE_INFINITY)
    if (this.#s.startsWith('true', this.#i)) return ((this.#i += 4), true)
    if (this.#s.startsWith('false', this.#i)) return ((this.#i += 5), false)
    if (this.#s.startsWith('null', this.#i)) return ((this.#i += 4), null)
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(this.#s.slice(this.#i, this.#i + 400))
    if (!m) this.#fail('unexpected character')
    this.#i += m[0].length
    return Number(m[0])
  }

  #object(): Record<string, unknown> {
    const out: Record<string, unknown> = {}
    this.#i++
    this.#ws()
    if (this.#s[this.#i] === '}') return (this.#i++, out)
    for (;;) {
      this.#ws()
      if (this.#s[this.#i] !== '"') this.#fail('expected a key')
      const k = this.#string()
      this.#ws()
      if (this.#s[this.#i] !== ':') this.#fail("expected ':'")
      this.#i++
      // defineProperty: a "__proto__" key must stay a key (JSON.parse keeps it as one too)
      Object.defineProperty(out, k, {value: this.#value(), enumerable: true, writable: true, configurable: true})
      this.#ws()
      const c = this.#s[this.#i++]
      if (c === '}') return out
      if (c !== ',') this.#fail("expected ',' or '}'")
    }
  }

  #array(): unknown[] {
    const out: unknown[] = []
    this.#i++
    this.#ws()
    if (this.#s[this.#i] === ']') return (this.#i++, out)
    for (;;) {
      out.push(this.#value())
      this.#ws()
      const c = this.#s[this.#i++]
      if (c === ']') return out
      if (c !== ',') this.#fail("expected ',' or ']'")
    }
  }

  #string(): string {
    const start = this.#i
    this.#i++
    while (this.#i < this.#s.length) {
      const c = this.#s[this.#i]
      if (c === '\\') this.#i += 2
      else if (c === '"') {
        this.#i++
        return JSON.parse(this.#s.slice(start, this.#i))
      } else this.#i++
    }
    this.#fail('unterminated string')
  }
}

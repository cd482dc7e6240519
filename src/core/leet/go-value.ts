/**
 * Values as Go wandb-core's leet holds them after decoding a config or summary `value_json`
 * (simplejsonext): integers that fit int64 are `bigint`, every other number is a float64
 * `number` (NaN and the infinities included), objects are Maps (so no key can touch a prototype).
 * Go prints the two number kinds differently (1000000 as an int, 1e+06 as a float), so the
 * distinction has to survive decoding, which JSON.parse would erase.
 */

export type GoValue = null | boolean | string | bigint | number | GoValue[] | GoObject
export type GoObject = Map<string, GoValue>

const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n
const NUMBER = /^-?(?:\d+)(?:\.\d*)?(?:[eE][+-]?\d+)?/

/** Thrown for text that is not (extended) JSON; callers skip the item as Go does. */
export class GoJsonError extends Error {
  override name = 'GoJsonError'
}

/** Decodes JSON with bare NaN / Infinity / -Infinity, keeping int64 integers as bigint. */
export function decodeGoJson(text: string): GoValue {
  const parser = new Parser(text)
  const value = parser.value()
  parser.end()
  return value
}

class Parser {
  readonly #s: string
  #i = 0

  constructor(s: string) {
    this.#s = s
  }

  end(): void {
    this.#ws()
    if (this.#i !== this.#s.length) this.#fail('trailing data')
  }

  value(): GoValue {
    this.#ws()
    const c = this.#s[this.#i]
    if (c === '{') return this.#object()
    if (c === '[') return this.#array()
    if (c === '"') return this.#string()
    if (this.#word('true')) return true
    if (this.#word('false')) return false
    if (this.#word('null')) return null
    if (this.#word('NaN')) return Number.NaN
    if (this.#word('Infinity')) return Number.POSITIVE_INFINITY
    if (this.#word('-Infinity')) return Number.NEGATIVE_INFINITY
    return this.#number()
  }

  #fail(what: string): never {
    throw new GoJsonError(`json: ${what} at offset ${this.#i}`)
  }

  #ws(): void {
    while (this.#i < this.#s.length && ' \t\r\n'.includes(this.#s[this.#i])) this.#i++
  }

  #word(w: string): boolean {
    if (!this.#s.startsWith(w, this.#i)) return false
    this.#i += w.length
    return true
  }

  #number(): GoValue {
    const m = NUMBER.exec(this.#s.slice(this.#i, this.#i + 400))
    if (!m) this.#fail('unexpected character')
    const text = m[0]
    this.#i += text.length
    if (/^-?\d+$/.test(text)) {
      const n = BigInt(text)
      if (n >= INT64_MIN && n <= INT64_MAX) return n
    }
    return Number(text)
  }

  #object(): GoObject {
    const out: GoObject = new Map()
    this.#i++
    this.#ws()
    if (this.#s[this.#i] === '}') {
      this.#i++
      return out
    }
    for (;;) {
      this.#ws()
      if (this.#s[this.#i] !== '"') this.#fail('expected a key')
      const key = this.#string()
      this.#ws()
      if (this.#s[this.#i] !== ':') this.#fail("expected ':'")
      this.#i++
      out.set(key, this.value())
      this.#ws()
      const c = this.#s[this.#i++]
      if (c === '}') return out
      if (c !== ',') this.#fail("expected ',' or '}'")
    }
  }

  #array(): GoValue[] {
    const out: GoValue[] = []
    this.#i++
    this.#ws()
    if (this.#s[this.#i] === ']') {
      this.#i++
      return out
    }
    for (;;) {
      out.push(this.value())
      this.#ws()
      const c = this.#s[this.#i++]
      if (c === ']') return out
      if (c !== ',') this.#fail("expected ',' or ']'")
    }
  }

  #string(): string {
    const start = this.#i
    this.#i++
    for (let escaped = false; this.#i < this.#s.length; this.#i++) {
      const c = this.#s[this.#i]
      if (escaped) escaped = false
      else if (c === '\\') escaped = true
      else if (c === '"') {
        this.#i++
        try {
          return JSON.parse(this.#s.slice(start, this.#i)) as string
        } catch {
          this.#fail('bad string')
        }
      }
    }
    this.#fail('unterminated string')
  }
}

export function isGoObject(v: GoValue | undefined): v is GoObject {
  return v instanceof Map
}

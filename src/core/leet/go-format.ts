/**
 * Text as Go's standard library writes it, for the values leet prints: fmt's %v, simplejsonext's
 * compact JSON, encoding/json's indented JSON (map keys sorted, HTML left alone), %q quoting and
 * time.Duration's String for whole seconds.
 */
import {goFloatString} from '../runstate/go-float.ts'
import {type GoValue, isGoObject} from './go-value.ts'

/** A value encoding/json writes as is: already-formatted JSON text (a time, a number). */
export class RawJson {
  constructor(readonly text: string) {}
}

export type JsonOut = GoValue | RawJson | readonly JsonOut[] | ReadonlyMap<string, JsonOut>

/** fmt.Sprint of a scalar: <nil>, true, 42, 1e+06, +Inf, text. */
export function goSprint(v: GoValue): string {
  if (v === null) return '<nil>'
  if (typeof v === 'string') return v
  if (typeof v === 'number') return goFloatString(v)
  if (typeof v === 'boolean' || typeof v === 'bigint') return String(v)
  return compactJson(v)
}

/** simplejsonext's compact JSON: floats in %g form, non-finite numbers as bare words. */
export function compactJson(v: GoValue): string {
  if (v === null) return 'null'
  if (typeof v === 'boolean' || typeof v === 'bigint') return String(v)
  if (typeof v === 'number') {
    if (v === Number.POSITIVE_INFINITY) return 'Infinity'
    if (v === Number.NEGATIVE_INFINITY) return '-Infinity'
    return goFloatString(v)
  }
  if (typeof v === 'string') return compactString(v)
  if (Array.isArray(v)) return `[${v.map(compactJson).join(',')}]`
  // Go walks the map in random order; sorted keys keep ours deterministic.
  return `{${sortedKeys(v)
    .map((k) => `${compactString(k)}:${compactJson(v.get(k)!)}`)
    .join(',')}}`
}

const SHORT_ESCAPES: Record<string, string> = {'"': '\\"', '\\': '\\\\', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t'}

function compactString(s: string): string {
  // eslint-disable-next-line no-control-regex
  return `"${s.replace(/["\\\u0000-\u001f]/g, (c) => SHORT_ESCAPES[c] ?? `\\u00${hex2(c.charCodeAt(0))}`)}"`
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0')
}

/** Keys in Go's sort.Strings order (byte order of the UTF-8 text). */
export function sortedKeys(m: ReadonlyMap<string, unknown>): string[] {
  return [...m.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
}

/** encoding/json with SetEscapeHTML(false) and SetIndent("", indent), plus the final newline. */
export function encodeGoJson(v: JsonOut, indent: string): string {
  return `${encode(v, indent, '')}\n`
}

function encode(v: JsonOut, indent: string, prefix: string): string {
  if (v instanceof RawJson) return v.text
  if (v === null) return 'null'
  if (typeof v === 'boolean' || typeof v === 'bigint') return String(v)
  if (typeof v === 'number') return jsonFloat(v)
  if (typeof v === 'string') return jsonString(v)
  const inner = prefix + indent
  const nl = indent ? '\n' : ''
  const sep = indent ? ': ' : ':'
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]'
    return `[${nl}${v.map((e) => inner + encode(e, indent, inner)).join(`,${nl}`)}${nl}${prefix}]`
  }
  const m = v as ReadonlyMap<string, JsonOut>
  if (m.size === 0) return '{}'
  const parts = sortedKeys(m).map((k) => `${inner}${jsonString(k)}${sep}${encode(m.get(k)!, indent, inner)}`)
  return `{${nl}${parts.join(`,${nl}`)}${nl}${prefix}}`
}

/** encoding/json's float64: shortest digits, exponent form below 1e-6 and from 1e21 (as JS). */
function jsonFloat(v: number): string {
  // leet turns non-finite values into strings before encoding (simplejsonext.WalkDeNaN).
  if (Number.isNaN(v)) return '"NaN"'
  if (v === Number.POSITIVE_INFINITY) return '"Infinity"'
  if (v === Number.NEGATIVE_INFINITY) return '"-Infinity"'
  if (Object.is(v, -0)) return '-0'
  return String(v)
}

/** encoding/json's string escaping without HTML escapes: controls, quote, backslash, U+2028/9. */
export function jsonString(s: string): string {
  let out = '"'
  for (const ch of s) {
    const c = ch.codePointAt(0)!
    if (SHORT_ESCAPES[ch]) out += SHORT_ESCAPES[ch]
    else if (c < 0x20) out += `\\u00${hex2(c)}`
    else if (c === 0x2028 || c === 0x2029) out += `\\u${c.toString(16)}`
    else if (c >= 0xd800 && c <= 0xdfff) out += '\\ufffd'
    else out += ch
  }
  return `${out}"`
}

/** strconv.Quote: printable text as is, other characters escaped Go-style. */
export function goQuote(s: string): string {
  let out = '"'
  for (const ch of s) out += quoteRune(ch)
  return `${out}"`
}

/** %q of raw bytes: valid UTF-8 as for goQuote, invalid bytes as \xNN. */
export function goQuoteBytes(bytes: Uint8Array): string {
  try {
    return goQuote(new TextDecoder('utf-8', {fatal: true}).decode(bytes))
  } catch {
    let out = '"'
    for (const b of bytes) out += b < 0x80 ? quoteRune(String.fromCharCode(b)) : `\\x${hex2(b)}`
    return `${out}"`
  }
}

const QUOTE_ESCAPES: Record<string, string> = {...SHORT_ESCAPES, '\u0007': '\\a', '\u000b': '\\v'}
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u

function quoteRune(ch: string): string {
  if (QUOTE_ESCAPES[ch]) return QUOTE_ESCAPES[ch]
  if (PRINTABLE.test(ch)) return ch
  const c = ch.codePointAt(0)!
  if (c < 0x80) return `\\x${hex2(c)}`
  if (c >= 0xd800 && c <= 0xdfff) return '\\ufffd'
  return c > 0xffff ? `\\U${c.toString(16).padStart(8, '0')}` : `\\u${c.toString(16).padStart(4, '0')}`
}

/** time.Duration.String() of a whole number of seconds: 0s, 5s, 1m0s, 2h3m4s, -5s. */
export function goDurationSeconds(seconds: number): string {
  if (seconds === 0) return '0s'
  const sign = seconds < 0 ? '-' : ''
  let rest = Math.abs(seconds)
  const h = Math.floor(rest / 3600)
  rest -= h * 3600
  const m = Math.floor(rest / 60)
  const s = rest - m * 60
  if (h > 0) return `${sign}${h}h${m}m${s}s`
  if (m > 0) return `${sign}${m}m${s}s`
  return `${sign}${s}s`
}

/** Display width as the terminal (and lipgloss) counts it: wide characters are 2 cells. */
export function displayWidth(s: string): number {
  return Bun.stringWidth(s)
}

/** Cuts `value` to `maxWidth` cells, ending in "..." when cut (leet's sidebar rule). */
export function truncateValue(value: string, maxWidth: number): string {
  if (displayWidth(value) <= maxWidth) return value
  if (maxWidth <= 3) return '...'
  const available = maxWidth - 4
  let width = 0
  let out = ''
  for (const ch of value) {
    const w = displayWidth(ch)
    if (width + w > available) return `${out}...`
    width += w
    out += ch
  }
  return `${out}...`
}

export {isGoObject}

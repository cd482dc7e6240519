/**
 * JSON text exactly as Go core writes it where the bytes matter (a table file's content is
 * hashed into the history) or where the precision does (a float32 scalar's shortest digits):
 * - wandb's simplejsonext: floats as strconv.FormatFloat(x, 'g', -1, bitSize) with bare NaN,
 *   Infinity and -Infinity; strings with only `"`, `\` and control characters escaped;
 * - Go strings made from arbitrary bytes: each byte that does not start a valid UTF-8 sequence
 *   becomes U+FFFD (what encoding/json writes for it).
 */
import {goFloatString} from '../runstate/index.ts'

/** simplejsonext's text for a float64. */
export function goFloat64Json(x: number): string {
  if (x === Number.POSITIVE_INFINITY) return 'Infinity'
  if (x === Number.NEGATIVE_INFINITY) return '-Infinity'
  return goFloatString(x)
}

/** simplejsonext's text for a float32 (`x` must be a float32 value): its shortest float32 digits. */
export function goFloat32Json(x: number): string {
  if (!Number.isFinite(x) || x === 0) return goFloat64Json(x)
  return goFloatString(Number(shortestFloat32Decimal(x)))
}

/** The shortest decimal that reads back as the float32 `x`; the closest one when several qualify. */
function shortestFloat32Decimal(x: number): string {
  for (let precision = 1; precision <= 9; precision++) {
    const rounded = Number(x.toPrecision(precision))
    const exponent = Math.floor(Math.log10(Math.abs(rounded)))
    const unit = 10 ** (exponent - precision + 1)
    const candidates = [rounded, rounded - unit, rounded + unit]
      .map((c) => Number(c.toPrecision(precision)))
      .filter((c) => Math.fround(c) === x)
      .sort((a, b) => Math.abs(a - x) - Math.abs(b - x))
    if (candidates.length > 0) return candidates[0].toPrecision(precision)
  }
  return x.toPrecision(9)
}

/** simplejsonext's text for a string. */
export function simpleJsonString(s: string): string {
  let out = '"'
  for (const ch of s) {
    const c = ch.codePointAt(0)!
    if (ch === '"' || ch === '\\') out += `\\${ch}`
    else if (ch === '\b') out += '\\b'
    else if (ch === '\f') out += '\\f'
    else if (ch === '\n') out += '\\n'
    else if (ch === '\r') out += '\\r'
    else if (ch === '\t') out += '\\t'
    else if (c < 0x20) out += `\\u00${c.toString(16).padStart(2, '0')}`
    else out += ch
  }
  return `${out}"`
}

/** The bytes as the string Go's encoding/json emits for them (invalid UTF-8 bytes → U+FFFD, one each). */
export function goStringFromBytes(bytes: Uint8Array): string {
  let out = ''
  let i = 0
  const cont = (k: number, lo = 0x80, hi = 0xbf) => i + k < bytes.length && bytes[i + k] >= lo && bytes[i + k] <= hi
  while (i < bytes.length) {
    const b = bytes[i]
    let size = 0
    if (b < 0x80) size = 1
    else if (b >= 0xc2 && b <= 0xdf && cont(1)) size = 2
    else if (b === 0xe0 && cont(1, 0xa0) && cont(2)) size = 3
    else if (((b >= 0xe1 && b <= 0xec) || b === 0xee || b === 0xef) && cont(1) && cont(2)) size = 3
    else if (b === 0xed && cont(1, 0x80, 0x9f) && cont(2)) size = 3
    else if (b === 0xf0 && cont(1, 0x90) && cont(2) && cont(3)) size = 4
    else if (b >= 0xf1 && b <= 0xf3 && cont(1) && cont(2) && cont(3)) size = 4
    else if (b === 0xf4 && cont(1, 0x80, 0x8f) && cont(2) && cont(3)) size = 4
    if (size === 0) {
      out += '\ufffd'
      i++
      continue
    }
    let code = size === 1 ? b : b & (0xff >> (size + 1))
    for (let k = 1; k < size; k++) code = (code << 6) | (bytes[i + k] & 0x3f)
    out += String.fromCodePoint(code)
    i += size
  }
  return out
}

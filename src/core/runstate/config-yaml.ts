/**
 * config.yaml exactly as Go's gopkg.in/yaml.v3 writes it (what wandb-core uploads), for trees of
 * JSON values. The general-purpose `yaml` package cannot be told to produce yaml.v3's layout, so
 * the block structure is written here; its rules:
 * - mapping keys in yaml.v3's "natural" order (see compareKeys);
 * - a nested block goes to the next multiple of 4 columns, except directly inside a sequence item,
 *   where it follows the "- " (compact); empty collections are written `{}` / `[]`;
 * - strings: double-quoted when they would read back as another type (see readsAsNonString) or
 *   hold characters YAML cannot print plainly (escaped as \t, \x01, \U0001F600…); else plain when
 *   the syntax allows, else single-quoted; multi-line strings as literal blocks (`|-`, `|`, `|+`,
 *   with an indentation indicator when the text starts with a space or a line break);
 * - integers in decimal, other numbers like Go's strconv 'g' format (1e-07, 1.2345675e+06),
 *   .nan / .inf / -.inf.
 * - keys that span lines or exceed 128 bytes are written in the `? key` / `: value` form.
 * Not reproduced: the `...` document end yaml.v3 adds when the last value ends in two line breaks,
 * and its odd escaping of the character after a byte-order mark.
 */
import {goFloatString} from './go-float.ts'

const INDENT = 4

/** The config.yaml text of a value tree (a mapping at the top). */
export function toGoStyleYaml(value: Record<string, unknown>): string {
  if (!isNonEmptyCollection(value)) return '{}\n'
  const out: string[] = []
  writeMapping(out, value, 0)
  return out.join('')
}

function nextIndent(indent: number): number {
  return INDENT * Math.floor((indent + INDENT) / INDENT)
}

function isNonEmptyCollection(value: unknown): value is Record<string, unknown> | unknown[] {
  if (Array.isArray(value)) return value.length > 0
  return typeof value === 'object' && value !== null && Object.keys(value).length > 0
}

/** Writes a non-empty mapping whose keys start at column `indent`; the cursor is already there. */
function writeMapping(out: string[], map: Record<string, unknown>, indent: number): void {
  const keys = Object.keys(map).sort(compareKeys)
  keys.forEach((key, i) => {
    if (i > 0) out.push(' '.repeat(indent))
    const value = map[key]
    if (isSimpleKey(key)) {
      out.push(scalarText(key, indent, true), ':')
      writeValue(out, value, indent, false)
      return
    }
    // A multi-line or very long key: "? key" on its own, then ":" at the mapping's column, and a
    // collection value starting on that line at the nested column.
    const inner = nextIndent(indent)
    const text = scalarText(key, inner, false)
    out.push('? ', text, text.endsWith('\n') ? '' : '\n', ' '.repeat(indent), ':')
    if (!isNonEmptyCollection(value)) return writeValue(out, value, indent, false)
    out.push(' '.repeat(inner - indent - 1))
    if (Array.isArray(value)) writeSequence(out, value, inner)
    else writeMapping(out, value, inner)
  })
}

/** libyaml writes a key inline only when it is one line of at most 128 bytes. */
function isSimpleKey(key: string): boolean {
  return !key.includes('\n') && new TextEncoder().encode(key).length <= 128
}

/** Writes a non-empty sequence whose "- " start at column `indent`; the cursor is already there. */
function writeSequence(out: string[], list: unknown[], indent: number): void {
  list.forEach((item, i) => {
    if (i > 0) out.push(' '.repeat(indent))
    out.push('-')
    writeValue(out, item, indent, true)
  })
}

/** Writes a value after "key:" or "-" (owner at column `indent`), ending with a line break. */
function writeValue(out: string[], value: unknown, indent: number, inSequence: boolean): void {
  const inner = inSequence ? indent + 2 : nextIndent(indent)
  if (isNonEmptyCollection(value)) {
    if (inSequence) out.push(' ')
    else out.push('\n', ' '.repeat(inner))
    if (Array.isArray(value)) writeSequence(out, value, inner)
    else writeMapping(out, value, inner)
    return
  }
  const text = scalarText(value, inner, false)
  out.push(' ', text, text.endsWith('\n') ? '' : '\n')
}

/** The text of a scalar; `contentIndent` is where the lines of a literal block go. */
function scalarText(value: unknown, contentIndent: number, isKey: boolean): string {
  if (value === null || value === undefined) return 'null'
  if (typeof value === 'boolean') return String(value)
  if (typeof value === 'bigint') return value.toString()
  if (typeof value === 'number') return numberText(value)
  if (Array.isArray(value)) return '[]'
  if (typeof value === 'object') return '{}'
  return stringText(String(value), contentIndent, isKey)
}

function numberText(n: number): string {
  if (Number.isNaN(n)) return '.nan'
  if (n === Number.POSITIVE_INFINITY) return '.inf'
  if (n === Number.NEGATIVE_INFINITY) return '-.inf'
  if (Number.isInteger(n) && Math.abs(n) < 2 ** 63) return BigInt(n).toString()
  return goFloatString(n)
}

/** yaml.v3 asks for a literal block (text with \n) or plain style (when type-safe), else double quotes; libyaml downgrades what the text does not allow. */
function stringText(s: string, contentIndent: number, isKey: boolean): string {
  const a = analyze(s)
  if (s.includes('\n')) return !isKey && a.blockAllowed ? literalBlock(s, contentIndent) : doubleQuoted(s)
  if (readsAsNonString(s)) return doubleQuoted(s)
  if (a.plainAllowed) return s
  if (a.singleAllowed) return `'${s.replaceAll("'", "''")}'`
  return doubleQuoted(s)
}

const BREAKS = new Set(['\n', '\r', '\u0085', '\u2028', '\u2029'])

/** What libyaml allows for a string in block context (its scalar analysis). */
function analyze(s: string): {plainAllowed: boolean; singleAllowed: boolean; blockAllowed: boolean} {
  if (s === '') return {plainAllowed: true, singleAllowed: true, blockAllowed: false}
  const chars = [...s]
  let indicators = s.startsWith('---') || s.startsWith('...')
  let tabs = false
  let special = false
  let lineBreaks = false
  let leadingSpace = false
  let leadingBreak = false
  let trailingSpace = false
  let trailingBreak = false
  let spaceBreak = false
  let breakSpace = false
  let previousSpace = false
  let previousBreak = false
  let precededByWhitespace = true
  chars.forEach((c, i) => {
    const last = i === chars.length - 1
    const followedByWhitespace = last || chars[i + 1] === ' ' || chars[i + 1] === '\t'
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(c)) indicators = true
      else if ((c === '?' || c === ':' || c === '-') && followedByWhitespace) indicators = true
    } else if ((c === ':' && followedByWhitespace) || (c === '#' && precededByWhitespace)) {
      indicators = true
    }
    if (c === '\t') tabs = true
    else if (!isPrintable(c)) special = true
    if (c === ' ') {
      if (i === 0) leadingSpace = true
      if (last) trailingSpace = true
      if (previousBreak) breakSpace = true
      previousSpace = true
      previousBreak = false
    } else if (BREAKS.has(c)) {
      lineBreaks = true
      if (i === 0) leadingBreak = true
      if (last) trailingBreak = true
      if (previousSpace) spaceBreak = true
      previousSpace = false
      previousBreak = true
    } else {
      previousSpace = false
      previousBreak = false
    }
    precededByWhitespace = c === ' ' || c === '\t' || BREAKS.has(c)
  })
  const plainAllowed = !(indicators || leadingSpace || leadingBreak || trailingSpace || trailingBreak || breakSpace || spaceBreak || tabs || special || lineBreaks)
  const singleAllowed = !(breakSpace || spaceBreak || tabs || special)
  const blockAllowed = !(trailingSpace || spaceBreak || special)
  return {plainAllowed, singleAllowed, blockAllowed}
}

/** libyaml's printable set (with unicode output on): no C0/C1 controls but \n, no surrogates, nothing above U+FFFF. */
function isPrintable(c: string): boolean {
  const code = c.codePointAt(0)!
  if (code === 0x0a) return true
  if (code >= 0x20 && code <= 0x7e) return true
  if (code >= 0xa0 && code <= 0xd7ff) return true
  if (code >= 0xe000 && code <= 0xfffd) return code !== 0xfeff
  return false
}

const ESCAPES: Record<string, string> = {
  '\0': '0',
  '\x07': 'a',
  '\b': 'b',
  '\t': 't',
  '\n': 'n',
  '\v': 'v',
  '\f': 'f',
  '\r': 'r',
  '\x1b': 'e',
  '"': '"',
  '\\': '\\',
  '\u0085': 'N',
  '\u00a0': '_',
  '\u2028': 'L',
  '\u2029': 'P',
}

function doubleQuoted(s: string): string {
  let out = '"'
  for (const c of s) {
    const code = c.codePointAt(0)!
    if (!isPrintable(c) || BREAKS.has(c) || c === '"' || c === '\\') {
      const named = ESCAPES[c]
      if (named) out += `\\${named}`
      else if (code <= 0xff) out += `\\x${hex(code, 2)}`
      else if (code <= 0xffff) out += `\\u${hex(code, 4)}`
      else out += `\\U${hex(code, 8)}`
    } else {
      out += c
    }
  }
  return `${out}"`
}

function hex(code: number, width: number): string {
  return code.toString(16).toUpperCase().padStart(width, '0')
}

/**
 * A literal block scalar: the indicator, then each line at `indent` (empty lines stay empty). As
 * in yaml.v3 3.0.1, a leading line break of the text ends the indicator line, and a final line
 * break of the text is the block's last line end.
 */
function literalBlock(s: string, indent: number): string {
  let out = '|'
  if (s.startsWith(' ') || s.startsWith('\n')) out += String(INDENT)
  if (!s.endsWith('\n')) out += '-'
  else if (s === '\n' || s.endsWith('\n\n')) out += '+'
  let atLineStart = false
  let breaks = true
  for (const c of s) {
    if (c === '\n') {
      out += '\n'
      atLineStart = true
      breaks = true
      continue
    }
    if (breaks) out += `${atLineStart ? '' : '\n'}${' '.repeat(indent)}`
    out += c
    atLineStart = false
    breaks = false
  }
  return out
}

const OLD_BOOLS = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF'])
const WORDS = new Set([
  '~',
  'null',
  'Null',
  'NULL',
  'true',
  'True',
  'TRUE',
  'false',
  'False',
  'FALSE',
  '.inf',
  '.Inf',
  '.INF',
  '+.inf',
  '+.Inf',
  '+.INF',
  '-.inf',
  '-.Inf',
  '-.INF',
  '.nan',
  '.NaN',
  '.NAN',
])
const INT = /^[-+]?(?:0b[01]+|0o[0-7]+|0x[0-9a-fA-F]+|[0-9]+)$/
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/
const BASE60 = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/
const TIMESTAMP = /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt ][0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]+)?(?:Z|[+-][0-9]{2}:[0-9]{2})?)?$/

/** True when a plain (unquoted) `s` would be read by yaml.v3 as something other than a string. */
function readsAsNonString(s: string): boolean {
  if (s === '' || WORDS.has(s) || OLD_BOOLS.has(s) || BASE60.test(s)) return true
  const plain = s.replaceAll('_', '')
  return INT.test(plain) || FLOAT.test(plain) || TIMESTAMP.test(s)
}

/**
 * yaml.v3's key order: at the first differing character, two letters compare by code point; a
 * letter sorts after a non-letter (before it when the common prefix ends in a digit); otherwise
 * the runs of digits starting there compare as numbers, then by length, then by code point.
 * A key that is a prefix of another sorts first.
 */
function compareKeys(a: string, b: string): number {
  const ar = [...a]
  const br = [...b]
  let digits = false
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) {
      digits = isDigit(ar[i])
      continue
    }
    const al = isLetter(ar[i])
    const bl = isLetter(br[i])
    if (al && bl) return codeOf(ar[i]) < codeOf(br[i]) ? -1 : 1
    if (al || bl) return (digits ? al : bl) ? -1 : 1
    let an = 0
    let bn = 0
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--) {
        if (ar[j] !== '0') {
          an = 1
          bn = 1
          break
        }
      }
    }
    let ai = i
    let bi = i
    for (; ai < ar.length && isDigit(ar[ai]); ai++) an = an * 10 + codeOf(ar[ai]) - 48
    for (; bi < br.length && isDigit(br[bi]); bi++) bn = bn * 10 + codeOf(br[bi]) - 48
    if (an !== bn) return an < bn ? -1 : 1
    if (ai !== bi) return ai < bi ? -1 : 1
    return codeOf(ar[i]) < codeOf(br[i]) ? -1 : 1
  }
  return ar.length - br.length
}

function codeOf(c: string): number {
  return c.codePointAt(0)!
}

function isDigit(c: string): boolean {
  return /^\p{Nd}$/u.test(c)
}

function isLetter(c: string): boolean {
  return /^\p{L}$/u.test(c)
}

/**
 * `yaml.dump(config, Dumper=NonOctalStringDumper)` of PyYAML 6, byte for byte: the text wandb
 * 0.31 uploads as the sweep config. Block style, keys sorted by code point, 2-space indent,
 * sequences in mappings not indented, lines folded at 80 columns, non-ASCII escaped in double
 * quotes (allow_unicode is off), strings that would read back as another type quoted, and
 * wandb's own rule: strings starting with "0" (longer than one character) single-quoted so that
 * "008" stays a string. A port of the parts of yaml/emitter.py this data reaches (no anchors,
 * since json.loads never shares objects; flow style only for empty collections).
 */
import {compareCodePoints, PyFloat, pyFloatRepr, type PyValue} from './py-value.ts'
import {resolvePlain} from './yaml-load.ts'

const BEST_WIDTH = 80
const BEST_INDENT = 2
const BREAKS = '\n\x85\u2028\u2029'
const SPACE_OR_BREAK = '\0 \t\r\n\x85\u2028\u2029'

interface Analysis {
  empty: boolean
  multiline: boolean
  allowFlowPlain: boolean
  allowBlockPlain: boolean
  allowSingleQuoted: boolean
}

/** Emitter.analyze_scalar with allow_unicode off (characters are code points). */
function analyze(chars: string[]): Analysis {
  if (chars.length === 0) return {empty: true, multiline: false, allowFlowPlain: false, allowBlockPlain: true, allowSingleQuoted: true}
  let blockIndicators = false
  let flowIndicators = false
  let lineBreaks = false
  let special = false
  let leadingSpace = false
  let leadingBreak = false
  let trailingSpace = false
  let trailingBreak = false
  let breakSpace = false
  let spaceBreak = false
  const text = chars.join('')
  if (text.startsWith('---') || text.startsWith('...')) blockIndicators = flowIndicators = true
  let precededByWhitespace = true
  let followedByWhitespace = chars.length === 1 || SPACE_OR_BREAK.includes(chars[1])
  let previousSpace = false
  let previousBreak = false
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(ch)) flowIndicators = blockIndicators = true
      if (ch === '?' || ch === ':') {
        flowIndicators = true
        if (followedByWhitespace) blockIndicators = true
      }
      if (ch === '-' && followedByWhitespace) flowIndicators = blockIndicators = true
    } else {
      if (',?[]{}'.includes(ch)) flowIndicators = true
      if (ch === ':') {
        flowIndicators = true
        if (followedByWhitespace) blockIndicators = true
      }
      if (ch === '#' && precededByWhitespace) flowIndicators = blockIndicators = true
    }
    if (BREAKS.includes(ch)) lineBreaks = true
    const cp = ch.codePointAt(0) as number
    if (!(ch === '\n' || (cp >= 0x20 && cp <= 0x7e))) special = true
    if (ch === ' ') {
      if (i === 0) leadingSpace = true
      if (i === chars.length - 1) trailingSpace = true
      if (previousBreak) breakSpace = true
      previousSpace = true
      previousBreak = false
    } else if (BREAKS.includes(ch)) {
      if (i === 0) leadingBreak = true
      if (i === chars.length - 1) trailingBreak = true
      if (previousSpace) spaceBreak = true
      previousSpace = false
      previousBreak = true
    } else {
      previousSpace = previousBreak = false
    }
    precededByWhitespace = SPACE_OR_BREAK.includes(ch)
    followedByWhitespace = i + 2 >= chars.length || SPACE_OR_BREAK.includes(chars[i + 2])
  }
  let allowFlowPlain = true
  let allowBlockPlain = true
  let allowSingleQuoted = true
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) allowFlowPlain = allowBlockPlain = false
  if (breakSpace) allowFlowPlain = allowBlockPlain = allowSingleQuoted = false
  if (spaceBreak || special) allowFlowPlain = allowBlockPlain = allowSingleQuoted = false
  if (lineBreaks) allowFlowPlain = allowBlockPlain = false
  if (flowIndicators) allowFlowPlain = false
  if (blockIndicators) allowBlockPlain = false
  return {empty: false, multiline: lineBreaks, allowFlowPlain, allowBlockPlain, allowSingleQuoted}
}

const ESCAPES: Readonly<Record<string, string>> = {
  '\0': '0',
  '\x07': 'a',
  '\x08': 'b',
  '\t': 't',
  '\n': 'n',
  '\x0B': 'v',
  '\x0C': 'f',
  '\r': 'r',
  '\x1B': 'e',
  '"': '"',
  '\\': '\\',
  '\x85': 'N',
  '\xA0': '_',
  '\u2028': 'L',
  '\u2029': 'P',
}

/** A scalar as the representer hands it to the emitter. */
interface ScalarEvent {
  text: string
  /** implicit[0]: the plain text would resolve back to the same tag. */
  plainImplicit: boolean
  /** The representer's style: "'" for wandb's 0-prefixed strings, else none. */
  style: "'" | null
}

function scalarEvent(v: PyValue): ScalarEvent {
  if (v === null) return {text: 'null', plainImplicit: true, style: null}
  if (typeof v === 'boolean') return {text: v ? 'true' : 'false', plainImplicit: true, style: null}
  if (typeof v === 'bigint') return {text: v.toString(), plainImplicit: true, style: null}
  if (v instanceof PyFloat) return {text: floatText(v.value), plainImplicit: true, style: null}
  if (typeof v === 'string') {
    return {text: v, plainImplicit: resolvePlain(v) === 'str', style: v.startsWith('0') && Array.from(v).length > 1 ? "'" : null}
  }
  throw new Error('sweeps: not a scalar')
}

/** SafeRepresenter.represent_float. */
function floatText(x: number): string {
  if (Number.isNaN(x)) return '.nan'
  if (x === Number.POSITIVE_INFINITY) return '.inf'
  if (x === Number.NEGATIVE_INFINITY) return '-.inf'
  const value = pyFloatRepr(x).toLowerCase()
  return !value.includes('.') && value.includes('e') ? value.replace('e', '.0e') : value
}

class Emitter {
  out = ''
  column = 0
  whitespace = true
  indention = true
  indent: number | null = null
  readonly indents: (number | null)[] = []
  flowLevel = 0
  openEnded = false

  write(data: string): void {
    this.out += data
  }

  increaseIndent(flow: boolean, indentless = false): void {
    this.indents.push(this.indent)
    if (this.indent === null) this.indent = flow ? BEST_INDENT : 0
    else if (!indentless) this.indent += BEST_INDENT
  }

  popIndent(): void {
    this.indent = this.indents.pop() as number | null
  }

  writeIndicator(indicator: string, needWhitespace: boolean, whitespace = false, indention = false): void {
    const data = this.whitespace || !needWhitespace ? indicator : ` ${indicator}`
    this.whitespace = whitespace
    this.indention = this.indention && indention
    this.column += data.length
    this.openEnded = false
    this.write(data)
  }

  writeIndent(): void {
    const indent = this.indent ?? 0
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.writeLineBreak()
    if (this.column < indent) {
      this.whitespace = true
      this.write(' '.repeat(indent - this.column))
      this.column = indent
    }
  }

  writeLineBreak(data = '\n'): void {
    this.whitespace = true
    this.indention = true
    this.column = 0
    this.write(data)
  }

  node(v: PyValue, ctx: {root?: boolean; mapping?: boolean; simpleKey?: boolean}): void {
    if (Array.isArray(v)) {
      if (this.flowLevel > 0 || v.length === 0) return this.emptyFlow('[', ']')
      const indentless = (ctx.mapping ?? false) && !this.indention
      this.increaseIndent(false, indentless)
      for (const item of v) {
        this.writeIndent()
        this.writeIndicator('-', true, false, true)
        this.node(item, {})
      }
      return this.popIndent()
    }
    if (v instanceof Map) {
      if (this.flowLevel > 0 || v.size === 0) return this.emptyFlow('{', '}')
      this.increaseIndent(false)
      for (const key of [...v.keys()].sort(compareCodePoints)) {
        this.writeIndent()
        if (simpleKey(key)) {
          this.node(key, {mapping: true, simpleKey: true})
          this.writeIndicator(':', false)
        } else {
          this.writeIndicator('?', true, false, true)
          this.node(key, {mapping: true})
          this.writeIndent()
          this.writeIndicator(':', true, false, true)
        }
        this.node(v.get(key) as PyValue, {mapping: true})
      }
      return this.popIndent()
    }
    this.increaseIndent(true)
    this.scalar(scalarEvent(v), ctx.simpleKey ?? false, ctx.root ?? false)
    this.popIndent()
  }

  emptyFlow(open: string, close: string): void {
    this.writeIndicator(open, true, true)
    this.flowLevel++
    this.increaseIndent(true)
    this.popIndent()
    this.flowLevel--
    this.writeIndicator(close, false)
  }

  scalar(ev: ScalarEvent, simpleKeyContext: boolean, root: boolean): void {
    const chars = Array.from(ev.text)
    const a = analyze(chars)
    const split = !simpleKeyContext
    let style: '' | "'" | '"' = '"'
    if (!ev.style && ev.plainImplicit && !(simpleKeyContext && (a.empty || a.multiline)) && ((this.flowLevel > 0 && a.allowFlowPlain) || (this.flowLevel === 0 && a.allowBlockPlain))) {
      style = ''
    } else if (a.allowSingleQuoted && !(simpleKeyContext && a.multiline)) {
      style = "'"
    }
    if (style === '') this.writePlain(chars, split, root)
    else if (style === "'") this.writeSingleQuoted(chars, split)
    else this.writeDoubleQuoted(chars, split)
  }

  writePlain(text: string[], split: boolean, root: boolean): void {
    if (root) this.openEnded = true
    if (text.length === 0) return
    if (!this.whitespace) {
      this.column += 1
      this.write(' ')
    }
    this.whitespace = false
    this.indention = false
    let spaces = false
    let breaks = false
    let start = 0
    for (let end = 0; end <= text.length; end++) {
      const ch = end < text.length ? text[end] : null
      if (spaces) {
        if (ch !== ' ') {
          if (start + 1 === end && this.column > BEST_WIDTH && split) {
            this.writeIndent()
            this.whitespace = false
            this.indention = false
          } else {
            this.column += end - start
            this.write(text.slice(start, end).join(''))
          }
          start = end
        }
      } else if (breaks) {
        if (ch === null || !BREAKS.includes(ch)) {
          if (text[start] === '\n') this.writeLineBreak()
          for (const br of text.slice(start, end)) this.writeLineBreak(br === '\n' ? '\n' : br)
          this.writeIndent()
          this.whitespace = false
          this.indention = false
          start = end
        }
      } else if (ch === null || ` ${BREAKS}`.includes(ch)) {
        this.column += end - start
        this.write(text.slice(start, end).join(''))
        start = end
      }
      if (ch !== null) {
        spaces = ch === ' '
        breaks = BREAKS.includes(ch)
      }
    }
  }

  writeSingleQuoted(text: string[], split: boolean): void {
    this.writeIndicator("'", true)
    let spaces = false
    let breaks = false
    let start = 0
    for (let end = 0; end <= text.length; end++) {
      const ch = end < text.length ? text[end] : null
      if (spaces) {
        if (ch === null || ch !== ' ') {
          if (start + 1 === end && this.column > BEST_WIDTH && split && start !== 0 && end !== text.length) {
            this.writeIndent()
          } else {
            this.column += end - start
            this.write(text.slice(start, end).join(''))
          }
          start = end
        }
      } else if (breaks) {
        if (ch === null || !BREAKS.includes(ch)) {
          if (text[start] === '\n') this.writeLineBreak()
          for (const br of text.slice(start, end)) this.writeLineBreak(br === '\n' ? '\n' : br)
          this.writeIndent()
          start = end
        }
      } else if (ch === null || ` ${BREAKS}`.includes(ch) || ch === "'") {
        if (start < end) {
          this.column += end - start
          this.write(text.slice(start, end).join(''))
          start = end
        }
      }
      if (ch === "'") {
        this.column += 2
        this.write("''")
        start = end + 1
      }
      if (ch !== null) {
        spaces = ch === ' '
        breaks = BREAKS.includes(ch)
      }
    }
    this.writeIndicator("'", false)
  }

  writeDoubleQuoted(text: string[], split: boolean): void {
    this.writeIndicator('"', true)
    let start = 0
    for (let end = 0; end <= text.length; end++) {
      const ch = end < text.length ? text[end] : null
      const cp = ch === null ? 0 : (ch.codePointAt(0) as number)
      if (ch === null || '"\\\x85\u2028\u2029\uFEFF'.includes(ch) || !(cp >= 0x20 && cp <= 0x7e)) {
        if (start < end) {
          this.column += end - start
          this.write(text.slice(start, end).join(''))
          start = end
        }
        if (ch !== null) {
          const data = ch in ESCAPES ? `\\${ESCAPES[ch]}` : cp <= 0xff ? `\\x${hex(cp, 2)}` : cp <= 0xffff ? `\\u${hex(cp, 4)}` : `\\U${hex(cp, 8)}`
          this.column += data.length
          this.write(data)
          start = end + 1
        }
      }
      if (end > 0 && end < text.length - 1 && (ch === ' ' || start >= end) && this.column + (end - start) > BEST_WIDTH && split) {
        const data = `${text.slice(start, end).join('')}\\`
        if (start < end) start = end
        this.column += data.length
        this.write(data)
        this.writeIndent()
        this.whitespace = false
        this.indention = false
        if (text[start] === ' ') {
          this.column += 1
          this.write('\\')
        }
      }
    }
    this.writeIndicator('"', false)
  }
}

const hex = (n: number, width: number) => n.toString(16).toUpperCase().padStart(width, '0')

/** Emitter.check_simple_key for a str key: its "!!str" tag and text under 128 characters, one line, not empty. */
function simpleKey(key: string): boolean {
  const chars = Array.from(key)
  const a = analyze(chars)
  return '!!str'.length + chars.length < 128 && !a.empty && !a.multiline
}

/** The YAML text PyYAML's `yaml.dump(value, Dumper=NonOctalStringDumper)` writes. */
export function dumpPyYaml(value: PyValue): string {
  const e = new Emitter()
  e.node(value, {root: true})
  e.writeIndent()
  if (e.openEnded) {
    e.writeIndicator('...', true)
    e.writeIndent()
  }
  return e.out
}

/**
 * A W&B settings file (INI, read by the SDK with Python's configparser; only the `[default]`
 * section matters) that can be edited in place: `set` and `delete` touch only the lines of that
 * key, so other keys, sections and comments stay as they were. For a file holding just
 * `[default]` with `key = value` lines (what the SDK writes) the result is byte for byte what
 * the SDK's own writer produces. Parsing follows configparser's rules (comments `#`/`;`, `=` or
 * `:`, keys lower-cased, indented continuation lines, `[DEFAULT]` fallbacks, `%%` escapes) and
 * rejects what configparser rejects, naming the line.
 */

/** The section the SDK reads. */
export const SETTINGS_SECTION = 'default'
const FALLBACK_SECTION = 'DEFAULT'

/** A settings text configparser would reject; `line` is 1-based. */
export class IniSyntaxError extends Error {
  override name = 'IniSyntaxError'
  readonly line: number
  readonly reason: string
  constructor(line: number, reason: string) {
    super(`settings: line ${line}: ${reason}`)
    this.line = line
    this.reason = reason
  }
}

interface Option {
  section: string
  key: string
  /** Raw value lines (first line's value, then continuation lines), before joining. */
  parts: string[]
  line: number
  /** Indices into `lines` of the option line and every line up to its last continuation. */
  first: number
  last: number
}

/** A parsed settings file; mutate with set/delete, read back with toString(). */
export class SettingsIni {
  #lines: string[]
  #options: Option[] = []
  #sections = new Map<string, number>()
  readonly #eol: string

  /** Parses `text`; throws IniSyntaxError. */
  constructor(text: string) {
    this.#lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? []
    this.#eol = text.includes('\r\n') ? '\r\n' : '\n'
    this.#parse()
    for (const o of this.#options) unescapeValue(joined(o), o.line)
  }

  /** The `[default]` settings (with `[DEFAULT]` fallbacks), values unescaped, in file order. */
  entries(): Map<string, string> {
    const out = new Map<string, string>()
    for (const section of [FALLBACK_SECTION, SETTINGS_SECTION]) {
      for (const o of this.#options) if (o.section === section) out.set(o.key, unescapeValue(joined(o), o.line))
    }
    return out
  }

  /** One `[default]` setting; `key` is case-insensitive like configparser's. */
  get(key: string): string | undefined {
    return this.entries().get(key.toLowerCase())
  }

  /** Sets a `[default]` key (its line rewritten as `key = value`, or added). True if the value changed. */
  set(key: string, value: string): boolean {
    const k = key.toLowerCase()
    if (this.get(k) === value) return false
    const line = `${k} = ${value.replaceAll('%', '%%').replaceAll('\n', '\n\t')}${this.#eol}`
    const existing = this.#options.find((o) => o.section === SETTINGS_SECTION && o.key === k)
    if (existing) {
      this.#lines.splice(existing.first, existing.last - existing.first + 1, line)
    } else if (this.#sections.has(SETTINGS_SECTION)) {
      const body = this.#options.filter((o) => o.section === SETTINGS_SECTION).map((o) => o.last)
      const at = Math.max(this.#sections.get(SETTINGS_SECTION)!, ...body)
      if (!this.#lines[at].endsWith('\n')) this.#lines[at] += this.#eol
      this.#lines.splice(at + 1, 0, line)
    } else {
      this.#lines.unshift(`[${SETTINGS_SECTION}]${this.#eol}`, line, this.#eol)
    }
    this.#reparse()
    return true
  }

  /** Removes a key from `[default]` (and from `[DEFAULT]`). True if it was there. */
  delete(key: string): boolean {
    const k = key.toLowerCase()
    const doomed = this.#options.filter((o) => o.key === k && (o.section === SETTINGS_SECTION || o.section === FALLBACK_SECTION))
    if (doomed.length === 0) return false
    for (const o of doomed.sort((a, b) => b.first - a.first)) this.#lines.splice(o.first, o.last - o.first + 1)
    this.#reparse()
    return true
  }

  /** The file's text. */
  toString(): string {
    return this.#lines.join('')
  }

  #reparse(): void {
    this.#options = []
    this.#sections.clear()
    this.#parse()
  }

  /** configparser.RawConfigParser._read with strict=True, empty_lines_in_values=True. */
  #parse(): void {
    let section: string | undefined
    let current: Option | undefined
    let indentLevel = 0
    const seen = new Set<string>()
    this.#lines.forEach((raw, index) => {
      const lineNo = index + 1
      const line = raw.replace(/\r?\n$/, '')
      const trimmed = line.trim()
      if (trimmed === '') {
        current?.parts.push('') // an empty line inside a value (configparser's empty_lines_in_values)
        return
      }
      if (trimmed.startsWith('#') || trimmed.startsWith(';')) return
      const indent = line.search(/\S/)
      if (section !== undefined && current && indent > indentLevel) {
        current.parts.push(trimmed)
        current.last = index
        return
      }
      indentLevel = indent
      const header = /^\[(.+)\]/.exec(trimmed)
      if (header) {
        section = header[1]
        if (section !== FALLBACK_SECTION && seen.has(`[${section}]`)) throw new IniSyntaxError(lineNo, `section ${JSON.stringify(section)} appears twice`)
        seen.add(`[${section}]`)
        if (!this.#sections.has(section)) this.#sections.set(section, index)
        current = undefined
        return
      }
      if (section === undefined) throw new IniSyntaxError(lineNo, 'a setting before any section header (expected [default] first)')
      const option = /^(.*?)\s*([=:])\s*(.*)$/.exec(trimmed)
      if (!option || option[1].trimEnd() === '') throw new IniSyntaxError(lineNo, `not a "key = value" line: ${JSON.stringify(trimmed)}`)
      const key = option[1].trimEnd().toLowerCase()
      if (seen.has(`${section}\u0000${key}`)) throw new IniSyntaxError(lineNo, `${JSON.stringify(key)} is set twice in [${section}]`)
      seen.add(`${section}\u0000${key}`)
      current = {section, key, parts: [option[3].trim()], line: lineNo, first: index, last: index}
      this.#options.push(current)
    })
  }
}

function joined(o: Option): string {
  return o.parts.join('\n').trimEnd()
}

/** BasicInterpolation for the cases settings files have: `%%` is `%`; any other `%` is an error. */
function unescapeValue(value: string, line: number): string {
  return value.replace(/%(.?)/gs, (_m, next: string) => {
    if (next === '%') return '%'
    throw new IniSyntaxError(line, `"%" must be written "%%" (configparser interpolation): ${JSON.stringify(value)}`)
  })
}

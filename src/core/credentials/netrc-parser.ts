/**
 * A port of Python 3.11's `netrc` module parser, which is what the SDK reads netrc files with:
 * the same tokens (double quotes, backslash escapes), comments, `macdef` blocks, `default`
 * fallback, and the same errors. Errors name the line where the offending token starts (Python
 * reports the line after the token's terminating newline, one too far at line ends).
 */

/** One machine's credentials; absent fields are '' as in Python. */
export interface NetrcEntry {
  login: string
  account: string
  password: string
}

/** A parsed netrc file. */
export interface ParsedNetrc {
  /** machine name (or 'default') → credentials; a later entry for a name replaces an earlier one. */
  hosts: Map<string, NetrcEntry>
  macros: Map<string, string[]>
}

/** A syntax error: `line` is 1-based, `reason` is Python's message. */
export class NetrcParseError extends Error {
  override name = 'NetrcParseError'
  readonly line: number
  readonly reason: string
  constructor(reason: string, line: number) {
    super(`netrc: line ${line}: ${reason}`)
    this.reason = reason
    this.line = line
  }
}

interface Token {
  text: string
  line: number
}

const WHITESPACE = '\n\t\r '

/** Python's _netrclex, plus the true line of each token. */
class Lexer {
  #pos = 0
  line = 1
  readonly #pushback: Token[] = []
  constructor(readonly text: string) {}

  #read(): string {
    if (this.#pos >= this.text.length) return ''
    const ch = this.text[this.#pos++]
    if (ch === '\n') this.line++
    return ch
  }

  /** The rest of the current line, newline included ('' at the end of the text). */
  readline(): string {
    const end = this.text.indexOf('\n', this.#pos)
    const stop = end < 0 ? this.text.length : end + 1
    const out = this.text.slice(this.#pos, stop)
    this.#pos = stop
    if (out.endsWith('\n')) this.line++
    return out
  }

  push(t: Token): void {
    this.#pushback.push(t)
  }

  next(): Token {
    const pushed = this.#pushback.shift()
    if (pushed) return pushed
    let token = ''
    for (let ch = this.#read(); ch !== ''; ch = this.#read()) {
      if (WHITESPACE.includes(ch)) continue
      const line = this.line
      if (ch === '"') {
        for (ch = this.#read(); ch !== ''; ch = this.#read()) {
          if (ch === '"') return {text: token, line}
          if (ch === '\\') ch = this.#read()
          token += ch
        }
        return {text: token, line}
      }
      if (ch === '\\') ch = this.#read()
      token += ch
      for (ch = this.#read(); ch !== ''; ch = this.#read()) {
        if (WHITESPACE.includes(ch)) return {text: token, line}
        if (ch === '\\') ch = this.#read()
        token += ch
      }
      return {text: token, line}
    }
    return {text: token, line: this.line}
  }
}

/** Parses netrc text as Python's `netrc.netrc(path)` does; throws NetrcParseError. */
export function parseNetrc(text: string): ParsedNetrc {
  const lexer = new Lexer(text)
  const hosts = new Map<string, NetrcEntry>()
  const macros = new Map<string, string[]>()
  for (;;) {
    const before = lexer.line
    const top = lexer.next()
    const tt = top.text
    if (tt === '') break
    let name: string
    if (tt.startsWith('#')) {
      if (lexer.line === before && tt.length === 1) lexer.readline()
      continue
    } else if (tt === 'machine') {
      name = lexer.next().text
    } else if (tt === 'default') {
      name = 'default'
    } else if (tt === 'macdef') {
      const macro = lexer.next().text
      const lines: string[] = []
      macros.set(macro, lines)
      for (;;) {
        const line = lexer.readline()
        if (line === '') throw new NetrcParseError('Macro definition missing null line terminator.', top.line)
        if (line === '\n') break
        lines.push(line)
      }
      continue
    } else {
      throw new NetrcParseError(`bad toplevel token ${pyRepr(tt)}`, top.line)
    }
    if (name === '') throw new NetrcParseError(`missing ${pyRepr(tt)} name`, top.line)
    const entry: NetrcEntry = {login: '', account: '', password: ''}
    for (;;) {
      const prev = lexer.line
      const follower = lexer.next()
      const ft = follower.text
      if (ft.startsWith('#')) {
        if (lexer.line === prev) lexer.readline()
        continue
      }
      if (ft === '' || ft === 'machine' || ft === 'default' || ft === 'macdef') {
        lexer.push(follower)
        break
      }
      if (ft === 'login' || ft === 'user') entry.login = lexer.next().text
      else if (ft === 'account') entry.account = lexer.next().text
      else if (ft === 'password') entry.password = lexer.next().text
      else throw new NetrcParseError(`bad follower token ${pyRepr(ft)}`, follower.line)
    }
    hosts.set(name, entry)
  }
  return {hosts, macros}
}

/** Python's `netrc.authenticators(host)`: the host's entry, else the `default` entry. */
export function netrcAuthenticators(parsed: ParsedNetrc, host: string): NetrcEntry | undefined {
  return parsed.hosts.get(host) ?? parsed.hosts.get('default')
}

/** Python's repr() of a plain string, for error messages identical to Python's. */
function pyRepr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'"
  const body = s.replaceAll('\\', '\\\\').replaceAll('\n', '\\n').replaceAll('\t', '\\t').replaceAll('\r', '\\r')
  return q + (q === "'" ? body.replaceAll("'", "\\'") : body) + q
}

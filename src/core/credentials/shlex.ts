/**
 * The two pieces of Python's shlex that the SDK's netrc writer uses: `shlex.split(line)` (POSIX
 * mode, no comments) to recognise `machine` lines, and `shlex.quote(s)` for what it writes.
 */

/** A line shlex.split() rejects: an unclosed quote or a trailing backslash. */
export class ShlexError extends Error {
  override name = 'ShlexError'
}

const WHITESPACE = ' \t\r\n'

/** Python's `shlex.split(line)`; throws ShlexError where Python raises ValueError. */
export function shlexSplit(line: string): string[] {
  const out: string[] = []
  let token = ''
  let quoted = false
  let state: 'space' | 'word' | "'" | '"' | 'escape' = 'space'
  let escapedState: 'word' | '"' = 'word'
  const finish = () => {
    if (token !== '' || quoted) out.push(token)
    token = ''
    quoted = false
  }
  for (const ch of line) {
    if (state === 'space' || state === 'word') {
      if (WHITESPACE.includes(ch)) {
        if (state === 'word' || quoted) finish()
        state = 'space'
      } else if (ch === '\\') {
        escapedState = 'word'
        state = 'escape'
      } else if (ch === "'" || ch === '"') {
        state = ch
      } else {
        token += ch
        state = 'word'
      }
    } else if (state === "'" || state === '"') {
      quoted = true
      if (ch === state) state = 'word'
      else if (ch === '\\' && state === '"') {
        escapedState = '"'
        state = 'escape'
      } else token += ch
    } else {
      // escape: inside double quotes a backslash only escapes `\` and `"`
      if (escapedState === '"' && ch !== '\\' && ch !== '"') token += '\\'
      token += ch
      state = escapedState
    }
  }
  if (state === "'" || state === '"') throw new ShlexError('No closing quotation')
  if (state === 'escape') throw new ShlexError('No escaped character')
  if (state === 'word' || quoted) finish()
  return out
}

/** Python's `shlex.quote(s)`: unchanged when safe, else single-quoted. */
export function shlexQuote(s: string): string {
  if (s === '') return "''"
  if (!/[^\w@%+=:,./-]/.test(s)) return s
  return `'${s.replaceAll("'", `'"'"'`)}'`
}

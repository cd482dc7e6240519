/**
 * `ignore_globs` matching with the rules of Go's filepath.Match (which Go core uses): the whole
 * run path must match; `*` is any run of characters except `/`, `?` one character except `/`,
 * `[a-z]` / `[^a-z]` a class, `\` escapes. A malformed pattern matches nothing.
 */

const SYNTAX = /[\\^$.*+?()[\]{}|/]/g
const CLASS_SYNTAX = /[\\\][^-]/g

/** The RegExp for a Go filepath.Match pattern, or undefined when the pattern is malformed. */
export function globToRegExp(pattern: string): RegExp | undefined {
  let re = '^'
  const chars = [...pattern]
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]
    if (c === '*') re += '[^/]*'
    else if (c === '?') re += '[^/]'
    else if (c === '\\') {
      if (++i >= chars.length) return undefined
      re += chars[i].replace(SYNTAX, '\\$&')
    } else if (c === '[') {
      const parsed = parseClass(chars, i + 1)
      if (!parsed) return undefined
      re += parsed.source
      i = parsed.end
    } else re += c.replace(SYNTAX, '\\$&')
  }
  try {
    return new RegExp(`${re}$`, 'u')
  } catch {
    return undefined
  }
}

/** Parses a class starting after `[`; returns its RegExp source and the index of its `]`. */
function parseClass(chars: string[], start: number): {source: string; end: number} | undefined {
  let i = start
  let source = '['
  if (chars[i] === '^') {
    source += '^'
    i++
  }
  let ranges = 0
  const one = (): string | undefined => {
    let ch = chars[i]
    if (ch === undefined || ch === '-' || ch === ']') return undefined
    if (ch === '\\') ch = chars[++i]
    if (ch === undefined) return undefined
    i++
    return ch
  }
  for (;;) {
    if (i >= chars.length) return undefined
    if (chars[i] === ']' && ranges > 0) return {source: `${source}]`, end: i}
    const lo = one()
    if (lo === undefined) return undefined
    source += lo.replace(CLASS_SYNTAX, '\\$&')
    if (chars[i] === '-') {
      i++
      const hi = one()
      if (hi === undefined || hi < lo) return undefined
      source += `-${hi.replace(CLASS_SYNTAX, '\\$&')}`
    }
    ranges++
  }
}

/** Compiled ignore globs; `matches(runPath)` is true when any pattern matches the whole path. */
export class IgnoreGlobs {
  readonly #patterns: RegExp[]

  constructor(globs: readonly string[] = []) {
    this.#patterns = globs.map(globToRegExp).filter((r): r is RegExp => r !== undefined)
  }

  matches(runPath: string): boolean {
    return this.#patterns.some((p) => p.test(runPath))
  }
}

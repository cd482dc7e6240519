/**
 * Tolerant JSON for the lines wandb-core sends (history, events, summary, config): Go's
 * simplejsonext writes the non-finite floats as bare `NaN`, `Infinity` and `-Infinity`, which
 * `JSON.parse` rejects.
 *
 * Representation choice (documented in README.md): a non-finite number becomes the *string*
 * `"NaN"`, `"Infinity"` or `"-Infinity"` in parsed values. The inspection API is plain JSON, so a
 * string is the only stable, diffable spelling; a client that really logged the string "NaN" looks
 * the same, which is acceptable for tests.
 */

const NON_FINITE = /NaN|Infinity/
/** literal as written → the string it becomes (longest first so '-Infinity' wins over 'Infinity') */
const LITERALS: [string, string][] = [
  ['-Infinity', '-Infinity'],
  ['+Infinity', 'Infinity'],
  ['Infinity', 'Infinity'],
  ['NaN', 'NaN'],
]

/**
 * Parses one extended-JSON text. Bare `NaN`, `Infinity`, `-Infinity` outside strings become the
 * strings "NaN", "Infinity", "-Infinity". Throws SyntaxError on anything else that is not JSON.
 */
export function parseExtendedJson(text: string): unknown {
  if (!NON_FINITE.test(text)) return JSON.parse(text)
  return JSON.parse(quoteNonFinite(text))
}

/** Like parseExtendedJson, but returns `fallback` instead of throwing. */
export function tryParseExtendedJson(text: string | null | undefined, fallback: unknown = null): unknown {
  if (text === null || text === undefined || text === '') return fallback
  try {
    return parseExtendedJson(text)
  } catch {
    return fallback
  }
}

/** Rewrites the bare non-finite literals outside strings into quoted strings. */
function quoteNonFinite(text: string): string {
  let out = ''
  let last = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c /* \ */) i++
      else if (c === 0x22 /* " */) inString = false
      continue
    }
    if (c === 0x22) {
      inString = true
      continue
    }
    if (c !== 0x4e /* N */ && c !== 0x49 /* I */ && c !== 0x2d /* - */ && c !== 0x2b /* + */) continue
    const hit = LITERALS.find(([lit]) => text.startsWith(lit, i))
    if (hit === undefined) continue
    out += text.slice(last, i) + '"' + hit[1] + '"'
    i += hit[0].length - 1
    last = i + 1
  }
  return out + text.slice(last)
}

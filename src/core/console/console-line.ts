/**
 * One line of a run's console output as the line model keeps it: text stored one Unicode code
 * point per cell, so columns and the length cap count code points (Go's runes), plus the facts
 * fixed when the line was created (stream prefix, label, creation time).
 */

/** Most code points a terminal may put on one line; characters written past it are dropped. */
export const MAX_LINE_LENGTH = 4096

/** Stream prefix of lines written by stdout (and by OutputLoggerRecords). */
export const STDOUT_PREFIX = ''
/** Stream prefix of lines written by stderr; the W&B UI parses it to colour the line. */
export const STDERR_PREFIX = 'ERROR '

const REPLACEMENT = '\uFFFD'

/**
 * The code points of `text`, each as a one- or two-unit string. A lone UTF-16 surrogate (only
 * possible in malformed input) becomes U+FFFD, as Go turns each invalid UTF-8 byte into U+FFFD.
 */
export function codePoints(text: string): string[] {
  const out: string[] = []
  for (const ch of text) out.push(ch.length === 1 && isSurrogate(ch.charCodeAt(0)) ? REPLACEMENT : ch)
  return out
}

function isSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdfff
}

/** The facts a line is created with; they never change afterwards. */
export interface LineIdentity {
  /** STDOUT_PREFIX or STDERR_PREFIX. */
  prefix: string
  /** The run's x_label, or '' for none. */
  label: string
  /** Creation time, milliseconds since the epoch (from the Clock). */
  createdAtMs: number
}

/**
 * A mutable console line, owned by the line model and read by the writers when they flush.
 *
 * `content` is the text as of the latest change that `putChar` reported. Padding added by a write
 * that changed nothing (a space written past the end, or a character equal to the one already
 * there) stays invisible until the next reported change, which is exactly what Go's writers see,
 * since they copy a line only when it reports a change.
 */
export class ConsoleLine implements LineIdentity {
  readonly prefix: string
  readonly label: string
  readonly createdAtMs: number
  readonly #maxLength: number
  readonly #cells: string[]
  /** Number of cells as of the latest reported change. */
  #reported: number

  /**
   * `initial` is stored as given (no length cap, like Go's logger lines); only `putChar` honours
   * `maxLength`.
   */
  constructor(identity: LineIdentity, maxLength: number, initial = '') {
    this.prefix = identity.prefix
    this.label = identity.label
    this.createdAtMs = identity.createdAtMs
    this.#maxLength = maxLength
    this.#cells = codePoints(initial)
    this.#reported = this.#cells.length
  }

  /** The text as of the latest reported change. */
  get content(): string {
    return this.#cells.slice(0, this.#reported).join('')
  }

  /**
   * Writes one code point at column `col`, padding with spaces up to it. Returns whether the text
   * changed: false when `col` is at or past the cap, or the cell already holds `ch`.
   */
  putChar(ch: string, col: number): boolean {
    if (col >= this.#maxLength) return false
    while (this.#cells.length <= col) this.#cells.push(' ')
    if (this.#cells[col] === ch) return false
    this.#cells[col] = ch
    this.#reported = this.#cells.length
    return true
  }
}

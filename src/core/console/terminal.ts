/**
 * A minimal virtual terminal: just enough of xterm to replay what progress bars (tqdm and
 * friends) write. It understands `\r`, `\n`, and the cursor moves `ESC [ A` (up) and `ESC [ B`
 * (down); every other escape sequence is written out verbatim, ESC byte included, so colour codes
 * survive into the logs. Parameters are not parsed: `ESC [ 2 A` is printed, not executed.
 */
import {codePoints} from './console-line.ts'

/** A line the terminal writes into; the terminal never reads it back. */
export interface TerminalLine {
  /** Puts one code point at column `col`. Lines that can no longer change ignore it. */
  putChar(ch: string, col: number): void
}

/** Hands the terminal a fresh line below every line handed out before (by any terminal). */
export interface LineSupplier {
  nextLine(): TerminalLine
}

const ESC = '\x1b'

/** Where the terminal is inside an escape sequence. */
type EscapeState = 'none' | 'esc' | 'csi'

/**
 * The terminal's view is the last `height` lines it has used; the cursor moves only within it, and
 * a line feed (or cursor-down) past the bottom scrolls the top line out for good.
 *
 * State (cursor, view, a half-read escape sequence) persists across `write` calls, so input may be
 * split anywhere. Input is text, not bytes: a lone UTF-16 surrogate (a character cut in half by a
 * malformed producer) is written as U+FFFD. Never throws. Not re-entrant; one owner.
 */
export class Terminal {
  readonly #supplier: LineSupplier
  readonly #height: number
  #view: TerminalLine[] = []
  #row = 0
  #col = 0
  #escape: EscapeState = 'none'

  constructor(supplier: LineSupplier, height: number) {
    this.#supplier = supplier
    this.#height = height
  }

  /** Feeds text to the terminal. */
  write(input: string): void {
    for (const ch of codePoints(input)) this.#feed(ch)
  }

  #feed(ch: string): void {
    switch (this.#escape) {
      case 'none':
        if (ch === '\r') this.#col = 0
        else if (ch === '\n') this.#lineFeed()
        else if (ch === ESC) this.#escape = 'esc'
        else this.#put(ch)
        return
      case 'esc':
        if (ch === '[') {
          this.#escape = 'csi'
          return
        }
        this.#abandonEscape(ESC, ch)
        return
      case 'csi':
        if (ch === 'A') {
          this.#escape = 'none'
          if (this.#row > 0) this.#row--
        } else if (ch === 'B') {
          this.#escape = 'none'
          this.#moveDown()
        } else {
          this.#abandonEscape(ESC + '[', ch)
        }
        return
    }
  }

  /** An unsupported sequence: print what was read of it, then the character that ended it, as text. */
  #abandonEscape(sequence: string, ch: string): void {
    this.#escape = 'none'
    for (const c of sequence) this.#put(c)
    this.#put(ch)
  }

  #put(ch: string): void {
    while (this.#row >= this.#view.length) this.#view.push(this.#supplier.nextLine())
    this.#view[this.#row].putChar(ch, this.#col)
    this.#col++
  }

  /** `\n` also returns to column 0, as most terminals do by default. */
  #lineFeed(): void {
    this.#col = 0
    this.#moveDown()
  }

  #moveDown(): void {
    this.#row++
    if (this.#row >= this.#height) {
      this.#view.shift()
      this.#row--
    }
  }
}

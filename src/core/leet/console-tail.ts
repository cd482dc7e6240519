/**
 * A run's console output as leet assembles it from output_raw records: each stream goes through
 * its own terminal emulator (carriage returns and cursor moves rewrite lines), and the lines of
 * both streams are kept in the order they were started, each stamped with the time of the record
 * that started it.
 */
import {Terminal, type TerminalLine} from '../console/terminal.ts'
import type {Instant} from './go-time.ts'

/** How many lines a terminal can still move the cursor back into (Go leet: 64). */
const TERMINAL_HEIGHT = 64
/** Most code points a line holds (Go leet: 4096). */
const MAX_LINE_LENGTH = 4096

export interface ConsoleLogLine {
  time: Instant
  isStderr: boolean
  /** The text, trailing spaces and tabs cut. */
  content: string
}

class AssembledLine implements TerminalLine {
  readonly #cells: string[] = []

  constructor(readonly line: ConsoleLogLine) {}

  putChar(ch: string, col: number): void {
    if (col >= MAX_LINE_LENGTH) return
    while (col >= this.#cells.length) this.#cells.push(' ')
    if (this.#cells[col] === ch) return
    this.#cells[col] = ch
    this.line.content = this.#cells.join('').replace(/[ \t]+$/, '')
  }
}

/** Both streams' lines in order of creation. Single owner. */
export class ConsoleTail {
  readonly lines: ConsoleLogLine[] = []
  #now: Instant | undefined
  readonly #stdout: Terminal
  readonly #stderr: Terminal

  constructor() {
    this.#stdout = new Terminal({nextLine: () => this.#newLine(false)}, TERMINAL_HEIGHT)
    this.#stderr = new Terminal({nextLine: () => this.#newLine(true)}, TERMINAL_HEIGHT)
  }

  /** Feeds one output_raw record's text, written at `time`. */
  write(text: string, isStderr: boolean, time: Instant): void {
    this.#now = time
    ;(isStderr ? this.#stderr : this.#stdout).write(text)
  }

  #newLine(isStderr: boolean): TerminalLine {
    const line: ConsoleLogLine = {time: this.#now!, isStderr, content: ''}
    this.lines.push(line)
    return new AssembledLine(line)
  }
}

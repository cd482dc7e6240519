/**
 * The combined console output of a run as numbered lines, shared by the stdout and stderr
 * terminals and by OutputLoggerRecords, with change notification for the writers.
 */
import type {Clock} from '../runtime/index.ts'
import {ConsoleLine} from './console-line.ts'
import type {LineSupplier, TerminalLine} from './terminal.ts'

/** Called after line `lineNum` was created or its content changed. */
export type LineChangeListener = (lineNum: number, line: ConsoleLine) => void

export interface LineModelOptions {
  /** How many of the newest lines may still change (32 in Go core). */
  editableLines: number
  /** Per-line cap on code points written by terminals (4096 in Go core). */
  maxLineLength: number
  /** Stamps each line's creation time. */
  clock: Clock
  onChange: LineChangeListener
}

/**
 * Lines are numbered from 0 in creation order. Only the newest `editableLines` lines can change;
 * writes to an older line are dropped silently (its number has already been reported with its
 * final text). Every creation and every effective change calls `onChange` synchronously.
 * Single owner, not re-entrant.
 */
export class ConsoleLineModel {
  readonly #opts: LineModelOptions
  /** The editable lines; `#window[0]` is line number `#firstLineNum`. */
  #window: ConsoleLine[] = []
  #firstLineNum = 0

  constructor(options: LineModelOptions) {
    this.#opts = options
  }

  /** Number of lines created so far. */
  get lineCount(): number {
    return this.#firstLineNum + this.#window.length
  }

  /**
   * Appends a line holding `content` (stored uncapped) and reports it. Returns a handle through
   * which a terminal may keep writing to it while it is editable.
   */
  appendLine(prefix: string, label: string, content = ''): TerminalLine {
    const line = new ConsoleLine({prefix, label, createdAtMs: this.#opts.clock.now()}, this.#opts.maxLineLength, content)
    const lineNum = this.lineCount
    this.#window.push(line)
    if (this.#window.length > this.#opts.editableLines) {
      this.#window.shift()
      this.#firstLineNum++
    }
    this.#opts.onChange(lineNum, line)
    return {putChar: (ch, col) => this.#putChar(lineNum, ch, col)}
  }

  /** A supplier of new lines with the given stream prefix and label, for one terminal. */
  supplier(prefix: string, label: string): LineSupplier {
    return {nextLine: () => this.appendLine(prefix, label)}
  }

  #putChar(lineNum: number, ch: string, col: number): void {
    const line = this.#window[lineNum - this.#firstLineNum]
    if (line === undefined) return
    if (line.putChar(ch, col)) this.#opts.onChange(lineNum, line)
  }
}

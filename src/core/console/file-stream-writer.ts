/**
 * Sends changed console lines to file_stream as runs of consecutive lines.
 */
import type {Logger} from '../observability/index.ts'
import type {Clock} from '../runtime/index.ts'
import type {ConsoleLine} from './console-line.ts'
import {LineDebouncer} from './line-debouncer.ts'
import {legacyFormat, structuredFormat} from './line-format.ts'

/** How long changes are collected before they go to file_stream. */
export const FILE_STREAM_PERIOD_MS = 10

/**
 * Lines `offset`, `offset + 1`, … of the run's output.log on the server (`lineOffset` already
 * added), each fully formatted. A later update for the same offset replaces the line.
 */
export interface ConsoleUpdate {
  offset: number
  lines: string[]
}

/** Receives console updates; called synchronously, one consecutive run of lines per call. */
export type ConsoleSink = (update: ConsoleUpdate) => void

export interface FileStreamWriterOptions {
  sink: ConsoleSink
  /** Added to every line number: the number of console lines the server already has (resume). */
  lineOffset: number
  /** Whether to use the structured JSON format; asked at every flush. */
  structured: () => boolean
  clock: Clock
  logger: Logger
}

/**
 * Batches changes for 10 ms (the first change after a quiet period goes at once), then calls the
 * sink once per run of consecutive changed lines, in ascending order. A line that changes again
 * is sent again with the same offset.
 */
export class FileStreamWriter {
  readonly #o: FileStreamWriterOptions
  readonly #debouncer: LineDebouncer

  constructor(options: FileStreamWriterOptions) {
    this.#o = options
    this.#debouncer = new LineDebouncer({
      periodMs: FILE_STREAM_PERIOD_MS,
      clock: options.clock,
      logger: options.logger,
      name: 'file_stream',
      flush: (batch) => this.#send(batch),
    })
  }

  /** Schedules line `lineNum` to be sent. */
  updateLine(lineNum: number, line: ConsoleLine): void {
    this.#debouncer.put(lineNum, line)
  }

  /** Sends everything pending now; later changes are sent without delay. Idempotent. */
  finish(): Promise<void> {
    return this.#debouncer.finish()
  }

  /** Drops pending changes and stops sending. Idempotent. */
  cancel(): void {
    this.#debouncer.cancel()
  }

  #send(batch: ReadonlyMap<number, ConsoleLine>): void {
    const structured = this.#o.structured()
    const numbers = [...batch.keys()].sort((a, b) => a - b)
    let run: ConsoleUpdate | undefined
    let prev = Number.NaN
    for (const n of numbers) {
      const line = batch.get(n)!
      const text = structured ? structuredFormat(line, line.content) : legacyFormat(line, line.content)
      if (run && n === prev + 1) {
        run.lines.push(text)
      } else {
        if (run) this.#emit(run)
        run = {offset: this.#o.lineOffset + n, lines: [text]}
      }
      prev = n
    }
    if (run) this.#emit(run)
  }

  #emit(update: ConsoleUpdate): void {
    try {
      this.#o.sink(update)
    } catch (err) {
      this.#o.logger.captureError('console: the file_stream sink failed', err, {offset: update.offset})
    }
  }
}

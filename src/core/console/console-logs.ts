/**
 * The Sender's console capture: turns OutputRawRecords and OutputLoggerRecords into the run's
 * output.log (on disk, uploaded at the end) and its file_stream console lines.
 */
import type {Logger} from '../observability/index.ts'
import {OutputRawRecord_OutputType} from '../proto.ts'
import type {OutputLoggerRecord, OutputRawRecord} from '../proto.ts'
import type {Clock} from '../runtime/index.ts'
import {MAX_LINE_LENGTH, STDERR_PREFIX, STDOUT_PREFIX} from './console-line.ts'
import {InvalidOutputTypeError} from './errors.ts'
import {consoleFileName} from './file-names.ts'
import {FileStreamWriter} from './file-stream-writer.ts'
import type {ConsoleSink} from './file-stream-writer.ts'
import {ConsoleLineModel} from './line-model.ts'
import {OutputFileWriter} from './output-file-writer.ts'
import {Terminal} from './terminal.ts'

/** Lines a terminal can still reach with the cursor, and lines that may still change (Go core: 32). */
export const EDITABLE_LINES = 32

export interface ConsoleLogsOptions {
  /** The run's files directory (output.log and logs/ go here). */
  filesDir: string
  /** The run's x_label: added to every line and to the file name. */
  label?: string
  /** console_multipart: write rotating chunks under logs/ instead of one output.log. */
  multipart?: boolean
  /** console_chunk_max_bytes (multipart only; 0 or absent: no size limit). */
  chunkMaxBytes?: number
  /** console_chunk_max_seconds (multipart only; 0 or absent: no age limit). */
  chunkMaxSeconds?: number
  /** Send lines as JSON (server feature STRUCTURED_CONSOLE_LOGS); a function is asked at each flush. */
  structured: boolean | (() => boolean)
  /** console != "off". When false, raw output is ignored and no file is written. */
  captureEnabled: boolean
  /** Console lines the server already has (resumed runs); added to every file_stream offset. */
  lineOffset?: number
  clock: Clock
  logger: Logger
  /** Receives file_stream console updates; absent offline (nothing is streamed). */
  fileStreamSink?: ConsoleSink
  /** Told about each file ready to upload (run-relative path); absent offline. */
  onFileReady?: (runRelativePath: string) => void
}

/**
 * One per run. Raw output goes through one terminal per stream (stdout, stderr) into a shared
 * line model; every changed line is queued for output.log (5 s debounce) and for file_stream
 * (10 ms debounce). Record timestamps are ignored: lines are stamped by the Clock when created.
 *
 * Handlers are synchronous and never throw. `finish()` flushes and announces the file; records
 * after `finish()` or `close()` are ignored. `close()` is for abandoning a run: it stops the timers,
 * writes what is pending to the file on disk, streams and announces nothing more. Both are
 * idempotent, and close() after finish() does nothing.
 */
export class ConsoleLogs {
  readonly #label: string
  readonly #captureEnabled: boolean
  readonly #logger: Logger
  readonly #model: ConsoleLineModel
  readonly #stdout: Terminal
  readonly #stderr: Terminal
  readonly #file: OutputFileWriter | undefined
  readonly #stream: FileStreamWriter | undefined
  #finishing: Promise<void> | undefined
  #closed = false

  constructor(options: ConsoleLogsOptions) {
    this.#label = options.label ?? ''
    this.#captureEnabled = options.captureEnabled
    this.#logger = options.logger
    const structured = options.structured
    const onFileReady = options.onFileReady
    if (options.captureEnabled) {
      this.#file = new OutputFileWriter({
        filesDir: options.filesDir,
        fileName: consoleFileName(this.#label),
        multipart: options.multipart ?? false,
        chunkMaxBytes: options.chunkMaxBytes ?? 0,
        chunkMaxSeconds: options.chunkMaxSeconds ?? 0,
        clock: options.clock,
        logger: options.logger,
        onFileReady: (path) => onFileReady?.(path),
      })
    }
    if (options.fileStreamSink) {
      this.#stream = new FileStreamWriter({
        sink: options.fileStreamSink,
        lineOffset: options.lineOffset ?? 0,
        structured: typeof structured === 'function' ? structured : () => structured,
        clock: options.clock,
        logger: options.logger,
      })
    }
    this.#model = new ConsoleLineModel({
      editableLines: EDITABLE_LINES,
      maxLineLength: MAX_LINE_LENGTH,
      clock: options.clock,
      onChange: (n, line) => {
        this.#file?.updateLine(n, line)
        this.#stream?.updateLine(n, line)
      },
    })
    this.#stdout = new Terminal(this.#model.supplier(STDOUT_PREFIX, this.#label), EDITABLE_LINES)
    this.#stderr = new Terminal(this.#model.supplier(STDERR_PREFIX, this.#label), EDITABLE_LINES)
  }

  /** Feeds captured stdout/stderr text through its terminal. Ignored when capture is off. */
  handleOutputRaw(record: OutputRawRecord): void {
    if (!this.#captureEnabled || this.#stopped) return
    switch (record.output_type) {
      case OutputRawRecord_OutputType.STDOUT:
        this.#stdout.write(record.line)
        return
      case OutputRawRecord_OutputType.STDERR:
        this.#stderr.write(record.line)
        return
      default:
        this.#logger.captureError('console: dropped an output record', new InvalidOutputTypeError(record.output_type))
    }
  }

  /**
   * Appends `record.line` as whole stdout-like lines (split on `\n`, one trailing `\n` dropped),
   * without terminal emulation. Streamed even when capture is off (then no file is written).
   */
  handleOutputLogger(record: OutputLoggerRecord): void {
    if (this.#stopped) return
    const text = record.line.endsWith('\n') ? record.line.slice(0, -1) : record.line
    for (const line of text.split('\n')) this.#model.appendLine(STDOUT_PREFIX, this.#label, line)
  }

  /**
   * Sends every pending line to file_stream, then writes and closes the file and announces it
   * through onFileReady (once; not at all if no line was written). Resolves when done and never
   * rejects (failures are logged); call it before the file_stream is finished. Idempotent: later
   * calls return the same promise.
   */
  finish(): Promise<void> {
    this.#finishing ??= (async () => {
      await this.#stream?.finish()
      await this.#file?.finish()
    })()
    return this.#finishing
  }

  /** Abandons the capture (see the class comment). Idempotent; a no-op once finish() was called. */
  close(): void {
    if (this.#stopped) return
    this.#closed = true
    this.#stream?.cancel()
    this.#file?.abandon()
  }

  get #stopped(): boolean {
    return this.#closed || this.#finishing !== undefined
  }
}

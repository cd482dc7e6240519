import type {Logger} from '../observability/index.ts'
import {Record, Response} from '../proto.ts'
import {systemClock, type Clock} from '../runtime/index.ts'
import {encodeMessage} from '../proto-writer.ts'
import type {TransactionLogWriter} from '../txlog/index.ts'
import {answerWith} from './handler.ts'
import {unitFor} from './units/index.ts'
import type {Work, WorkSink} from './work.ts'

/**
 * The durability bound: a record appended to the .wandb file reaches the OS (survives a SIGKILL of
 * the service) at most this long after the writer received it, whatever x_transaction_log_flush_interval
 * says; complete 32 KiB blocks are written at once (TransactionLogWriter), as Go core does.
 */
export const DURABLE_WITHIN_MS = 200

export interface WriterOptions {
  /** The run's .wandb file; undefined when the log is skipped (x_skip_transaction_log or open failure). */
  log: TransactionLogWriter | undefined
  offline: boolean
  /** Milliseconds between flushes of the log to disk; capped at DURABLE_WITHIN_MS (0: the cap). */
  flushIntervalMs: number
  logger: Logger
  /** Time for the flush delay (default: the system clock). */
  clock?: Clock
}

/**
 * Stage 2: numbers records 1, 2, 3 … and appends them to the transaction log (not requests, not
 * control.local records), marks each saved Work with where its record lies in the log
 * (`logOffset`/`logEnd`, for flow control), then passes work on. Offline, only the units marked
 * `offline` (run, exit, stats) go on to the sender; a dropped item that someone waits for is
 * answered empty. Unflushed bytes are written within the flush delay (a timer, so an idle run's
 * last records do not wait for the next one) and right after the exit record. Closes the log and
 * then `output` at the end.
 */
export class Writer {
  readonly #o: WriterOptions
  readonly #flushDelayMs: number
  #num = 0n
  /** Cancels the pending delayed flush; set while one is pending. */
  #timer: AbortController | undefined

  constructor(o: WriterOptions) {
    this.#o = o
    this.#flushDelayMs = o.flushIntervalMs > 0 ? Math.min(o.flushIntervalMs, DURABLE_WITHIN_MS) : DURABLE_WITHIN_MS
  }

  /** Hands every record appended so far to the OS now (signals, a lost client). Never throws. */
  flush(): void {
    this.#cancelTimer()
    try {
      this.#o.log?.flush()
    } catch (err) {
      this.#o.logger.captureError('writer: flushing the transaction log failed', err)
    }
  }

  async run(input: AsyncIterable<Work>, output: WorkSink): Promise<void> {
    try {
      for await (const work of input) {
        const unit = unitFor(work.record)
        this.#save(work, unit.persist)
        if (this.#o.offline && !unit.offline) {
          if (work.responder && !work.responder.responded) answerWith(work, Response.create())
          continue
        }
        await output.send(work)
      }
    } finally {
      this.#cancelTimer()
      try {
        this.#o.log?.close()
      } catch (err) {
        this.#o.logger.captureError('writer: closing the transaction log failed', err)
      }
      output.close()
    }
  }

  #save(work: Work, persist: boolean | undefined): void {
    const log = this.#o.log
    const record = work.record
    if (!log) return
    const isRequest = record.record_type.oneofKind === 'request'
    if (persist === false || isRequest || record.control?.local) return
    this.#num++
    record.num = this.#num
    try {
      log.write(encodeMessage(Record, record))
      work.logOffset = log.lastRecordOffset
      work.logEnd = log.size
    } catch (err) {
      this.#o.logger.captureError('writer: cannot append to the transaction log', err)
    }
    if (record.record_type.oneofKind === 'exit') this.flush()
    else if (log.unflushed > 0 && !this.#timer) this.#flushLater()
  }

  #flushLater(): void {
    const timer = new AbortController()
    this.#timer = timer
    ;(this.#o.clock ?? systemClock).sleep(this.#flushDelayMs, timer.signal).then(
      () => {
        if (this.#timer === timer) this.flush()
      },
      () => {},
    )
  }

  #cancelTimer(): void {
    this.#timer?.abort()
    this.#timer = undefined
  }
}

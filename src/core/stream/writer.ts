import type {Logger} from '../observability/index.ts'
import {Record, Response} from '../proto.ts'
import {encodeMessage} from '../proto-writer.ts'
import type {TransactionLogWriter} from '../txlog/index.ts'
import {answerWith} from './handler.ts'
import {unitFor} from './units/index.ts'
import type {Work, WorkSink} from './work.ts'

export interface WriterOptions {
  /** The run's .wandb file; undefined when the log is skipped (x_skip_transaction_log or open failure). */
  log: TransactionLogWriter | undefined
  offline: boolean
  /** Milliseconds between flushes of the log to disk (0: only when buffers fill and at the end). */
  flushIntervalMs: number
  logger: Logger
}

/**
 * Stage 2: numbers records 1, 2, 3 … and appends them to the transaction log (not requests, not
 * control.local records), marks each saved Work with where its record lies in the log
 * (`logOffset`/`logEnd`, for flow control), then passes work on. Offline, only the units marked
 * `offline` (run, exit, stats) go on to the sender; a dropped item that someone waits for is
 * answered empty. Closes the log and then `output` at the end.
 */
export class Writer {
  readonly #o: WriterOptions
  #num = 0n
  #lastFlush = performance.now()

  constructor(o: WriterOptions) {
    this.#o = o
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
    const now = performance.now()
    if (this.#o.flushIntervalMs > 0 && now - this.#lastFlush >= this.#o.flushIntervalMs) {
      this.#lastFlush = now
      log.flush()
    }
  }
}

import {WandbError} from '../errors.ts'
import type {Logger} from '../observability/index.ts'
import {Record} from '../proto.ts'
import {TransactionLogReader} from '../txlog/index.ts'
import type {Work, WorkSink} from './work.ts'

/**
 * Bytes of waiting work kept in memory before saved records are offloaded. Go keeps 32 records;
 * a byte budget bounds memory whatever the record sizes. Charged bytes are the encoded size plus
 * ITEM_OVERHEAD_BYTES; a decoded history record weighs about 8× its encoding (measured: 785 heap
 * bytes for a 93-byte record, about 2.2× what it is charged), so 8 MiB is some 20–70 MiB of heap
 * per backed-up run. Reading a record back costs about 6 µs.
 */
export const DEFAULT_FLOW_CONTROL_MEMORY_BYTES = 8 * 1024 * 1024
/** Charged for every in-memory item on top of its encoded size (object overhead; unsaved items have no measured size). */
const ITEM_OVERHEAD_BYTES = 256

/** The transaction log as flow control needs it: its file, and a way to get buffered records onto disk. */
export interface SavedLog {
  readonly path: string
  /** Writes buffered records to the file; a no-op once the log is closed. */
  flush(): void
}

export interface FlowControlOptions {
  /**
   * The run's log, which must hold every record that reaches flow control with `logOffset` set.
   * Undefined (no log, or an offline run): everything stays in memory.
   */
  log: SavedLog | undefined
  /** Budget for in-memory work (default DEFAULT_FLOW_CONTROL_MEMORY_BYTES). */
  memoryLimitBytes?: number
  logger: Logger
  /** Called once, the first time a record is offloaded (Go sets telemetry feature.flow_control_overflow). */
  onFirstOffload?: () => void
}

/** What flow control holds right now. */
export interface FlowControlStats {
  /** Work items kept in memory, and their charged bytes. */
  inMemoryItems: number
  inMemoryBytes: number
  /** Runs of consecutive records that are only in the log, and how many records they cover. */
  offloadedSpans: number
  offloadedRecords: number
  /** False once a read-back failed (or when there is no log): nothing more is offloaded. */
  offloading: boolean
}

/** Records `firstNum` … `firstNum + count - 1`, stored contiguously in the log from `start` to `end`. */
interface Span {
  start: number
  end: number
  firstNum: bigint
  count: number
}
type Entry = {work: Work; bytes: number} | Span

/**
 * Stage 3, between the writer and the sender (Go: FlowControl): an unbounded FIFO of Work that
 * keeps memory bounded while the sender lags (for example during a network outage).
 *
 * - `send()` never waits: the handler must not wait for the network. While in-memory work is
 *   under the budget, work is kept as is. Beyond it, work the writer saved to the log
 *   (`logOffset` set) that nobody waits for (no responder) is dropped from memory and replaced
 *   by a span "records A… in the log from offset X to Y"; consecutive ones extend the same span,
 *   so an offloaded stretch costs O(1) memory. Once backed up, every such record is offloaded
 *   (not only those over the budget) until the sender has taken everything queued, so spans
 *   stay long instead of alternating with single in-memory records.
 *   Requests, control.local records, records with a responder, and everything when there is no
 *   log, stay in memory: only these are unbounded.
 * - Iterating (one consumer: the sender) yields the same Work sequence as a plain queue would:
 *   at a span it flushes the log writer and reads those records back from the file in order
 *   (they come back without responders, as they went in). A span that cannot be read back in
 *   full (file deleted or damaged) is reported with its offsets through `logger.captureError`;
 *   its readable records are still delivered, the rest is skipped, offloading stops for the rest
 *   of the run, and iteration goes on with what follows. It never throws.
 * - `close()` is idempotent; iteration still delivers everything sent before it, offloaded
 *   records included (the log file must stay readable until then), and then ends and releases
 *   the log reader. `send()` after close resolves false.
 */
export class FlowControl implements WorkSink, AsyncIterable<Work> {
  readonly #o: FlowControlOptions
  readonly #limit: number
  #items: Array<Entry | undefined> = []
  #head = 0
  #closed = false
  #wake: (() => void) | undefined
  #offloading: boolean
  #backedUp = false
  #offloadedSinceBackedUp = 0
  #everOffloaded = false
  #reader: TransactionLogReader | undefined
  #inMemoryItems = 0
  #inMemoryBytes = 0
  #spans = 0
  #offloadedRecords = 0

  constructor(o: FlowControlOptions) {
    if (o.memoryLimitBytes !== undefined && !(o.memoryLimitBytes >= 0)) throw new RangeError('flowcontrol: memoryLimitBytes must be >= 0')
    this.#o = o
    this.#limit = o.memoryLimitBytes ?? DEFAULT_FLOW_CONTROL_MEMORY_BYTES
    this.#offloading = o.log !== undefined
  }

  get closed(): boolean {
    return this.#closed
  }

  get stats(): FlowControlStats {
    return {
      inMemoryItems: this.#inMemoryItems,
      inMemoryBytes: this.#inMemoryBytes,
      offloadedSpans: this.#spans,
      offloadedRecords: this.#offloadedRecords,
      offloading: this.#offloading,
    }
  }

  /** Queues work without waiting. Resolves false (and drops it) after close(). */
  send(work: Work): Promise<boolean> {
    if (this.#closed) return Promise.resolve(false)
    const bytes = ITEM_OVERHEAD_BYTES + (isSaved(work) ? work.logEnd! - work.logOffset! : 0)
    if (this.#offloading && isSaved(work) && !work.responder && (this.#backedUp || this.#inMemoryBytes + bytes > this.#limit)) {
      this.#offload(work)
    } else {
      this.#items.push({work, bytes})
      this.#inMemoryItems++
      this.#inMemoryBytes += bytes
    }
    this.#wakeReader()
    return Promise.resolve(true)
  }

  close(): void {
    if (this.#closed) return
    this.#closed = true
    this.#wakeReader()
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Work> {
    try {
      for (;;) {
        const entry = this.#shift()
        if (entry === undefined) {
          if (this.#closed) return
          await new Promise<void>((resolve) => (this.#wake = resolve))
          continue
        }
        if ('work' in entry) yield entry.work
        else yield* this.#readBack(entry)
      }
    } finally {
      this.#reader?.close()
      this.#reader = undefined
    }
  }

  #offload(work: Work): void {
    const num = work.record.num
    if (!this.#backedUp) {
      this.#backedUp = true
      this.#offloadedSinceBackedUp = 0
      this.#o.logger.info('flowcontrol: backed up, offloading to the transaction log', {record_num: num, in_memory_bytes: this.#inMemoryBytes})
    }
    if (!this.#everOffloaded) {
      this.#everOffloaded = true
      try {
        this.#o.onFirstOffload?.()
      } catch (err) {
        this.#o.logger.captureError('flowcontrol: onFirstOffload failed', err)
      }
    }
    this.#offloadedSinceBackedUp++
    this.#offloadedRecords++
    const tail = this.#items.length > this.#head ? this.#items[this.#items.length - 1] : undefined
    // A span holds consecutive record numbers: those are adjacent in the log.
    if (tail && !('work' in tail) && num === tail.firstNum + BigInt(tail.count)) {
      tail.count++
      tail.end = work.logEnd!
      return
    }
    this.#items.push({start: work.logOffset!, end: work.logEnd!, firstNum: num, count: 1})
    this.#spans++
  }

  #shift(): Entry | undefined {
    if (this.#head >= this.#items.length) return undefined
    const entry = this.#items[this.#head]!
    this.#items[this.#head] = undefined
    this.#head++
    if (this.#head === this.#items.length) {
      this.#items = []
      this.#head = 0
      // The sender took the last entry: from now on work stays in memory until the budget is hit again.
      if (this.#backedUp) {
        this.#backedUp = false
        this.#o.logger.info('flowcontrol: caught up', {offloaded: this.#offloadedSinceBackedUp})
      }
    } else if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head)
      this.#head = 0
    }
    if ('work' in entry) {
      this.#inMemoryItems--
      this.#inMemoryBytes -= entry.bytes
    } else {
      this.#spans--
      this.#offloadedRecords -= entry.count
    }
    return entry
  }

  /** Yields the span's records from the log, one at a time; reports what could not be read. */
  *#readBack(span: Span): Generator<Work> {
    const end = span.firstNum + BigInt(span.count)
    let expected = span.firstNum
    let delivered = 0
    let problem: unknown
    let reader: TransactionLogReader | undefined
    let damageBefore = 0
    try {
      const log = this.#o.log
      if (!log) throw new WandbError('flowcontrol: no transaction log')
      log.flush()
      reader = this.#reader ??= TransactionLogReader.open(log.path)
      damageBefore = reader.damage.length
      reader.seek(span.start)
    } catch (err) {
      problem = err
      reader = undefined
    }
    while (reader && expected < end) {
      let next
      try {
        next = reader.next()
      } catch (err) {
        problem = err
        break
      }
      if (!next || next.offset >= span.end) break
      let record: Record
      try {
        record = Record.fromBinary(next.data)
      } catch (err) {
        problem ??= err
        continue
      }
      if (record.num < expected || record.num >= end) continue // not one of this span's records
      expected = record.num + 1n
      delivered++
      yield {record}
    }
    const missing = span.count - delivered
    if (missing === 0) return
    this.#offloading = false
    const damage = reader?.damage.slice(damageBefore) ?? []
    const why = problem ?? new WandbError(damage.length > 0 ? `damaged log: ${damage.map((d) => `${d.reason} at ${d.offset} (${d.bytes} bytes)`).join('; ')}` : 'records missing from the log')
    this.#o.logger.captureError(
      `flowcontrol: cannot read back ${missing} of ${span.count} offloaded records (numbers ${span.firstNum}–${end - 1n}, log offsets ${span.start}–${span.end}); skipping them and keeping later records in memory`,
      why,
      {path: this.#o.log?.path ?? '', offset: span.start, end: span.end},
    )
  }

  #wakeReader(): void {
    const wake = this.#wake
    this.#wake = undefined
    wake?.()
  }
}

function isSaved(work: Work): boolean {
  return work.logOffset !== undefined && work.logEnd !== undefined
}

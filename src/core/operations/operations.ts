import {OperationStats, type Operation as PbOperation} from '../proto.ts'
import {shortBytes} from './byte-text.ts'
import {withOperation, type RetryReporter} from './operation-context.ts'
import {errorRetryStatus, httpRetryStatus} from './retry-status.ts'

/** At most this many operations are reported per level (top level and each operation's subtasks; Go: 10). */
const MAX_REPORTED = 10

/**
 * One piece of work in progress that the user may be waiting for ("uploading config.yaml"),
 * shown by the SDK's progress display through the operations request. Like Go core's
 * wboperation: a description, a start time, an optional progress text ("1.5KB/2.0MB"), an
 * optional error status ("retrying HTTP 503: …", set while a request is retried and cleared when
 * it ends), and subtasks. finish() removes it from the report; it is idempotent. All methods are
 * synchronous and cheap.
 */
export class Operation implements RetryReporter {
  readonly desc: string
  readonly startedAt: number
  #progress = ''
  #errorStatus = ''
  #finished = false
  readonly #owner: Operations
  readonly #subtasks = new Set<Operation>()
  readonly #parent: Operation | undefined

  constructor(owner: Operations, desc: string, now: number, parent?: Operation) {
    this.#owner = owner
    this.desc = desc
    this.startedAt = now
    this.#parent = parent
  }

  get progress(): string {
    return this.#progress
  }

  get errorStatus(): string {
    return this.#errorStatus
  }

  get finished(): boolean {
    return this.#finished
  }

  /** A nested operation shown under this one (reported while both are unfinished). */
  subtask(desc: string): Operation {
    const op = new Operation(this.#owner, desc, this.#owner.now(), this)
    if (!this.#finished) this.#subtasks.add(op)
    return op
  }

  /** Runs `fn` with this operation current: HTTP retries inside it are reported on it. */
  run<T>(fn: () => T): T {
    return withOperation(this, fn)
  }

  /** Progress as bytes done of a total: "1.5KB/2.0MB". */
  setBytesOfTotal(done: number, total: number): void {
    this.#progress = `${shortBytes(done)}/${shortBytes(total)}`
  }

  /** Progress as bytes done with no known total: "1.5KB". */
  setBytesDone(done: number): void {
    this.#progress = shortBytes(done)
  }

  /** Progress as units done of a total: "3/5 files". */
  setUnitsOfTotal(done: number, total: number, unit: string): void {
    this.#progress = `${done}/${total} ${unit}`
  }

  /** Marks a retry after a response: "retrying HTTP 503: <server message>" or "retrying HTTP 503 Service Unavailable". */
  markRetryingHttp(status: number, statusText: string, body: unknown): void {
    this.#errorStatus = httpRetryStatus(status, statusText, body)
  }

  /** Marks a retry after a failure without a response: "retrying: <error>". */
  markRetryingError(error: unknown): void {
    this.#errorStatus = errorRetryStatus(error)
  }

  /** Clears the error status (the request it was about ended). */
  clearError(): void {
    this.#errorStatus = ''
  }

  /** Removes the operation (and so its subtasks) from the report. Idempotent. */
  finish(): void {
    if (this.#finished) return
    this.#finished = true
    if (this.#parent) this.#parent.#subtasks.delete(this)
    else this.#owner.remove(this)
  }

  toProto(now: number): PbOperation {
    return {
      desc: this.desc,
      runtime_seconds: (now - this.startedAt) / 1000,
      progress: this.#progress,
      error_status: this.#errorStatus,
      subtasks: [...this.#subtasks].slice(0, MAX_REPORTED).map((s) => s.toProto(now)),
    }
  }
}

/** The operations in progress for one run (or one CLI command). */
export class Operations {
  readonly now: () => number
  readonly #ops = new Set<Operation>()

  constructor(now: () => number = Date.now) {
    this.now = now
  }

  /** Starts tracking an operation; call finish() on it when done. */
  start(desc: string): Operation {
    const op = new Operation(this, desc, this.now())
    this.#ops.add(op)
    return op
  }

  /**
   * Runs `fn` under a new operation `desc`, current for everything `fn` starts, and finishes the
   * operation when `fn`'s promise settles (resolves or rejects as `fn` does).
   */
  async track<T>(desc: string, fn: (op: Operation) => Promise<T>): Promise<T> {
    const op = this.start(desc)
    try {
      return await op.run(() => fn(op))
    } finally {
      op.finish()
    }
  }

  /** Forgets `op` (what Operation.finish() calls). */
  remove(op: Operation): void {
    this.#ops.delete(op)
  }

  /** Unfinished top-level operations. */
  get size(): number {
    return this.#ops.size
  }

  /** The OperationStats the SDK displays: the first 10 operations in start order, and the count of all. */
  stats(): OperationStats {
    const now = this.now()
    const all = [...this.#ops]
    return OperationStats.create({
      operations: all.slice(0, MAX_REPORTED).map((o) => o.toProto(now)),
      total_operations: BigInt(all.length),
    })
  }
}

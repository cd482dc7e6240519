import {OperationStats, type Operation as PbOperation} from '../proto.ts'

/** At most this many top-level operations are reported (Go: 10). */
const MAX_REPORTED = 10

/**
 * One piece of work in progress that the user may be waiting for ("uploading 3 files"). Shown by
 * the SDK's progress display through the operations request. finish() is idempotent.
 */
export class Operation {
  readonly desc: string
  readonly startedAt: number
  progress = ''
  errorStatus = ''
  readonly #owner: Operations
  readonly #subtasks = new Set<Operation>()
  readonly #parent: Operation | undefined

  constructor(owner: Operations, desc: string, now: number, parent?: Operation) {
    this.#owner = owner
    this.desc = desc
    this.startedAt = now
    this.#parent = parent
  }

  /** A nested operation shown under this one. */
  subtask(desc: string): Operation {
    const op = new Operation(this.#owner, desc, this.#owner.now(), this)
    this.#subtasks.add(op)
    return op
  }

  finish(): void {
    if (this.#parent) this.#parent.#subtasks.delete(this)
    else this.#owner.remove(this)
  }

  toProto(now: number): PbOperation {
    return {
      desc: this.desc,
      runtime_seconds: (now - this.startedAt) / 1000,
      progress: this.progress,
      error_status: this.errorStatus,
      subtasks: [...this.#subtasks].map((s) => s.toProto(now)),
    }
  }
}

/** The operations in progress for one run. */
export class Operations {
  readonly now: () => number
  #ops = new Set<Operation>()

  constructor(now: () => number = Date.now) {
    this.now = now
  }

  /** Starts tracking an operation; call finish() on it when done. */
  start(desc: string): Operation {
    const op = new Operation(this, desc, this.now())
    this.#ops.add(op)
    return op
  }

  remove(op: Operation): void {
    this.#ops.delete(op)
  }

  get size(): number {
    return this.#ops.size
  }

  /** The OperationStats the SDK displays: up to 10 operations, oldest first. */
  stats(): OperationStats {
    const now = this.now()
    const all = [...this.#ops].sort((a, b) => a.startedAt - b.startedAt)
    return OperationStats.create({
      operations: all.slice(0, MAX_REPORTED).map((o) => o.toProto(now)),
      total_operations: BigInt(all.length),
    })
  }
}

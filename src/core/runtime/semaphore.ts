/** A counting semaphore: at most `limit` holders; waiters are served first come, first served. */
export class Semaphore {
  readonly limit: number
  #held = 0
  readonly #waiters: Array<() => void> = []

  constructor(limit: number) {
    if (!(Number.isInteger(limit) && limit >= 1)) throw new RangeError('semaphore: limit must be an integer >= 1')
    this.limit = limit
  }

  /** Resolves once a slot is held; the caller must call release() exactly once afterwards. */
  async acquire(): Promise<void> {
    if (this.#held < this.limit) {
      this.#held++
      return
    }
    await new Promise<void>((resolve) => this.#waiters.push(resolve))
  }

  /** Gives a slot back, handing it straight to the longest waiter if there is one. */
  release(): void {
    const next = this.#waiters.shift()
    if (next) next()
    else this.#held--
  }

  /** Runs `task` once a slot is held; the slot is released however the task ends. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    await this.acquire()
    try {
      return await task()
    } finally {
      this.release()
    }
  }

  /** Slots held now. */
  get held(): number {
    return this.#held
  }

  /** Callers waiting for a slot. */
  get waiting(): number {
    return this.#waiters.length
  }
}

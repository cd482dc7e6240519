/**
 * Concurrency helpers of the artifact engine: a counting limiter (at most N tasks at once, first
 * come first served) and a per-key serializer (tasks with the same key run one after another).
 */

/** Runs at most `limit` tasks at a time; the others wait in arrival order. */
export class Limiter {
  readonly limit: number
  #running = 0
  readonly #waiting: Array<() => void> = []

  constructor(limit: number) {
    if (!(Number.isInteger(limit) && limit >= 1)) throw new RangeError('limiter: limit must be an integer >= 1')
    this.limit = limit
  }

  /** Tasks running now. */
  get running(): number {
    return this.#running
  }

  /** Runs `task` once a slot is free; the slot is released however the task ends. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#running < this.limit) this.#running++
    else await new Promise<void>((resolve) => this.#waiting.push(resolve))
    try {
      return await task()
    } finally {
      const next = this.#waiting.shift()
      if (next) next()
      else this.#running--
    }
  }
}

/** Runs tasks with the same key strictly one after another, in call order; other keys run freely. */
export class KeyedSerializer {
  readonly #tails = new Map<string, Promise<unknown>>()

  /** Queues `task` behind every earlier task of `key`; its outcome is the task's own. */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve()
    const result = previous.then(task, task)
    const tail = result.then(
      () => undefined,
      () => undefined,
    )
    this.#tails.set(key, tail)
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key)
    })
    return result
  }

  /** Keys with queued or running tasks. */
  get activeKeys(): number {
    return this.#tails.size
  }
}

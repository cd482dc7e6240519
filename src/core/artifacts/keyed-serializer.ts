/** A per-key serializer for the artifact engine: saves of one artifact name run one after another. */

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

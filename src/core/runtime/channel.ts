/**
 * A bounded async channel joining two pipeline stages (one reader, many writers).
 *
 * - `send()` resolves true once the item is queued, and waits while the channel is full
 *   (backpressure: the writer slows down, nothing is dropped). After close() it resolves false
 *   and the item is not queued: callers answer its request themselves.
 * - `close()` is idempotent; the reader still receives every item queued before it.
 * - Iterate with `for await (const x of channel)`; iteration ends after close once drained.
 */
export class Channel<T> implements AsyncIterable<T> {
  readonly capacity: number
  #items: T[] = []
  #head = 0
  #closed = false
  #wakeReader: (() => void) | undefined
  #waitingWriters: Array<() => void> = []

  constructor(capacity: number) {
    if (!(capacity >= 1)) throw new RangeError('channel: capacity must be >= 1')
    this.capacity = capacity
  }

  get closed(): boolean {
    return this.#closed
  }

  /** Number of queued items. */
  get size(): number {
    return this.#items.length - this.#head
  }

  async send(item: T): Promise<boolean> {
    while (!this.#closed && this.size >= this.capacity) {
      await new Promise<void>((resolve) => this.#waitingWriters.push(resolve))
    }
    if (this.#closed) return false
    this.#items.push(item)
    const wake = this.#wakeReader
    this.#wakeReader = undefined
    wake?.()
    return true
  }

  /** Queues without waiting, ignoring the capacity (for items that must never block, e.g. answers to self). */
  trySendUnbounded(item: T): boolean {
    if (this.#closed) return false
    this.#items.push(item)
    const wake = this.#wakeReader
    this.#wakeReader = undefined
    wake?.()
    return true
  }

  close(): void {
    if (this.#closed) return
    this.#closed = true
    const wake = this.#wakeReader
    this.#wakeReader = undefined
    wake?.()
    for (const w of this.#waitingWriters.splice(0)) w()
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      if (this.size > 0) {
        const item = this.#items[this.#head]
        this.#items[this.#head] = undefined as T
        this.#head++
        if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
          this.#items = this.#items.slice(this.#head)
          this.#head = 0
        }
        this.#waitingWriters.shift()?.()
        yield item
        continue
      }
      if (this.#closed) return
      await new Promise<void>((resolve) => (this.#wakeReader = resolve))
    }
  }
}

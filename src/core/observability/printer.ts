/** Messages kept for users before older ones are dropped (Go: 128). */
const CAPACITY = 128

/**
 * User-facing warnings of a run, delivered to the SDK through internal_messages requests (which
 * print them in the user's terminal). Bounded: when full the oldest messages are dropped and the
 * next delivery says how many were lost. After close() waiting requests get an empty answer, which
 * the SDK reads as "run over".
 */
export class Printer {
  #messages: string[] = []
  #dropped = 0
  #closed = false
  #waiters = new Set<() => void>()

  /** Queues a warning (deduplicated against the queued ones). No-op after close. */
  warn(message: string): void {
    if (this.#closed || this.#messages.includes(message)) return
    this.#messages.push(message)
    if (this.#messages.length > CAPACITY) {
      this.#messages.shift()
      this.#dropped++
    }
    this.#wake()
  }

  /** Queues an error for the user; the SDK's internal_messages has one list, so it travels as a warning. */
  error(message: string): void {
    this.warn(message)
  }

  /** Returns and forgets the queued messages. */
  take(): string[] {
    const out = this.#messages.splice(0)
    if (this.#dropped > 0) {
      out.push(`${this.#dropped} more warning(s) were dropped.`)
      this.#dropped = 0
    }
    return out
  }

  /**
   * Resolves with at least one message, or with [] once the printer is closed or `signal` aborts.
   */
  async waitAndTake(signal: AbortSignal): Promise<string[]> {
    while (this.#messages.length === 0 && !this.#closed && !signal.aborted) {
      await new Promise<void>((resolve) => {
        const done = () => {
          this.#waiters.delete(done)
          signal.removeEventListener('abort', done)
          resolve()
        }
        this.#waiters.add(done)
        signal.addEventListener('abort', done, {once: true})
      })
    }
    return this.take()
  }

  /** Ends message delivery: waiting requests get their (possibly empty) answer. Idempotent. */
  close(): void {
    this.#closed = true
    this.#wake()
  }

  get closed(): boolean {
    return this.#closed
  }

  #wake(): void {
    for (const w of [...this.#waiters]) w()
  }
}

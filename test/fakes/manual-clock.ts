/**
 * Test time: a Clock whose time moves only when a test says so. `sleep` registers a timer;
 * `advance(ms)` fires the due timers in time order, letting the woken code run (pending promise
 * callbacks and event-loop turns) after each; `whenSleeping(n)` resolves once at least n sleeps
 * are pending (the code under test is idle, waiting on time); `set(ms)` steps the wall clock
 * without waking anyone.
 */
import type {Clock} from '../../src/core/runtime/index.ts'

interface Timer {
  at: number
  seq: number
  wake: () => void
}

/** Runs everything already queued: promise callbacks and one turn of the event loop, a few times over. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve))
}

export class ManualClock implements Clock {
  #now: number
  #seq = 0
  #timers: Timer[] = []
  #waiters: Array<{n: number; resolve: () => void}> = []

  /** Starts at 2024-01-01T00:00:00Z unless told otherwise. */
  constructor(startMs = Date.UTC(2024, 0, 1)) {
    this.#now = startMs
  }

  now(): number {
    return this.#now
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason)
        return
      }
      const timer: Timer = {
        at: this.#now + Math.max(0, ms),
        seq: this.#seq++,
        wake: () => {
          signal?.removeEventListener('abort', onAbort)
          resolve()
        },
      }
      const onAbort = () => {
        this.#timers = this.#timers.filter((t) => t !== timer)
        reject(signal!.reason)
      }
      signal?.addEventListener('abort', onAbort, {once: true})
      this.#timers.push(timer)
      this.#notify()
    })
  }

  /** Sleeps pending now. */
  get sleeping(): number {
    return this.#timers.length
  }

  /** Resolves once at least `n` sleeps are pending. */
  whenSleeping(n = 1): Promise<void> {
    if (this.#timers.length >= n) return Promise.resolve()
    return new Promise((resolve) => this.#waiters.push({n, resolve}))
  }

  /** Moves time forward by `ms`, firing due timers in order and letting woken code run after each. */
  async advance(ms: number): Promise<void> {
    const target = this.#now + ms
    for (;;) {
      this.#timers.sort((a, b) => a.at - b.at || a.seq - b.seq)
      const next = this.#timers[0]
      if (!next || next.at > target) break
      this.#timers.shift()
      this.#now = Math.max(this.#now, next.at)
      next.wake()
      await settle()
    }
    this.#now = target
    await settle()
  }

  /** Sets the time without waking anyone (a wall clock stepping). */
  set(ms: number): void {
    this.#now = ms
  }

  #notify(): void {
    const ready = this.#waiters.filter((w) => this.#timers.length >= w.n)
    this.#waiters = this.#waiters.filter((w) => this.#timers.length < w.n)
    for (const w of ready) w.resolve()
  }
}

/**
 * Test time for the console writers: a Clock that moves only on `advance`, firing due sleeps in
 * order and letting the woken code run (all pending promise callbacks) before going on.
 */
import type {Clock} from '../../../src/core/runtime/index.ts'

interface Sleeper {
  at: number
  seq: number
  wake: () => void
}

/** Runs everything already queued: promise callbacks and one turn of the event loop, a few times over. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 4; i++) await new Promise<void>((resolve) => setImmediate(resolve))
}

export class ManualClock implements Clock {
  #now: number
  #seq = 0
  #sleepers: Sleeper[] = []

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
      const onAbort = () => {
        this.#sleepers = this.#sleepers.filter((s) => s !== sleeper)
        reject(signal!.reason)
      }
      const sleeper: Sleeper = {
        at: this.#now + Math.max(0, ms),
        seq: this.#seq++,
        wake: () => {
          signal?.removeEventListener('abort', onAbort)
          resolve()
        },
      }
      signal?.addEventListener('abort', onAbort, {once: true})
      this.#sleepers.push(sleeper)
    })
  }

  /** Number of sleeps pending. */
  get sleeping(): number {
    return this.#sleepers.length
  }

  /** Moves time forward by `ms`, waking due sleepers in order and settling after each. */
  async advance(ms: number): Promise<void> {
    const target = this.#now + ms
    for (;;) {
      this.#sleepers.sort((a, b) => a.at - b.at || a.seq - b.seq)
      const next = this.#sleepers[0]
      if (!next || next.at > target) break
      this.#sleepers.shift()
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
}

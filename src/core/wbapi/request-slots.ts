import {RequestCancelledError} from './errors.ts'

/**
 * Bounds how many requests of one session run at once (Go core: 10); later ones wait their turn,
 * first come, first served. A waiter whose signal aborts leaves the queue.
 */
export class RequestSlots {
  readonly limit: number
  #held = 0
  readonly #waiters: Array<{grant: () => void}> = []

  constructor(limit: number) {
    this.limit = limit
  }

  /** Resolves a release function (call it exactly once) when a slot is held; rejects with RequestCancelledError on abort. */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(new RequestCancelledError({cause: signal.reason}))
    if (this.#held < this.limit) {
      this.#held++
      return Promise.resolve(this.#release())
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort)
          resolve(this.#release())
        },
      }
      const onAbort = () => {
        const i = this.#waiters.indexOf(waiter)
        if (i >= 0) this.#waiters.splice(i, 1)
        reject(new RequestCancelledError({cause: signal?.reason}))
      }
      signal?.addEventListener('abort', onAbort, {once: true})
      this.#waiters.push(waiter)
    })
  }

  /** Slots held now. */
  get held(): number {
    return this.#held
  }

  #release(): () => void {
    let released = false
    return () => {
      if (released) return
      released = true
      const next = this.#waiters.shift()
      if (next) next.grant()
      else this.#held--
    }
  }
}

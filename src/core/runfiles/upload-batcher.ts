import type {Logger} from '../observability/index.ts'
import type {Clock} from '../runtime/index.ts'

/**
 * Collects run paths for `delayMs` (on the Clock) and hands them over as one deduplicated batch,
 * so many files share one CreateRunFiles call. After close() every add is handed over at once.
 * close() also cuts a waiting batch short and resolves when all handed-over batches finished.
 */
export class UploadBatcher {
  readonly #clock: Clock
  readonly #delayMs: number
  readonly #upload: (runPaths: string[]) => Promise<void>
  readonly #logger: Logger
  readonly #inflight = new Set<Promise<void>>()
  readonly #stopWaiting = new AbortController()
  #batch = new Set<string>()
  #queued = false
  #closed = false

  constructor(clock: Clock, delayMs: number, upload: (runPaths: string[]) => Promise<void>, logger: Logger) {
    this.#clock = clock
    this.#delayMs = delayMs
    this.#upload = upload
    this.#logger = logger
  }

  /** Adds paths to the next batch, starting its timer if none runs. Returns at once. */
  add(runPaths: Iterable<string>): void {
    for (const p of runPaths) this.#batch.add(p)
    if (this.#batch.size === 0 || this.#queued) return
    this.#queued = true
    this.#track(this.#waitAndUpload())
  }

  /** Stops waiting, flushes the batch, and resolves when every batch handed over has finished. Idempotent. */
  async close(): Promise<void> {
    this.#closed = true
    this.#stopWaiting.abort()
    while (this.#inflight.size > 0) await Promise.allSettled([...this.#inflight])
  }

  async #waitAndUpload(): Promise<void> {
    if (!this.#closed && this.#delayMs > 0) {
      await this.#clock.sleep(this.#delayMs, this.#stopWaiting.signal).catch(() => {})
    }
    this.#queued = false
    const runPaths = [...this.#batch]
    this.#batch = new Set()
    if (runPaths.length > 0) await this.#upload(runPaths)
  }

  #track(p: Promise<void>): void {
    const tracked = p.catch((err) => this.#logger.captureError('runfiles: batch upload failed', err))
    this.#inflight.add(tracked)
    void tracked.then(() => this.#inflight.delete(tracked))
  }
}

/**
 * The run's clock for `_runtime`: started at run_start (with the resumed run's runtime as offset),
 * paused and resumed by the SDK's pause/resume requests, stopped at exit.
 */
export class RunTimer {
  #accumulatedMs: number
  #startedAt: number | undefined
  readonly #now: () => number

  constructor(offsetSeconds = 0, now: () => number = () => performance.now()) {
    this.#accumulatedMs = offsetSeconds * 1000
    this.#now = now
  }

  /** (Re)starts counting; no-op while running. */
  start(): void {
    if (this.#startedAt === undefined) this.#startedAt = this.#now()
  }

  /** Stops counting; no-op while stopped. */
  stop(): void {
    if (this.#startedAt === undefined) return
    this.#accumulatedMs += this.#now() - this.#startedAt
    this.#startedAt = undefined
  }

  /** Replaces the offset (run_start carries the resumed runtime). */
  reset(offsetSeconds: number): void {
    this.#accumulatedMs = offsetSeconds * 1000
    this.#startedAt = undefined
  }

  get running(): boolean {
    return this.#startedAt !== undefined
  }

  /** Elapsed seconds (fractional). */
  elapsedSeconds(): number {
    const running = this.#startedAt === undefined ? 0 : this.#now() - this.#startedAt
    return (this.#accumulatedMs + running) / 1000
  }
}

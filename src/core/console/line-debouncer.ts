/**
 * Collects changed lines and hands them to a flush function in batches, at most once per period.
 */
import type {Logger} from '../observability/index.ts'
import type {Clock} from '../runtime/index.ts'
import type {ConsoleLine} from './console-line.ts'

/** Receives the lines changed since the previous batch, keyed by line number. */
export type FlushBatch = (batch: ReadonlyMap<number, ConsoleLine>) => void

export interface LineDebouncerOptions {
  periodMs: number
  clock: Clock
  logger: Logger
  /** Called synchronously from the debouncer's loop; an exception is logged and the loop goes on. */
  flush: FlushBatch
  /** Names the debouncer in log lines. */
  name: string
}

/**
 * A token bucket of size one refilled every `periodMs`, as Go's rate.Limiter(Every(period), 1):
 * the first change after a quiet period is flushed right away (after the current synchronous
 * burst of changes, so those share the batch), later ones wait for the next token. A wake-up
 * that finds nothing pending spends its token and ends the loop, so activity right after a quiet
 * tick still waits out that token's period.
 *
 * `finish()` removes the rate limit and flushes everything; `cancel()` stops without flushing.
 * Single owner; `put` must not be called from inside `flush`.
 */
export class LineDebouncer {
  readonly #o: LineDebouncerOptions
  #pending = new Map<number, ConsoleLine>()
  #loop: Promise<void> | undefined
  /** Clock time at which the next token is available. */
  #nextTokenAt = Number.NEGATIVE_INFINITY
  #unlimited = false
  #cancelled = false
  readonly #wake = new AbortController()

  constructor(options: LineDebouncerOptions) {
    this.#o = options
  }

  /** Records that `lineNum` changed; the batch will carry the line's content at flush time. */
  put(lineNum: number, line: ConsoleLine): void {
    if (this.#cancelled) return
    this.#pending.set(lineNum, line)
    this.#loop ??= this.#run()
  }

  /**
   * Flushes everything pending now and from then on flushes each change without waiting.
   * Resolves once nothing is pending. Idempotent.
   */
  async finish(): Promise<void> {
    this.#unlimited = true
    this.#wake.abort()
    await this.#loop
  }

  /** Stops the loop and forgets pending changes; no flush is called from now on. Idempotent. */
  cancel(): void {
    this.#cancelled = true
    this.#pending.clear()
    this.#wake.abort()
  }

  /** Takes the pending changes out of the debouncer without flushing them. */
  drain(): Map<number, ConsoleLine> {
    const batch = this.#pending
    this.#pending = new Map()
    return batch
  }

  async #run(): Promise<void> {
    // Yield once so that the caller's remaining synchronous changes join the first batch.
    await Promise.resolve()
    for (;;) {
      await this.#takeToken()
      if (this.#cancelled || this.#pending.size === 0) break
      const batch = this.drain()
      try {
        this.#o.flush(batch)
      } catch (err) {
        this.#o.logger.captureError('console: flushing lines failed', err, {writer: this.#o.name})
      }
    }
    this.#loop = undefined
  }

  async #takeToken(): Promise<void> {
    if (this.#unlimited || this.#cancelled) return
    const now = this.#o.clock.now()
    // Clamped so that a wall clock stepping backwards delays a flush by at most one period.
    const at = Math.min(Math.max(now, this.#nextTokenAt), now + this.#o.periodMs)
    this.#nextTokenAt = at + this.#o.periodMs
    if (at <= now) return
    try {
      await this.#o.clock.sleep(at - now, this.#wake.signal)
    } catch {
      // finish() or cancel() cut the wait short.
    }
  }
}

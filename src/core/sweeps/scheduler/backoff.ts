/**
 * Spaces the scheduler's polls out after failed backend calls (Go's Backoff): each failure
 * doubles the extra wait added to the poll interval (1 s at first, at most 60 s); a success
 * resets it. Calls ended by the scheduler's own shutdown count as neither.
 */
import type {PollPage, SchedulerBackend, SweepFacts} from './scheduler-api.ts'

const INITIAL_SLOWDOWN_MS = 1000
const MAX_SLOWDOWN_MS = 60_000

export class Backoff {
  #slowdownMs = 0

  /** The extra delay to add to the poll interval. */
  get slowdownMs(): number {
    return this.#slowdownMs
  }

  onSuccess(): void {
    this.#slowdownMs = 0
  }

  onError(): void {
    this.#slowdownMs = Math.min(Math.max(2 * this.#slowdownMs, INITIAL_SLOWDOWN_MS), MAX_SLOWDOWN_MS)
  }
}

/** A SchedulerBackend whose every call feeds `backoff`. */
export class TrackedBackend implements SchedulerBackend {
  constructor(
    readonly inner: SchedulerBackend,
    readonly backoff: Backoff,
  ) {}

  localSchedulerSupported(signal?: AbortSignal): Promise<boolean> {
    return this.inner.localSchedulerSupported(signal)
  }

  fetchSweep(signal?: AbortSignal): Promise<SweepFacts> {
    return this.#track(this.inner.fetchSweep(signal), signal)
  }

  warmStartPage(pageSize: number, cursor: string | null, metricKeys: string[], signal?: AbortSignal): Promise<PollPage> {
    return this.#track(this.inner.warmStartPage(pageSize, cursor, metricKeys, signal), signal)
  }

  fetchWatchedRuns(names: string[], pageSize: number, cursor: string | null, metricKeys: string[], signal?: AbortSignal): Promise<PollPage> {
    return this.#track(this.inner.fetchWatchedRuns(names, pageSize, cursor, metricKeys, signal), signal)
  }

  confirmRunExists(name: string, signal?: AbortSignal): Promise<boolean> {
    return this.#track(this.inner.confirmRunExists(name, signal), signal)
  }

  enqueueRun(sweepNodeId: string, wireConfigJson: string, signal?: AbortSignal): Promise<string> {
    return this.#track(this.inner.enqueueRun(sweepNodeId, wireConfigJson, signal), signal)
  }

  stopRun(storageId: string, signal?: AbortSignal): Promise<boolean> {
    return this.#track(this.inner.stopRun(storageId, signal), signal)
  }

  upsertSweepState(sweepNodeId: string, state: string, signal?: AbortSignal): Promise<void> {
    return this.#track(this.inner.upsertSweepState(sweepNodeId, state, signal), signal)
  }

  async #track<T>(call: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    try {
      const value = await call
      if (!signal?.aborted) this.backoff.onSuccess()
      return value
    } catch (err) {
      if (!signal?.aborted) this.backoff.onError()
      throw err
    }
  }
}

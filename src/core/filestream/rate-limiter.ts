import type {Clock} from '../runtime/index.ts'

/** Tuning of ResponseRateLimiter; the defaults are Go core's file_stream values. */
export interface RateLimitParams {
  /** Lowest rate it will slow down to, requests per second (default 0.1). */
  minPerSecond: number
  /** Starting and highest rate (default 65536, i.e. no practical limit). */
  maxPerSecond: number
  /** Token-bucket burst (default 10). */
  burst: number
  /** Weight of the old estimate in the moving average, in [0, 1) (default 0.2). */
  smoothing: number
  /** Requests an estimation window needs unless the quota window reset (default 5). */
  minRequestsForEstimate: number
}

const DEFAULTS: RateLimitParams = {minPerSecond: 0.1, maxPerSecond: 65536, burst: 10, smoothing: 0.2, minRequestsForEstimate: 5}

/**
 * A token bucket whose rate follows the server's `RateLimit-Remaining` / `RateLimit-Reset`
 * headers (IETF draft-polli): the server's quota is in opaque units, so the limiter estimates how
 * many requests one unit is worth (a moving average over windows of several requests) and aims at
 * `remaining / reset` units per second, clamped to [min, max] requests per second. Until the
 * server sends those headers it does not slow anything down.
 *
 * Single-owner: `wait` is called by one sequential sender; `observe` after each response.
 */
export class ResponseRateLimiter {
  readonly #clock: Clock
  readonly #p: RateLimitParams
  #rate: number
  #tokens: number
  #lastRefill: number
  #requestsPerUnit = 1
  #unitsPerSecond: number
  #lastRemaining = 0
  #windowEndsAt = 0
  #requestsSinceEstimate = 0

  constructor(clock: Clock, params: Partial<RateLimitParams> = {}) {
    this.#clock = clock
    this.#p = {...DEFAULTS, ...params}
    if (!(this.#p.smoothing >= 0 && this.#p.smoothing < 1)) throw new RangeError('filestream: rate limit smoothing must be in [0, 1)')
    this.#rate = this.#p.maxPerSecond
    this.#unitsPerSecond = this.#p.maxPerSecond
    this.#tokens = this.#p.burst
    this.#lastRefill = clock.now()
  }

  /** The current limit in requests per second. */
  get ratePerSecond(): number {
    return this.#rate
  }

  /** Takes a token, sleeping (on the Clock) until one is available; rejects if `signal` aborts. */
  async wait(signal?: AbortSignal): Promise<void> {
    this.#refill()
    this.#tokens -= 1
    this.#requestsSinceEstimate++
    if (this.#tokens >= 0) return
    await this.#clock.sleep((-this.#tokens / this.#rate) * 1000, signal)
  }

  /** Updates the estimate from a response's headers; headers that are absent or malformed are ignored. */
  observe(headers: Headers): void {
    const remaining = parseNonNegative(headers.get('ratelimit-remaining'))
    const reset = parseNonNegative(headers.get('ratelimit-reset'))
    // With a second or less left in the quota window, there is too little to estimate from.
    if (remaining === undefined || reset === undefined || reset <= 1) return
    const now = this.#clock.now()
    const requests = this.#requestsSinceEstimate
    if (now < this.#windowEndsAt && requests < this.#p.minRequestsForEstimate) return

    const consumed = this.#lastRemaining - remaining
    const quotaWindowReset = now > this.#windowEndsAt
    this.#requestsSinceEstimate = 0
    this.#lastRemaining = remaining
    this.#windowEndsAt = now + Math.trunc(reset) * 1000
    this.#unitsPerSecond = remaining / reset

    if (this.#unitsPerSecond > 0) {
      // Unused quota (or a fresh window) lets the estimate drift up toward the maximum rate;
      // otherwise it follows the requests actually spent per unit of quota.
      const target = consumed < 1 || quotaWindowReset ? this.#p.maxPerSecond / this.#unitsPerSecond : requests / consumed
      this.#requestsPerUnit = this.#requestsPerUnit * this.#p.smoothing + target * (1 - this.#p.smoothing)
    }
    this.#refill()
    this.#rate = Math.min(Math.max(this.#requestsPerUnit * this.#unitsPerSecond, this.#p.minPerSecond), this.#p.maxPerSecond)
  }

  #refill(): void {
    const now = this.#clock.now()
    const elapsed = Math.max(0, now - this.#lastRefill) / 1000
    this.#tokens = Math.min(this.#p.burst, this.#tokens + elapsed * this.#rate)
    this.#lastRefill = now
  }
}

function parseNonNegative(v: string | null): number | undefined {
  if (v === null || v.trim() === '') return undefined
  const n = Number(v)
  return Number.isFinite(n) && n >= 0 ? n : undefined
}

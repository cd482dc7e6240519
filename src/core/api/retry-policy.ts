/**
 * Retry policies as data, one per kind of request, matching Go wandb-core's clients
 * (hashicorp/go-retryablehttp): wait = min(max, min · 2^attempt · (1 + U[0, 0.25))), and a
 * server's Retry-After is used as given (not capped by the max wait).
 */

export interface RetryPolicy {
  readonly name: string
  /** Retries after the first attempt (so maxRetries + 1 attempts in all). */
  readonly maxRetries: number
  readonly waitMinMs: number
  readonly waitMaxMs: number
  /** Per-attempt timeout; false for none (uploads of any size). */
  readonly timeoutMs: number | false
  /** Whether a response with this status is worth retrying. */
  readonly retryStatus: (status: number) => boolean
}

/** Statuses Go's RetryMostFailures gives up on at once: the request itself is wrong. */
const NOT_RETRIED = new Set([400, 401, 403, 404, 409, 410, 413, 422, 501])

/** Go's RetryMostFailures: everything except the statuses above (so 408, 425, 429, 5xx …). */
export const retryMostFailures = (status: number): boolean => status === 0 || status >= 600 || (status >= 400 && !NOT_RETRIED.has(status))

/** Go's ErrorPropagatedRetryPolicy for file transfers: 429 and 5xx except 501; an expired signed URL's 403 is final. */
export const retryTransferFailures = (status: number): boolean => status === 0 || status === 429 || (status >= 500 && status !== 501)

/** UpsertBucket also retries 409 (a concurrent upsert), but not 400/410/422. */
export const retryUpsertFailures = (status: number): boolean => status === 409 || retryMostFailures(status)

const S = 1000

/** GraphQL: 20 retries, 2–60 s, 30 s per attempt. */
export const GRAPHQL_POLICY: RetryPolicy = {
  name: 'graphql',
  maxRetries: 20,
  waitMinMs: 2 * S,
  waitMaxMs: 60 * S,
  timeoutMs: 30 * S,
  retryStatus: retryMostFailures,
}

export const UPSERT_BUCKET_POLICY: RetryPolicy = {...GRAPHQL_POLICY, name: 'upsert-bucket', retryStatus: retryUpsertFailures}

/**
 * file_stream: a run must survive long outages, so Go retries for about 7 days:
 * 10085 retries ≈ 7 days / 60 s (the max wait) + the first fast ones. 180 s per attempt.
 */
export const FILE_STREAM_POLICY: RetryPolicy = {
  name: 'file-stream',
  maxRetries: 10085,
  waitMinMs: 2 * S,
  waitMaxMs: 60 * S,
  timeoutMs: 180 * S,
  retryStatus: retryMostFailures,
}

/** Uploads and downloads to signed URLs: 20 retries, 2–60 s, no timeout (any size). */
export const FILE_TRANSFER_POLICY: RetryPolicy = {
  name: 'file-transfer',
  maxRetries: 20,
  waitMinMs: 2 * S,
  waitMaxMs: 60 * S,
  timeoutMs: false,
  retryStatus: retryTransferFailures,
}

/** The wait before retry number `attempt` (0-based), without a server hint. */
export function backoffMs(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const base = policy.waitMinMs * 2 ** Math.min(attempt, 40) * (1 + random() * 0.25)
  return Math.min(policy.waitMaxMs, base)
}

/**
 * The server's requested wait, from Retry-After (seconds or an HTTP date) or
 * RateLimit-Reset / X-RateLimit-Reset (seconds); undefined when absent or malformed.
 */
export function serverWaitMs(headers: Headers, now: number = Date.now()): number | undefined {
  const after = headers.get('retry-after')
  if (after !== null && after.trim() !== '') {
    const secs = Number(after)
    if (Number.isFinite(secs) && secs >= 0) return secs * S
    const date = Date.parse(after)
    if (!Number.isNaN(date)) return Math.max(0, date - now)
  }
  for (const name of ['ratelimit-reset', 'x-ratelimit-reset']) {
    const reset = Number(headers.get(name) ?? Number.NaN)
    const remaining = Number(headers.get(name.replace('reset', 'remaining')) ?? Number.NaN)
    if (Number.isFinite(reset) && reset >= 0 && remaining === 0) return reset * S
  }
  return undefined
}

/** A copy of `policy` with fields overridden from settings (seconds, as the SDK's settings give them). */
export function withOverrides(policy: RetryPolicy, o: {maxRetries?: number; waitMinSeconds?: number; waitMaxSeconds?: number; timeoutSeconds?: number}): RetryPolicy {
  // Go converts these with time.Duration(int): fractions of a second are truncated, 0 means "unset".
  const secs = (v: number | undefined) => (v === undefined ? undefined : Math.trunc(v))
  const min = secs(o.waitMinSeconds)
  const max = secs(o.waitMaxSeconds)
  const timeout = secs(o.timeoutSeconds)
  return {
    ...policy,
    maxRetries: o.maxRetries !== undefined && o.maxRetries > 0 ? o.maxRetries : policy.maxRetries,
    waitMinMs: min ? min * S : policy.waitMinMs,
    waitMaxMs: max ? max * S : policy.waitMaxMs,
    timeoutMs: timeout ? timeout * S : policy.timeoutMs,
  }
}

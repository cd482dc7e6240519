import {ExitCode} from '../core/exit-codes.ts'
import type {Clock} from '../core/runtime/index.ts'
import {SyncError} from './sync-errors.ts'

/** How often one kind of request that keeps failing is reported again. */
const REPORT_EVERY_MS = 5000

/** What a request is for, in the user's words. */
function describeTarget(url: URL, base: URL): string {
  if (url.host !== base.host) return 'file uploads'
  if (url.pathname.endsWith('/graphql')) return 'the GraphQL API'
  if (url.pathname.endsWith('/file_stream')) return 'file_stream'
  return 'file uploads'
}

/** A failure in words: "HTTP 500", "connection refused". */
export function describeFailure(err: unknown): string {
  const code = String((err as {code?: unknown})?.code ?? '')
  if (/ConnectionRefused|ECONNREFUSED/i.test(code) || /refused/i.test(String(err))) return 'connection refused'
  if (/ECONNRESET|ConnectionClosed/i.test(code) || /reset|closed/i.test(String(err))) return 'connection reset'
  if (/ENOTFOUND|DNS/i.test(code) || /getaddrinfo|dns/i.test(String(err))) return 'host not found'
  if (/Timeout|ETIMEDOUT/i.test(code) || /timed? ?out/i.test(String(err))) return 'timed out'
  return (err as Error)?.message ?? String(err)
}

export interface SyncFetchOptions {
  baseUrl: string
  /** Aborting it fails every request at once, in flight or not yet sent. */
  signal: AbortSignal
  /** How long one kind of request may keep failing before the sync of the run gives up. */
  maxRetryMs: number
  clock: Clock
  /** User-facing progress lines ("waiting for …, retrying for 52 s more"). */
  report: (line: string) => void
  /** A failure that ends the run's sync: the key was rejected, or retries ran past maxRetryMs. */
  onFatal: (error: SyncError) => void
}

/**
 * The fetch a replayed run's sender uses (SenderOptions.fetch): the sender's own retry logic is
 * unchanged, and this layer makes a sync honest about it — a 401/403 from the GraphQL API or
 * file_stream is fatal (exit 4, not endless retries), a request kind that keeps failing is
 * reported every few seconds and given up after `maxRetryMs` (exit 5), and the sync's signal
 * cancels every request at once (Ctrl-C during retries).
 */
export class SyncFetch {
  readonly #o: SyncFetchOptions
  readonly #base: URL
  readonly #failing = new Map<string, {since: number; reported: number}>()

  constructor(o: SyncFetchOptions) {
    this.#o = o
    this.#base = new URL(o.baseUrl)
  }

  /** The fetch function to hand to the sender. */
  readonly fetch = (async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const signal = this.#o.signal
    if (signal.aborted) throw signal.reason
    const request = input instanceof Request ? input : undefined
    const url = new URL(request ? request.url : String(input))
    const what = describeTarget(url, this.#base)
    const own = init?.signal ?? request?.signal
    const merged = own ? AbortSignal.any([own, signal]) : signal
    let response: Response
    try {
      response = await fetch(input, {...init, signal: merged})
    } catch (err) {
      if (signal.aborted) throw signal.reason
      this.#failed(what, url, describeFailure(err))
      throw err
    }
    const status = response.status
    if ((status === 401 || status === 403) && what !== 'file uploads') {
      this.#o.onFatal(
        new SyncError(
          `sync: HTTP ${status} from ${url.origin}${url.pathname}`,
          `The server at ${this.#base.origin} rejected the API key (HTTP ${status} from ${what}). Check WANDB_API_KEY / --api-key, or run \`nexus login\`.`,
          {exitCode: ExitCode.AUTH},
        ),
      )
    } else if (status >= 500 || status === 429 || status === 408) {
      this.#failed(what, url, `HTTP ${status}`)
    } else {
      this.#failing.delete(what)
    }
    return response
  }) as typeof fetch

  #failed(what: string, url: URL, why: string): void {
    const now = this.#o.clock.now()
    const entry = this.#failing.get(what) ?? {since: now, reported: 0}
    this.#failing.set(what, entry)
    const failingMs = now - entry.since
    const left = Math.max(0, Math.ceil((this.#o.maxRetryMs - failingMs) / 1000))
    if (failingMs >= this.#o.maxRetryMs) {
      this.#o.onFatal(
        new SyncError(
          `sync: gave up on ${what} after ${Math.round(failingMs / 1000)} s: ${why}`,
          `Gave up on ${what} at ${url.origin} after ${Math.round(failingMs / 1000)} s of failures (${why}); run the sync again later, it continues where it stopped (--max-retry-time sets how long to keep trying).`,
          {exitCode: ExitCode.NETWORK},
        ),
      )
      return
    }
    if (now - entry.reported < REPORT_EVERY_MS) return
    entry.reported = now
    this.#o.report(`waiting for ${what} at ${url.origin}: ${why}, retrying for ${left} s more`)
  }
}

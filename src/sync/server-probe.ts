import {basicAuthorization, TlsError, Transport, TransportError, tlsFailureCode, VIEWER_QUERY} from '../core/api/index.ts'
import {errorMessage} from '../core/errors.ts'
import {ExitCode} from '../core/exit-codes.ts'
import type {Clock} from '../core/runtime/index.ts'
import {describeFailure} from './sync-fetch.ts'
import {SyncError} from './sync-errors.ts'

/** The longest wait between two tries while the server is unreachable. */
const MAX_WAIT_MS = 5000
/** One try's own limit. */
const TRY_TIMEOUT_MS = 10_000

export interface ProbeOptions {
  baseUrl: string
  apiKey: string
  /** Give up after this long without an answer. */
  timeoutMs: number
  clock: Clock
  signal?: AbortSignal
  /** "waiting for http://…/graphql: connection refused, retrying for 52 s more" */
  report: (line: string) => void
  fetch?: typeof fetch
  /** Proxies and TLS (default: Transport.fromEnv(), the CLI's). */
  transport?: Transport
}

/**
 * Asks the server who the key belongs to (the Viewer query) before any run is synced: a rejected
 * key is a SyncError with exit 4 at once, an unreachable server is retried for at most
 * `timeoutMs`, saying what it waits for, then a SyncError with exit 5. Resolves when the server
 * accepted the key. Rejects with the signal's reason when aborted.
 */
export async function probeServer(o: ProbeOptions): Promise<void> {
  const url = new URL('graphql', o.baseUrl.endsWith('/') ? o.baseUrl : `${o.baseUrl}/`).toString()
  const deadline = o.clock.now() + o.timeoutMs
  let wait = 500
  let last = ''
  const transport = o.transport ?? Transport.fromEnv()
  for (;;) {
    if (o.signal?.aborted) throw o.signal.reason
    const left = deadline - o.clock.now()
    try {
      const signals = [AbortSignal.timeout(Math.max(1, Math.min(TRY_TIMEOUT_MS, left)))]
      if (o.signal) signals.push(o.signal)
      const response = await (o.fetch ?? fetch)(url, {
        ...transport.forUrl(url).options,
        method: 'POST',
        signal: AbortSignal.any(signals),
        headers: {'content-type': 'application/json', authorization: basicAuthorization(o.apiKey)},
        body: JSON.stringify({query: VIEWER_QUERY, operationName: 'Viewer', variables: {}}),
      })
      const status = response.status
      await response.arrayBuffer().catch(() => undefined)
      if (status === 401 || status === 403) {
        throw new SyncError(
          `sync: HTTP ${status} from ${url}`,
          `The server at ${o.baseUrl} rejected the API key (HTTP ${status}). Check WANDB_API_KEY / --api-key, or run \`nexus login --host ${o.baseUrl}\`.`,
          {exitCode: ExitCode.AUTH},
        )
      }
      if (status < 500 && status !== 429 && status !== 408) return
      last = `HTTP ${status}`
    } catch (err) {
      if (err instanceof SyncError) throw err
      if (err instanceof TransportError) throw new SyncError(`sync: ${err.message}`, err.userText, {cause: err, exitCode: ExitCode.NETWORK})
      const tls = tlsFailureCode(err)
      if (tls) {
        // retrying cannot make the certificate trusted
        const cause = new TlsError('POST', url, tls, errorMessage(err), {cause: err})
        throw new SyncError(
          `sync: ${cause.message}`,
          `The TLS certificate of ${o.baseUrl} is not trusted (${tls}: ${errorMessage(err)}). Set SSL_CERT_FILE or REQUESTS_CA_BUNDLE to a CA bundle that signs it, or WANDB_INSECURE_DISABLE_SSL=true to skip verification.`,
          {cause, exitCode: ExitCode.NETWORK},
        )
      }
      if (o.signal?.aborted) throw o.signal.reason
      // an attempt that the deadline cut short says less than the failure seen before it
      const cutShort = left < TRY_TIMEOUT_MS && deadline - o.clock.now() <= 0
      if (!(cutShort && last !== '')) {
        last = describeFailure(err)
        if (last === errorMessage(err) && /abort/i.test(last)) last = 'no answer'
      }
    }
    const remaining = deadline - o.clock.now()
    if (remaining <= 0) {
      throw new SyncError(
        `sync: ${url} unreachable: ${last}`,
        `Could not reach ${o.baseUrl} within ${Math.round(o.timeoutMs / 1000)} s (${last}). Check the URL (--base-url, WANDB_BASE_URL) and the network, or wait longer with --timeout.`,
        {exitCode: ExitCode.NETWORK},
      )
    }
    o.report(`waiting for ${url}: ${last}, retrying for ${Math.ceil(remaining / 1000)} s more`)
    await o.clock.sleep(Math.min(wait, remaining), o.signal).catch(() => {})
    wait = Math.min(MAX_WAIT_MS, wait * 2)
  }
}

import {HttpClient, type RetryPolicy, type Transport} from '../api/index.ts'
import {errorMessage} from '../errors.ts'
import type {Logger} from '../observability/index.ts'

const PROBE_POLICY: RetryPolicy = {
  name: 'otel-probe',
  maxRetries: 0,
  waitMinMs: 0,
  waitMaxMs: 0,
  timeoutMs: 10_000,
  retryStatus: () => false,
}

/**
 * Go core's check, at every api_init, for the server's OpenTelemetry proxy: `POST
 * {base}/sdk/otel/v1/metrics` with an empty body and no credentials, one attempt of at most 10 s.
 * Resolves true unless the answer is 404 or 405 (or there is none). Nexus exports no telemetry;
 * the probe is sent so the server sees the same conversation as with Go core. Never rejects.
 */
export async function probeTelemetryProxy(o: {baseUrl: string; logger: Logger; transport?: Transport; fetch?: typeof fetch; signal?: AbortSignal}): Promise<boolean> {
  try {
    const http = new HttpClient({baseUrl: o.baseUrl, logger: o.logger, transport: o.transport, fetch: o.fetch})
    const res = await http.send({
      method: 'POST',
      url: http.url('sdk/otel/v1/metrics'),
      policy: PROBE_POLICY,
      auth: false,
      signal: o.signal,
      acceptStatus: () => true,
    })
    await res.body?.cancel()
    const supported = res.status !== 404 && res.status !== 405
    o.logger.debug('wbapi: telemetry proxy probed', {status: res.status, supported})
    return supported
  } catch (err) {
    o.logger.debug('wbapi: telemetry proxy probe failed', {error: errorMessage(err)})
    return false
  }
}

/**
 * The local W&B-compatible backend, importable from tests and benchmarks:
 *
 *   await using backend = await startBackend({quiet: true})
 *   // point clients at backend.url with backend.apiKey, then:
 *   const runs = await backend.inspectRuns()
 *
 * See README.md in this folder for the endpoints, the inspection API and fault rules.
 */
import {Auth} from './auth.ts'
import type {FaultRule} from './faults.ts'
import type {FileStreamTallyRow} from './filestream-tally.ts'
import type {InspectArtifact, InspectRun, InspectSweep} from './inspect.ts'
import type {InspectRequest, UnknownItem} from './request-log.ts'
import {BackendServer} from './server.ts'
import {Store} from './store/index.ts'

export type {FaultRule} from './faults.ts'
export type {FileStreamTallyRow} from './filestream-tally.ts'
export type {InspectArtifact, InspectRun, InspectSweep} from './inspect.ts'
export type {InspectRequest, UnknownItem} from './request-log.ts'

/** How to start a backend. */
export interface BackendOptions {
  /** TCP port on 127.0.0.1; 0 or absent picks a free one. */
  port?: number
  /** SQLite file for the state; absent = in memory. */
  dbPath?: string
  /** Accepted API keys; absent/empty = any key of ≥ 40 characters. */
  apiKeys?: string[]
  /** Suppress the per-request log lines (unknown GraphQL operations are still reported). */
  quiet?: boolean
  /** Serve HTTPS with this certificate and key (PEM); `url` is then https://127.0.0.1:PORT. */
  tls?: {cert: string; key: string}
}

/** A running backend. `stop()` (or `await using`) closes the server and the database. */
export interface Backend {
  /** "http://127.0.0.1:PORT" (https:// with the tls option; no trailing slash). */
  url: string
  port: number
  /** A valid API key (≥ 40 characters) for clients. */
  apiKey: string
  inspectRuns(): Promise<InspectRun[]>
  inspectArtifacts(): Promise<InspectArtifact[]>
  inspectSweeps(): Promise<InspectSweep[]>
  inspectRequests(): Promise<InspectRequest[]>
  /** Content lines and bytes file_stream received per run and file, re-sent lines counted again. */
  inspectFileStream(): Promise<FileStreamTallyRow[]>
  /** GraphQL root fields and nested fields the backend did not implement. */
  inspectUnknown(): Promise<UnknownItem[]>
  addFault(rule: FaultRule): Promise<void>
  clearFaults(): Promise<void>
  /** Deletes all state, the request log and the fault rules. */
  reset(): Promise<void>
  stop(): Promise<void>
  [Symbol.asyncDispose](): Promise<void>
}

/** The key tests use when no key list is configured: 40 × "a" plus a marker. */
export const DEFAULT_API_KEY = 'local-' + 'a'.repeat(40)

/**
 * Starts a backend on 127.0.0.1 and resolves once it accepts requests. The inspect* and fault
 * helpers go through the HTTP endpoints, exactly as an external process would.
 */
export async function startBackend(opts: BackendOptions = {}): Promise<Backend> {
  const store = new Store(opts.dbPath ?? ':memory:')
  let server: BackendServer
  try {
    server = new BackendServer({port: opts.port ?? 0, store, auth: new Auth(opts.apiKeys), quiet: opts.quiet ?? false, tls: opts.tls})
  } catch (e) {
    store.close()
    throw e
  }
  const url = server.url
  // the inspection calls trust the backend's own certificate
  const tls = opts.tls ? {tls: {ca: opts.tls.cert}} : {}
  const get = async <T>(route: string): Promise<T> => {
    const res = await fetch(`${url}/_inspect/${route}`, tls)
    if (!res.ok) throw new Error(`GET /_inspect/${route}: HTTP ${res.status} ${await res.text()}`)
    return (await res.json()) as T
  }
  const send = async (method: string, route: string, body?: unknown): Promise<void> => {
    const res = await fetch(`${url}/_inspect/${route}`, {...tls, method, body: body === undefined ? undefined : JSON.stringify(body), headers: {'Content-Type': 'application/json'}})
    if (!res.ok) throw new Error(`${method} /_inspect/${route}: HTTP ${res.status} ${await res.text()}`)
  }
  let stopped = false
  const stop = async () => {
    if (stopped) return
    stopped = true
    await server.stop()
    store.close()
  }
  return {
    url,
    port: server.port,
    apiKey: opts.apiKeys?.[0] ?? DEFAULT_API_KEY,
    inspectRuns: () => get<InspectRun[]>('runs'),
    inspectArtifacts: () => get<InspectArtifact[]>('artifacts'),
    inspectSweeps: () => get<InspectSweep[]>('sweeps'),
    inspectRequests: () => get<InspectRequest[]>('requests'),
    inspectFileStream: () => get<FileStreamTallyRow[]>('filestream'),
    inspectUnknown: () => get<UnknownItem[]>('unknown'),
    addFault: (rule) => send('POST', 'faults', rule),
    clearFaults: () => send('DELETE', 'faults'),
    reset: () => send('POST', 'reset'),
    stop,
    [Symbol.asyncDispose]: stop,
  }
}

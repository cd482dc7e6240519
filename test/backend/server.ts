/**
 * The HTTP front door (Bun.serve on 127.0.0.1): routing, authentication, fault injection and the
 * request log. Endpoints:
 *   POST /graphql                                   GraphQL (graphql/handler.ts)
 *   POST /files/{entity}/{project}/{run}/file_stream  file_stream (filestream.ts)
 *   PUT|GET /_storage/…                             signed-URL storage (storage.ts), no auth
 *   GET /artifactsV2/…, /artifacts/{entity}/{md5}   artifact download fallbacks (auth)
 *   POST /sdk/otel/v1/{metrics,logs}                404 (telemetry proxy not supported)
 *   /_inspect/…                                     inspection API (inspect-routes.ts), never faulted or logged
 */
import type {Server} from 'bun'
import type {Auth} from './auth.ts'
import {FaultInjector} from './faults.ts'
import type {Ctx} from './graphql/context.ts'
import {executeGraphql, parseGraphqlRequest} from './graphql/handler.ts'
import {handleFileStream} from './filestream.ts'
import {FileStreamTally} from './filestream-tally.ts'
import {handleInspect} from './inspect-routes.ts'
import {RequestLog, type InspectRequest} from './request-log.ts'
import {handleArtifactDownload, handleStorage, type StorageResult} from './storage.ts'
import type {Store} from './store/index.ts'
import {SweepController} from './sweeps/controller.ts'

/** Largest accepted request body (multipart parts are 100 MiB; whole files may be larger). */
const MAX_BODY_BYTES = 8 * 1024 ** 3
/** Seconds a connection may idle; long enough for delay faults and slow clients. */
const IDLE_TIMEOUT_S = 255

/** What the server needs. */
export interface ServerOptions {
  port: number
  store: Store
  auth: Auth
  quiet: boolean
  /** Serve HTTPS with this certificate and key (PEM). */
  tls?: {cert: string; key: string}
}

/** A running backend HTTP server. `stop()` closes it (idempotent); the store stays open. */
export class BackendServer {
  readonly faults = new FaultInjector()
  readonly requests = new RequestLog()
  readonly fileStreamTally = new FileStreamTally()
  readonly sweeps: SweepController
  readonly url: string
  readonly port: number
  private readonly server: Server<undefined>
  private stopped = false

  constructor(private readonly opts: ServerOptions) {
    this.sweeps = new SweepController(opts.store)
    this.server = Bun.serve({
      hostname: '127.0.0.1',
      port: opts.port,
      idleTimeout: IDLE_TIMEOUT_S,
      maxRequestBodySize: MAX_BODY_BYTES,
      ...(opts.tls ? {tls: opts.tls} : {}),
      fetch: (req) => this.handle(req),
      error: (e) => {
        console.error('[backend] internal error:', e)
        return json(500, {errors: [{message: `internal error: ${e.message}`}]})
      },
    })
    this.port = this.server.port as number
    this.url = `${opts.tls ? 'https' : 'http'}://127.0.0.1:${this.port}`
  }

  /** Stops accepting requests and closes open connections. Idempotent. */
  async stop(): Promise<void> {
    if (this.stopped) return
    this.stopped = true
    await this.server.stop(true)
  }

  private log(line: string): void {
    if (!this.opts.quiet) console.log(`[backend] ${line}`)
  }

  private async handle(req: Request): Promise<Response> {
    const url = new URL(req.url)
    const path = url.pathname
    if (path.startsWith('/_inspect/')) return handleInspect(this, this.opts.store, req, path.slice('/_inspect/'.length))

    const entry: InspectRequest = {method: req.method, path, operation: null, status: 0}
    const body = req.method === 'POST' || req.method === 'PUT' ? new Uint8Array(await req.arrayBuffer()) : null
    const gql = path === '/graphql' && req.method === 'POST' && body ? parseGraphqlRequest(body) : null
    if (gql && 'name' in gql) entry.operation = gql.name

    const fault = this.faults.decide(req.method, path, entry.operation)
    if (fault) {
      entry.fault = fault.action
      if (fault.action === 'reset') {
        this.requests.add(entry)
        this.log(`${req.method} ${path} ${entry.operation ?? ''} → connection reset (fault)`)
        return new Response(new ReadableStream({pull: (c) => c.error()}))
      }
      if (fault.action === 'status') {
        entry.status = fault.status ?? 500
        this.requests.add(entry)
        const headers: Record<string, string> = fault.retryAfter !== undefined ? {'Retry-After': String(fault.retryAfter)} : {}
        this.log(`${req.method} ${path} ${entry.operation ?? ''} → ${entry.status} (fault)`)
        return json(entry.status, {errors: [{message: `injected fault: HTTP ${entry.status}`}]}, headers)
      }
      await Bun.sleep(fault.delayMs ?? 1000)
    }

    let res: Response
    try {
      res = this.route(req, url, path, body, gql)
    } catch (e) {
      // A request the backend cannot handle is the client's problem or a backend bug; either way
      // answer 400 (final for every client) rather than a 5xx that clients retry for days.
      console.error(`[backend] ${req.method} ${path} failed:`, e)
      res = json(400, {errors: [{message: `bad request: ${(e as Error).message}`}]})
    }
    entry.status = res.status
    this.requests.add(entry)
    this.log(`${req.method} ${path} ${entry.operation ?? ''} → ${res.status}`)
    return res
  }

  private route(req: Request, url: URL, path: string, body: Uint8Array | null, gql: ReturnType<typeof parseGraphqlRequest> | null): Response {
    const store = this.opts.store
    if (path === '/graphql' && req.method === 'POST') {
      const viewer = this.opts.auth.authenticate(req.headers.get('authorization'))
      if (!viewer) return json(401, {errors: [{message: 'user is not logged in'}]})
      if (!gql || 'error' in gql) return json(400, {errors: [{message: gql?.error ?? 'empty request'}]})
      const ctx: Ctx = {store, viewer, sweeps: this.sweeps, baseUrl: this.url, log: (l) => this.log(l)}
      const result = executeGraphql(gql, ctx, this.requests)
      return json(result.status, result.body)
    }
    const fs = /^\/files\/([^/]+)\/([^/]+)\/([^/]+)\/file_stream$/.exec(path)
    if (fs && req.method === 'POST') {
      if (!this.opts.auth.authenticate(req.headers.get('authorization'))) return json(401, {error: 'user is not logged in'})
      const gzip = (req.headers.get('content-encoding') ?? '').toLowerCase().includes('gzip')
      const [entity, project, run] = fs.slice(1).map(decodeURIComponent)
      const result = handleFileStream(store, entity, project, run, body ?? new Uint8Array(), gzip, this.fileStreamTally)
      return json(result.status, result.body)
    }
    if (path.startsWith('/_storage/')) {
      return storageResponse(handleStorage(store, req.method, path.slice('/_storage/'.length), body, req.headers.get('range')))
    }
    if ((path.startsWith('/artifactsV2/') || path.startsWith('/artifacts/')) && req.method === 'GET') {
      if (!this.opts.auth.authenticate(req.headers.get('authorization'))) return json(401, {error: 'user is not logged in'})
      return storageResponse(handleArtifactDownload(store, path, req.headers.get('range')))
    }
    if (path.startsWith('/sdk/otel/')) return new Response('not found', {status: 404})
    if (path === '/' || path === '/healthz') return json(200, {ok: true})
    this.log(`unhandled ${req.method} ${path}${url.search}`)
    return new Response('not found', {status: 404})
  }
}

/** A JSON response. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {status, headers: {'Content-Type': 'application/json', ...headers}})
}

function storageResponse(r: StorageResult): Response {
  return new Response((r.body ?? '') as BodyInit, {status: r.status, headers: r.headers})
}

/**
 * A loopback fake of the W&B server for wbapi tests. Records every request (method, path,
 * headers, body text) and answers:
 *
 * - `POST /graphql`: the `graphql` hook, given the parsed body and the operation name read from
 *   the document (passthrough requests carry `operationName: ""`); default `{"data": {}}`;
 * - `POST /sdk/otel/v1/metrics`: 404 (no telemetry proxy), unless the `route` hook answers;
 * - `PUT /files/{name}` stores the body; `GET|HEAD /files/{name}` serves it (404 when absent);
 * - anything else: the `route` hook, else 404.
 *
 * Call `stop()` in the test: the leak guard fails tests that leave it running.
 */
export interface RecordedRequest {
  method: string
  path: string
  headers: Headers
  body: string
}

export interface GraphQLBody {
  query: string
  variables?: Record<string, any> | null
  operationName?: string
}

export type Answer = Response | undefined | Promise<Response | undefined>

export interface FakeHooks {
  graphql?: (body: GraphQLBody, op: string, req: RecordedRequest) => Answer
  route?: (req: RecordedRequest) => Answer
}

const OPERATION = /^\s*(?:query|mutation|subscription)\s+(\w+)/m

export class FakeWandbApi {
  readonly requests: RecordedRequest[] = []
  readonly stored = new Map<string, Uint8Array<ArrayBuffer>>()
  hooks: FakeHooks
  readonly #server: ReturnType<typeof Bun.serve>

  constructor(hooks: FakeHooks = {}) {
    this.hooks = hooks
    this.#server = Bun.serve({hostname: '127.0.0.1', port: 0, fetch: (req) => this.#handle(req)})
  }

  get url(): string {
    return `http://127.0.0.1:${this.#server.port}`
  }

  /** Recorded GraphQL requests, parsed, with the operation name found in the document. */
  get graphql(): Array<GraphQLBody & {op: string; raw: string; headers: Headers}> {
    return this.requests
      .filter((r) => r.path === '/graphql')
      .map((r) => {
        const body = JSON.parse(r.body) as GraphQLBody
        return {...body, op: OPERATION.exec(body.query)?.[1] ?? '', raw: r.body, headers: r.headers}
      })
  }

  /** Recorded requests to `path`. */
  to(path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path === path)
  }

  stop(): void {
    this.#server.stop(true)
  }

  async #handle(req: Request): Promise<Response> {
    const url = new URL(req.url)
    const bytes = new Uint8Array(await req.arrayBuffer())
    const rec: RecordedRequest = {method: req.method, path: url.pathname, headers: req.headers, body: new TextDecoder().decode(bytes)}
    this.requests.push(rec)
    const hooked = await this.hooks.route?.(rec)
    if (hooked) return hooked
    if (url.pathname === '/graphql' && req.method === 'POST') {
      const body = JSON.parse(rec.body) as GraphQLBody
      const answer = await this.hooks.graphql?.(body, OPERATION.exec(body.query)?.[1] ?? '', rec)
      return answer ?? Response.json({data: {}})
    }
    if (url.pathname.startsWith('/files/')) {
      const name = url.pathname.slice('/files/'.length)
      if (req.method === 'PUT') {
        this.stored.set(name, bytes)
        return new Response(null, {status: 200})
      }
      const data = this.stored.get(name)
      if (!data) return new Response('no such file', {status: 404})
      return new Response(req.method === 'HEAD' ? null : data, {headers: {'content-length': String(data.length)}})
    }
    return new Response('not found', {status: 404})
  }
}

/** A GraphQL answer with `data`. */
export const gqlData = (data: unknown): Response => Response.json({data})

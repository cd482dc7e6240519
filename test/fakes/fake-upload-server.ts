/**
 * A loopback fake of the W&B server's upload side, for file_stream, run-file and transfer tests:
 *
 * - `POST /files/{entity}/{project}/{run}/file_stream`: records the body and, when the answer is
 *   2xx, applies it like the server (lines `[offset, offset+n)` are set, not appended); answers
 *   `{"exitcode": null, "limits": {}}` unless a hook answers.
 * - `POST /graphql` CreateRunFiles: one `{name, uploadUrl}` per requested name, pointing at this
 *   server's `PUT /_storage/{name}`; other operations answer `{"data": {}}`.
 * - `PUT /_storage/{name}` stores the bytes (no auth required); `GET /_storage/{name}` serves them.
 *
 * Hooks may answer instead (return a Response) or fall through (return undefined). `waitFor`
 * resolves when a condition over the recorded requests holds (checked after every request).
 * Call `stop()` in the test (the leak guard fails tests that leave it running).
 */
import type {FileStreamRequestBody} from '../../src/core/filestream/index.ts'

export interface RecordedFileStreamRequest {
  path: string
  headers: Headers
  body: FileStreamRequestBody
  status: number
}

export interface RecordedPut {
  name: string
  headers: Headers
  body: Uint8Array
  status: number
}

export interface RecordedGraphQL {
  operationName: string
  query: string
  variables: Record<string, any>
  headers: Headers
}

export interface FakeUploadServerHooks {
  fileStream?: (body: FileStreamRequestBody, n: number) => Response | undefined | Promise<Response | undefined>
  createRunFiles?: (names: string[], n: number, self: FakeUploadServer) => Response | undefined | Promise<Response | undefined>
  put?: (name: string, n: number) => Response | undefined | Promise<Response | undefined>
}

export class FakeUploadServer {
  readonly fileStreamRequests: RecordedFileStreamRequest[] = []
  readonly graphql: RecordedGraphQL[] = []
  readonly puts: RecordedPut[] = []
  readonly stored = new Map<string, Uint8Array>()
  /** The server-side state of the four file_stream files. */
  readonly files: Record<string, string[]> = {'wandb-history.jsonl': [], 'wandb-events.jsonl': [], 'wandb-summary.json': [], 'output.log': []}
  readonly uploadedNames = new Set<string>()
  activePuts = 0
  maxActivePuts = 0
  readonly #server: ReturnType<typeof Bun.serve>
  readonly #hooks: FakeUploadServerHooks
  #checks: Array<() => void> = []

  constructor(hooks: FakeUploadServerHooks = {}) {
    this.#hooks = hooks
    this.#server = Bun.serve({hostname: '127.0.0.1', port: 0, maxRequestBodySize: 256 * 1024 * 1024, fetch: (req) => this.#handle(req)})
  }

  get url(): string {
    return `http://127.0.0.1:${this.#server.port}`
  }

  /** The URL handed out for `name`. */
  storageUrl(name: string): string {
    return `${this.url}/_storage/${name}?token=t0k3n`
  }

  /** Resolves once `cond()` holds; rejects after `timeoutMs` as a guard against a hung test. */
  waitFor(cond: () => boolean, what = 'condition', timeoutMs = 10_000): Promise<void> {
    if (cond()) return Promise.resolve()
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`fake server: timed out waiting for ${what}`)), timeoutMs)
      const check = () => {
        if (!cond()) return
        clearTimeout(timer)
        this.#checks = this.#checks.filter((c) => c !== check)
        resolve()
      }
      this.#checks.push(check)
    })
  }

  stop(): void {
    this.#server.stop(true)
  }

  #changed(): void {
    for (const c of [...this.#checks]) c()
  }

  async #handle(req: Request): Promise<Response> {
    const url = new URL(req.url)
    try {
      if (req.method === 'POST' && /^\/files\/[^/]+\/[^/]+\/[^/]+\/file_stream$/.test(url.pathname)) return await this.#fileStream(req, url)
      if (req.method === 'POST' && url.pathname === '/graphql') return await this.#graphql(req)
      if (url.pathname.startsWith('/_storage/')) return await this.#storage(req, decodeURIComponent(url.pathname.slice('/_storage/'.length)))
      return new Response('not found', {status: 404})
    } finally {
      queueMicrotask(() => this.#changed())
    }
  }

  async #fileStream(req: Request, url: URL): Promise<Response> {
    const body = JSON.parse(await req.text()) as FileStreamRequestBody
    const n = this.fileStreamRequests.length + 1
    const record: RecordedFileStreamRequest = {path: url.pathname, headers: req.headers, body, status: 0}
    this.fileStreamRequests.push(record)
    queueMicrotask(() => this.#changed())
    const res = (await this.#hooks.fileStream?.(body, n)) ?? Response.json({exitcode: null, limits: {}})
    record.status = res.status
    if (res.status >= 200 && res.status < 300) {
      for (const [name, chunk] of Object.entries(body.files ?? {})) {
        const lines = (this.files[name] ??= [])
        chunk.content.forEach((line, i) => (lines[chunk.offset + i] = line))
      }
      for (const name of body.uploaded ?? []) this.uploadedNames.add(name)
    }
    return res
  }

  async #graphql(req: Request): Promise<Response> {
    const parsed = (await req.json()) as {query: string; operationName: string; variables: Record<string, any>}
    this.graphql.push({...parsed, headers: req.headers})
    if (parsed.operationName !== 'CreateRunFiles') return Response.json({data: {}})
    const names = parsed.variables.files as string[]
    const n = this.graphql.filter((g) => g.operationName === 'CreateRunFiles').length
    const hooked = await this.#hooks.createRunFiles?.(names, n, this)
    if (hooked) return hooked
    return Response.json({
      data: {createRunFiles: {runID: 'storage-id', uploadHeaders: [], files: names.map((name) => ({name, uploadUrl: this.storageUrl(name)}))}},
    })
  }

  async #storage(req: Request, name: string): Promise<Response> {
    if (req.method === 'GET') {
      const data = this.stored.get(name)
      return data ? new Response(data as Uint8Array<ArrayBuffer>) : new Response('missing', {status: 404})
    }
    if (req.method !== 'PUT') return new Response('method', {status: 405})
    this.activePuts++
    this.maxActivePuts = Math.max(this.maxActivePuts, this.activePuts)
    queueMicrotask(() => this.#changed())
    try {
      const body = new Uint8Array(await req.arrayBuffer())
      const n = this.puts.length + 1
      const record: RecordedPut = {name, headers: req.headers, body, status: 0}
      this.puts.push(record)
      const res = (await this.#hooks.put?.(name, n)) ?? new Response('')
      record.status = res.status
      if (res.status >= 200 && res.status < 300) this.stored.set(name, body)
      return res
    } finally {
      this.activePuts--
    }
  }
}

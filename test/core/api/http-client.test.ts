import {afterEach, describe, expect, test} from 'bun:test'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {GRAPHQL_POLICY, GraphQLClient, GraphQLError, HttpClient, NetworkPeeker, basicAuthorization, serverWaitMs, type RetryPolicy} from '../../../src/core/api/index.ts'
import {HttpError, NetworkError, TimeoutError} from '../../../src/core/errors.ts'
import {nullLogger} from '../../../src/core/observability/index.ts'

const FAST: RetryPolicy = {...GRAPHQL_POLICY, name: 'fast', maxRetries: 3, waitMinMs: 10, waitMaxMs: 20, timeoutMs: 2000}
const KEY = 'k'.repeat(40)

let servers: Array<{stop: (force?: boolean) => void}> = []
afterEach(() => {
  for (const s of servers) s.stop(true)
  servers = []
})

function serve(handler: (req: Request, n: number) => Response | Promise<Response>) {
  let n = 0
  const requests: Request[] = []
  const bodies: string[] = []
  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    fetch: async (req) => {
      requests.push(req)
      bodies.push(await req.clone().text())
      return handler(req, ++n)
    },
  })
  servers.push(server)
  return {url: `http://127.0.0.1:${server.port}`, requests, bodies, count: () => n}
}

function client(baseUrl: string, extra: Partial<ConstructorParameters<typeof HttpClient>[0]> = {}) {
  return new HttpClient({baseUrl, authorization: () => basicAuthorization(KEY), logger: nullLogger, ...extra})
}

describe('HttpClient', () => {
  test('retries a 500 until the server answers, POST included', async () => {
    const s = serve((_r, n) => (n < 3 ? new Response('boom', {status: 500}) : new Response('ok')))
    const res = await client(s.url).send({method: 'POST', url: `${s.url}/graphql`, body: 'x', policy: FAST})
    expect(await res.text()).toBe('ok')
    expect(s.count()).toBe(3)
    expect(s.bodies).toEqual(['x', 'x', 'x'])
  })

  test('a 400 is not retried and becomes an HttpError with the body', async () => {
    const s = serve(() => new Response('bad input', {status: 400}))
    const err = await client(s.url)
      .send({method: 'POST', url: `${s.url}/graphql`, policy: FAST})
      .catch((e) => e)
    expect(err).toBeInstanceOf(HttpError)
    expect((err as HttpError).status).toBe(400)
    expect((err as HttpError).bodySnippet).toBe('bad input')
    expect(s.count()).toBe(1)
  })

  test("honours Retry-After on 429, beyond the policy's maximum wait", async () => {
    const s = serve((_r, n) => (n === 1 ? new Response('slow down', {status: 429, headers: {'retry-after': '1'}}) : new Response('ok')))
    const t0 = performance.now()
    await client(s.url).send({method: 'GET', url: `${s.url}/x`, policy: FAST})
    expect(performance.now() - t0).toBeGreaterThanOrEqual(950)
    expect(s.count()).toBe(2)
  })

  test('gives up after maxRetries with the last status', async () => {
    const s = serve(() => new Response('down', {status: 503}))
    const err = await client(s.url)
      .send({method: 'GET', url: `${s.url}/x`, policy: FAST})
      .catch((e) => e)
    expect((err as HttpError).status).toBe(503)
    expect(s.count()).toBe(FAST.maxRetries + 1)
  })

  test('credentials go only to URLs under the base URL', async () => {
    const s = serve(() => new Response('ok'))
    const other = serve(() => new Response('ok'))
    const c = client(`${s.url}/prefix`)
    await c.send({method: 'GET', url: `${s.url}/prefix/graphql`, policy: FAST})
    await c.send({method: 'PUT', url: `${other.url}/prefix/upload`, policy: FAST, body: 'b'})
    await c.send({method: 'GET', url: `${s.url}/elsewhere`, policy: FAST})
    expect(s.requests[0].headers.get('authorization')).toBe(basicAuthorization(KEY))
    expect(other.requests[0].headers.get('authorization')).toBeNull()
    expect(s.requests[1].headers.get('authorization')).toBeNull()
  })

  test('extra headers are added without overriding explicit ones', async () => {
    const s = serve(() => new Response('ok'))
    const c = client(s.url, {extraHeaders: {'X-Extra': 'e', 'Content-Type': 'text/nope'}})
    await c.send({method: 'POST', url: `${s.url}/a`, policy: FAST, headers: {'content-type': 'application/json'}, body: '{}'})
    expect(s.requests[0].headers.get('x-extra')).toBe('e')
    expect(s.requests[0].headers.get('content-type')).toBe('application/json')
  })

  test('a refused connection is retried and then reported as a NetworkError', async () => {
    const s = serve(() => new Response('ok'))
    const url = s.url
    servers[0].stop(true)
    servers = []
    const t0 = performance.now()
    const err = await client(url)
      .send({method: 'GET', url: `${url}/x`, policy: FAST})
      .catch((e) => e)
    expect(err).toBeInstanceOf(NetworkError)
    expect(performance.now() - t0).toBeGreaterThanOrEqual(25) // 3 waits of ≥ 10 ms
  })

  test('a slow attempt times out and is retried', async () => {
    const s = serve(async (_r, n) => {
      if (n === 1) await Bun.sleep(400)
      return new Response('ok')
    })
    const res = await client(s.url).send({method: 'GET', url: `${s.url}/x`, policy: {...FAST, timeoutMs: 100}})
    expect(await res.text()).toBe('ok')
    expect(s.count()).toBe(2)
  })

  test('all attempts timing out ends in a TimeoutError', async () => {
    const s = serve(async () => {
      await Bun.sleep(300)
      return new Response('late')
    })
    const err = await client(s.url)
      .send({method: 'GET', url: `${s.url}/x`, policy: {...FAST, maxRetries: 1, timeoutMs: 50}})
      .catch((e) => e)
    expect(err).toBeInstanceOf(TimeoutError)
  })

  test('a file body is sent whole again on every retry', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'http-'))
    try {
      const path = join(dir, 'f.bin')
      const data = Buffer.alloc(3 * 1024 * 1024, 7)
      data[12345] = 1
      writeFileSync(path, data)
      const sizes: number[] = []
      const s = serve(async (req, n) => {
        sizes.push((await req.arrayBuffer()).byteLength)
        return n < 2 ? new Response('later', {status: 502}) : new Response('stored')
      })
      await client(s.url).send({method: 'PUT', url: `${s.url}/u`, body: Bun.file(path), policy: FAST, headers: {'content-type': 'application/octet-stream'}})
      expect(sizes).toEqual([data.length, data.length])
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })

  test('failed responses are kept for network_status', async () => {
    const peeker = new NetworkPeeker()
    const s = serve((_r, n) => (n === 1 ? new Response('busy', {status: 503}) : new Response('ok')))
    await client(s.url, {peeker}).send({method: 'GET', url: `${s.url}/x`, policy: FAST})
    expect(peeker.drain()).toEqual([{status: 503, text: 'busy'}])
    expect(peeker.size).toBe(0)
  })

  test('aborting the signal stops the retry wait at once', async () => {
    const s = serve(() => new Response('down', {status: 503}))
    const ctl = new AbortController()
    const slow: RetryPolicy = {...FAST, waitMinMs: 10_000, waitMaxMs: 10_000}
    const t0 = performance.now()
    const p = client(s.url)
      .send({method: 'GET', url: `${s.url}/x`, policy: slow, signal: ctl.signal})
      .catch((e) => e)
    setTimeout(() => ctl.abort(new Error('shutting down')), 100)
    const err = await p
    expect(performance.now() - t0).toBeLessThan(3000)
    expect(String(err)).toContain('shutting down')
  })
})

describe('GraphQLClient', () => {
  test('sends query, variables and operationName and returns data', async () => {
    const s = serve(() => Response.json({data: {viewer: {entity: 'alice'}}}))
    const gql = new GraphQLClient(client(s.url))
    const data = await gql.request<{viewer: {entity: string}}>({query: 'query Viewer { viewer { entity } }', operationName: 'Viewer'})
    expect(data.viewer.entity).toBe('alice')
    expect(JSON.parse(s.bodies[0])).toEqual({query: 'query Viewer { viewer { entity } }', variables: {}, operationName: 'Viewer'})
    expect(s.requests[0].headers.get('x-wandb-username')).toBe('')
  })

  test('HTTP 200 with errors is a GraphQLError and is not retried', async () => {
    const s = serve(() => Response.json({data: null, errors: [{message: 'nope'}]}))
    const err = await new GraphQLClient(client(s.url)).request({query: 'q', operationName: 'Q'}, {policy: FAST}).catch((e) => e)
    expect(err).toBeInstanceOf(GraphQLError)
    expect((err as GraphQLError).messages).toEqual(['nope'])
    expect(s.count()).toBe(1)
  })

  test('passthrough returns the status and body unchanged, even for errors', async () => {
    const s = serve(() => new Response('{"errors":["denied"]}', {status: 403}))
    const raw = await new GraphQLClient(client(s.url)).passthrough('query { x }', {a: 1})
    expect(raw).toEqual({status: 403, body: '{"errors":["denied"]}'})
    expect(JSON.parse(s.bodies[0]).operationName).toBe('')
  })
})

describe('serverWaitMs', () => {
  test('reads seconds, HTTP dates and RateLimit-Reset', () => {
    expect(serverWaitMs(new Headers({'retry-after': '2.5'}))).toBe(2500)
    expect(serverWaitMs(new Headers({'retry-after': new Date(10_000).toUTCString()}), 4000)).toBe(6000)
    expect(serverWaitMs(new Headers({'ratelimit-remaining': '0', 'ratelimit-reset': '3'}))).toBe(3000)
    expect(serverWaitMs(new Headers({'ratelimit-remaining': '5', 'ratelimit-reset': '3'}))).toBeUndefined()
    expect(serverWaitMs(new Headers({'retry-after': 'soon'}))).toBeUndefined()
  })
})

import {describe, expect, test} from 'bun:test'
import {startBackend} from '../../backend/index.ts'
import {ApiKeyRejectedError, ServerUnreachableError} from '../../../src/core/credentials/errors.ts'
import {fetchIdentity} from '../../../src/core/credentials/viewer.ts'
import {testKey} from './helpers.ts'

/** A port nothing listens on: bound by a server that is stopped at once. */
function closedPort(): number {
  const s = Bun.serve({port: 0, hostname: '127.0.0.1', fetch: () => new Response('')})
  const port = s.port!
  s.stop(true)
  return port
}

/** A server answering every request with `body` (status 200); disposing it stops it. */
function viewerServer(body: unknown) {
  const server = Bun.serve({port: 0, hostname: '127.0.0.1', fetch: () => new Response(typeof body === 'string' ? body : JSON.stringify(body))})
  return {url: `http://127.0.0.1:${server.port}`, [Symbol.dispose]: () => void server.stop(true)}
}

describe('fetchIdentity', () => {
  test('returns the account of a valid key', async () => {
    await using backend = await startBackend({quiet: true})
    const id = await fetchIdentity({baseUrl: backend.url, apiKey: backend.apiKey})
    expect(id).toEqual({username: 'nexus', entity: 'nexus', email: 'nexus@localhost', teams: ['nexus']})
    const requests = await backend.inspectRequests()
    expect(requests.map((r) => r.operation)).toEqual(['Viewer'])
  })

  test('reports a 401 as a rejected key with exit code 4, without retrying', async () => {
    await using backend = await startBackend({quiet: true, apiKeys: [testKey(1)]})
    const err = await fetchIdentity({baseUrl: backend.url, apiKey: testKey(2)}).catch((e) => e)
    expect(err).toBeInstanceOf(ApiKeyRejectedError)
    expect(err).toMatchObject({status: 401, exitCode: 4})
    expect(err.userText).toContain('HTTP 401')
    expect(err.userText).not.toContain(testKey(2))
    expect((await backend.inspectRequests()).length).toBe(1)
  })

  test('fails within seconds with exit code 5 when nothing listens on the port', async () => {
    const started = performance.now()
    const err = await fetchIdentity({baseUrl: `http://127.0.0.1:${closedPort()}`, apiKey: testKey()}).catch((e) => e)
    expect(err).toBeInstanceOf(ServerUnreachableError)
    expect(err.exitCode).toBe(5)
    expect(err.userText).toContain('cannot connect')
    expect(performance.now() - started).toBeLessThan(5000)
  })

  test('gives up on a server that keeps answering 500, after the short login retries', async () => {
    await using backend = await startBackend({quiet: true})
    await backend.addFault({match: {path: '/graphql'}, action: 'status', status: 500})
    const err = await fetchIdentity({baseUrl: backend.url, apiKey: backend.apiKey}).catch((e) => e)
    expect(err).toBeInstanceOf(ServerUnreachableError)
    expect(err.userText).toContain('HTTP 500')
    expect((await backend.inspectRequests()).length).toBe(3)
  })

  test('stops at the overall deadline when the server never answers', async () => {
    const silent = Bun.serve({port: 0, hostname: '127.0.0.1', fetch: () => new Promise<Response>((r) => setTimeout(() => r(new Response('')), 3000))})
    try {
      const err = await fetchIdentity({baseUrl: `http://127.0.0.1:${silent.port}`, apiKey: testKey(), deadlineMs: 300}).catch((e) => e)
      expect(err).toBeInstanceOf(ServerUnreachableError)
      expect(err.userText).toContain('did not answer in time')
    } finally {
      silent.stop(true)
    }
  })

  test('treats viewer: null and GraphQL errors as a rejected key', async () => {
    using nullViewer = viewerServer({data: {viewer: null}})
    expect(await fetchIdentity({baseUrl: nullViewer.url, apiKey: testKey()}).catch((e) => e)).toBeInstanceOf(ApiKeyRejectedError)
    using errors = viewerServer({errors: [{message: 'permission denied'}], data: null})
    const err = await fetchIdentity({baseUrl: errors.url, apiKey: testKey()}).catch((e) => e)
    expect(err).toBeInstanceOf(ApiKeyRejectedError)
    expect(err.userText).toContain('permission denied')
  })

  test('says the answer is not from a W&B server when it is not JSON', async () => {
    using html = viewerServer('<html>login page</html>')
    const err = await fetchIdentity({baseUrl: html.url, apiKey: testKey()}).catch((e) => e)
    expect(err).toBeInstanceOf(ServerUnreachableError)
    expect(err.userText).toContain('not JSON')
  })

  test('reads a service account: its default entity is the team', async () => {
    using sa = viewerServer({data: {viewer: {id: 'x', username: 'ci-bot', entity: 'ml-team', email: null, flags: null, teams: {edges: [{node: {name: 'ml-team'}}]}}}})
    expect(await fetchIdentity({baseUrl: sa.url, apiKey: testKey()})).toEqual({username: 'ci-bot', entity: 'ml-team', email: '', teams: ['ml-team']})
  })
})

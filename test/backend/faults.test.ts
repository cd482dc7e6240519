/** Fault rules: status (with Retry-After), delay, reset; matching by path prefix/regex and operation. */
import {afterEach, beforeAll, afterAll, expect, test} from 'bun:test'
import {basicAuth, gql} from './gql-client.ts'
import {startBackend, type Backend} from './index.ts'

const VIEWER = 'query Viewer { viewer { id } }'
const FEATURES = 'query ServerFeaturesQuery { serverInfo { features { name isEnabled } } }'

let backend: Backend
beforeAll(async () => {
  backend = await startBackend({quiet: true})
})
afterAll(() => backend.stop())
afterEach(() => backend.clearFaults())

test('a status rule answers its status with Retry-After, only `times` times, and is logged as a fault', async () => {
  await backend.addFault({match: {path: '/graphql'}, action: 'status', status: 429, retryAfter: 2, times: 1})
  const res = await fetch(`${backend.url}/graphql`, {method: 'POST', headers: {Authorization: basicAuth(backend.apiKey)}, body: JSON.stringify({query: VIEWER})})
  expect(res.status).toBe(429)
  expect(res.headers.get('retry-after')).toBe('2')
  expect((await gql(backend, VIEWER)).status).toBe(200)
  const log = (await backend.inspectRequests()).slice(-2)
  expect(log).toEqual([
    {method: 'POST', path: '/graphql', operation: 'Viewer', status: 429, fault: 'status'},
    {method: 'POST', path: '/graphql', operation: 'Viewer', status: 200},
  ])
})

test('operation rules match the operation name parsed from the document, not the request', async () => {
  await backend.addFault({match: {operation: 'ServerFeaturesQuery'}, action: 'status', status: 503})
  expect((await gql(backend, VIEWER)).status).toBe(200)
  expect((await gql(backend, FEATURES)).status).toBe(503)
  expect((await gql(backend, FEATURES.replace('query ServerFeaturesQuery', 'query Other'))).status).toBe(200)
})

test('a path starting with ^ is a regular expression; others are prefixes', async () => {
  await backend.addFault({match: {path: '^/files/[^/]+/special/'}, action: 'status', status: 502})
  await backend.addFault({match: {path: '/sdk/'}, action: 'status', status: 500})
  const post = (path: string) => fetch(`${backend.url}${path}`, {method: 'POST', headers: {Authorization: basicAuth(backend.apiKey)}, body: '{}'})
  expect((await post('/files/e/special/r/file_stream')).status).toBe(502)
  expect((await post('/files/e/other/r/file_stream')).status).toBe(404) // unknown run, but not faulted
  expect((await post('/sdk/otel/v1/metrics')).status).toBe(500)
})

test('probability 0 never fires, probability 1 always does', async () => {
  await backend.addFault({match: {path: '/graphql'}, action: 'status', status: 500, probability: 0})
  for (let i = 0; i < 5; i++) expect((await gql(backend, VIEWER)).status).toBe(200)
  await backend.clearFaults()
  await backend.addFault({match: {path: '/graphql'}, action: 'status', status: 500, probability: 1})
  for (let i = 0; i < 5; i++) expect((await gql(backend, VIEWER)).status).toBe(500)
})

test('a delay rule adds latency and then answers normally', async () => {
  await backend.addFault({match: {path: '/graphql'}, action: 'delay', delayMs: 400, times: 1})
  const t0 = performance.now()
  const r = await gql(backend, VIEWER)
  expect(r.status).toBe(200)
  expect(performance.now() - t0).toBeGreaterThanOrEqual(380)
})

test('a reset rule drops the connection without a response', async () => {
  await backend.addFault({match: {path: '/graphql', method: 'POST'}, action: 'reset', times: 1})
  await expect(gql(backend, VIEWER)).rejects.toThrow()
  expect((await gql(backend, VIEWER)).status).toBe(200)
})

test('invalid rules are rejected with 400; DELETE clears all rules', async () => {
  const post = (body: unknown) => fetch(`${backend.url}/_inspect/faults`, {method: 'POST', body: JSON.stringify(body)})
  expect((await post({match: {}, action: 'explode'})).status).toBe(400)
  expect((await post({action: 'status'})).status).toBe(400)
  expect((await post({match: {path: '^('}, action: 'status'})).status).toBe(400)
  expect((await post([{match: {path: '/graphql'}, action: 'status', status: 500}])).status).toBe(200)
  expect((await gql(backend, VIEWER)).status).toBe(500)
  expect((await fetch(`${backend.url}/_inspect/faults`, {method: 'DELETE'})).status).toBe(200)
  expect((await gql(backend, VIEWER)).status).toBe(200)
})

import {afterEach, describe, expect, test} from 'bun:test'
import type {ApiResponse, GraphQLRequest} from '../../../src/core/proto.ts'
import {FakeWandbApi, gqlData} from './fake-wandb-api.ts'
import {errorOf, openSession} from './helpers.ts'

let fake: FakeWandbApi
afterEach(() => fake?.stop())

function graphql(query: string, variables_json = '{}', more: Partial<GraphQLRequest> = {}) {
  return {
    oneofKind: 'graphql_request' as const,
    graphql_request: {query, variables_json, omit_variables: [], omit_fragments: [], omit_fields: [], rename_fields: {}, ...more},
  }
}

const dataJsonOf = (res: ApiResponse | undefined) => (res?.response.oneofKind === 'graphql_response' ? res.response.graphql_response.data_json : undefined)

/** Retries as fast as settings allow (1 retry after 1 s). */
const FAST_RETRY = {x_graphql_retry_max: {value: 1}, x_graphql_retry_wait_min_seconds: {value: 1}, x_graphql_retry_wait_max_seconds: {value: 1}}

describe('graphql_request forwarding', () => {
  const QUERY = 'query Project($name: String!, $step: Int64) { project(name: $name) { id } }'

  test('forwards the document unchanged with operationName "" and the exact variables', async () => {
    fake = new FakeWandbApi({graphql: () => gqlData({project: {id: 'p'}})})
    const s = openSession(fake, {username: {value: 'svc'}, email: {value: 'svc@example.com'}})
    const variables = '{"name": "proj", "step": 9007199254740993}'
    expect(dataJsonOf(await s.call(graphql(QUERY, variables)))).toBe('{"project":{"id":"p"}}')
    const [req] = fake.graphql
    expect(req.query).toBe(QUERY)
    expect(req.operationName).toBe('')
    expect(req.raw).toContain('"variables":{"name": "proj", "step": 9007199254740993}')
    expect(req.headers.get('x-wandb-username')).toBe('svc')
    expect(req.headers.get('x-wandb-user-email')).toBe('svc@example.com')
    expect(req.headers.get('content-type')).toBe('application/json')
  })

  test("answers the server's data byte for byte, big integers and spacing included", async () => {
    const body = '{"data": {"run": {"historyLineCount": 12345678901234567890, "name": "r\\u00e9"}}, "extensions": {}}'
    fake = new FakeWandbApi({graphql: () => new Response(body, {headers: {'content-type': 'application/json'}})})
    expect(dataJsonOf(await openSession(fake).call(graphql('{ run { historyLineCount name } }')))).toBe('{"run": {"historyLineCount": 12345678901234567890, "name": "r\\u00e9"}}')
  })

  test('finds the top-level data member whatever precedes it or hides in its strings', async () => {
    const body = '{"extensions": {"note": "}\\"data\\": 1"}, "data" : {"s": "a\\"b}", "arr": [1, {"data": 2}]} }'
    fake = new FakeWandbApi({graphql: () => new Response(body)})
    expect(dataJsonOf(await openSession(fake).call(graphql('{ s }')))).toBe('{"s": "a\\"b}", "arr": [1, {"data": 2}]}')
  })

  test('empty variables are sent as {} and a missing data member answers "null"', async () => {
    fake = new FakeWandbApi({graphql: () => Response.json({})})
    expect(dataJsonOf(await openSession(fake).call(graphql('{ a }', '')))).toBe('null')
    expect(fake.graphql[0].variables).toEqual({})
  })

  test('variables that are not a JSON object are refused without a request', async () => {
    fake = new FakeWandbApi()
    const s = openSession(fake)
    expect(errorOf(await s.call(graphql('{ a }', '{')))?.message).toStartWith('decode GraphQL variables: ')
    expect(errorOf(await s.call(graphql('{ a }', '[1]')))?.message).toStartWith('decode GraphQL variables: ')
    expect(fake.to('/graphql')).toHaveLength(0)
  })
})

describe('graphql_request failures', () => {
  test("a 200 with errors is an error in gqlparser's wording, with http_status 0", async () => {
    fake = new FakeWandbApi({
      graphql: () =>
        Response.json({
          data: null,
          errors: [
            {message: 'Cannot query field "features" on type "ServerInfo".', locations: [{line: 2, column: 3}]},
            {message: 'second', path: ['a', 0, 'b']},
          ],
        }),
    })
    const err = errorOf(await openSession(fake).call(graphql('{ serverInfo { features { name } } }')))
    expect(err?.message).toBe('input:2: Cannot query field "features" on type "ServerInfo".\ninput: a[0].b second\n')
    expect(err?.http_status).toBe(0)
  })

  test('a non-200 answer carries its status; several errors read "[a; b]"', async () => {
    fake = new FakeWandbApi({graphql: () => Response.json({errors: [{message: 'first'}, {message: 'second'}]}, {status: 400})})
    const err = errorOf(await openSession(fake).call(graphql('{ a }')))
    expect(err).toMatchObject({message: '[first; second]', http_status: 400})
  })

  test('a 404 with a plain body answers the body; a body without errors "returned error"', async () => {
    fake = new FakeWandbApi({graphql: (_b, _op, req) => (req.headers.get('x-json') ? Response.json({data: null}, {status: 403}) : new Response('sweep not found', {status: 404}))})
    expect(errorOf(await openSession(fake).call(graphql('{ a }')))).toMatchObject({message: 'sweep not found', http_status: 404})
    const withJson = openSession(fake, {x_extra_http_headers: {value: {'X-Json': '1'}}})
    expect(errorOf(await withJson.call(graphql('{ a }')))).toMatchObject({message: 'returned error 403: {"data":null}', http_status: 403})
  })

  test('a 500 is retried per the x_graphql_* settings, then reported with its status', async () => {
    fake = new FakeWandbApi({graphql: () => new Response('boom', {status: 500})})
    const err = errorOf(await openSession(fake, FAST_RETRY).call(graphql('{ a }')))
    expect(err).toMatchObject({message: 'boom', http_status: 500})
    expect(fake.to('/graphql')).toHaveLength(2)
  })

  test('a 429 that clears is retried into a success', async () => {
    let n = 0
    fake = new FakeWandbApi({graphql: () => (++n === 1 ? new Response('slow down', {status: 429, headers: {'retry-after': '0'}}) : gqlData({a: 1}))})
    expect(dataJsonOf(await openSession(fake, FAST_RETRY).call(graphql('{ a }')))).toBe('{"a":1}')
  })

  test('an unreachable server is an error with http_status 0', async () => {
    fake = new FakeWandbApi()
    const s = openSession(fake, FAST_RETRY)
    fake.stop()
    const err = errorOf(await s.call(graphql('{ a }')))
    expect(err?.http_status).toBe(0)
    expect(err?.message).not.toBe('')
  })
})

describe('graphql_request compat rewrites', () => {
  test('omitted variables lose their definition and every argument use, nested inputs included', async () => {
    fake = new FakeWandbApi({graphql: () => gqlData({})})
    const query = `mutation Update($id: ID!, $ttl: Int64, $tags: [TagInput!]) {
      updateArtifact(input: {artifactID: $id, ttlDurationSeconds: $ttl, nested: {tags: $tags, keep: $id}}, ttl: $ttl) { artifact { id } }
    }`
    await openSession(fake).call(graphql(query, '{"id": "a", "ttl": 5}', {omit_variables: ['ttl', 'tags']}))
    const sent = fake.graphql[0]
    expect(sent.query).not.toContain('ttl')
    expect(sent.query).not.toContain('tags')
    expect(sent.query).toContain('$id: ID!')
    expect(sent.query).toContain('nested: {keep: $id}')
    expect(sent.variables).toEqual({id: 'a', ttl: 5}) // the variables themselves are forwarded as sent
  })

  test('omitted fragments go with their spreads, and fragments left unreachable are pruned', async () => {
    fake = new FakeWandbApi({graphql: () => gqlData({})})
    const query = `query Q { artifact { ...Kept ...Dropped } }
      fragment Kept on Artifact { id }
      fragment Dropped on Artifact { ...OnlyFromDropped }
      fragment OnlyFromDropped on Artifact { name }`
    await openSession(fake).call(graphql(query, '{}', {omit_fragments: ['Dropped']}))
    const sent = fake.graphql[0].query
    expect(sent).toContain('fragment Kept on Artifact')
    expect(sent).not.toContain('Dropped')
    expect(sent).not.toContain('OnlyFromDropped')
  })

  test('omitted fields go where they appear, aliased too; renamed fields keep their alias', async () => {
    fake = new FakeWandbApi({graphql: () => gqlData({})})
    const query = `query Q($cursor: String) {
      project { ttl: ttlIsInherited collections: artifactCollections(after: $cursor) { totalCount } artifactCollections { totalCount } }
    }`
    await openSession(fake).call(graphql(query, '{}', {omit_fields: ['ttlIsInherited'], rename_fields: {artifactCollections: 'artifactSequences'}}))
    const sent = fake.graphql[0].query
    expect(sent).not.toContain('ttl')
    expect(sent).toContain('collections: artifactSequences(after: $cursor)')
    expect(sent).not.toContain('artifactCollections')
  })

  test('a document that does not parse is an error when rewrites are asked for', async () => {
    fake = new FakeWandbApi()
    const err = errorOf(await openSession(fake).call(graphql('not a graphql {', '{}', {omit_fields: ['x']})))
    expect(err?.message).toStartWith('gqlcompat: rewrite GraphQL for older W&B server compatibility: parse: ')
    expect(fake.to('/graphql')).toHaveLength(0)
  })
})

import {afterEach, describe, expect, test} from 'bun:test'
import {mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {ApiResponse} from '../../../src/core/proto.ts'
import {WbApiSessions} from '../../../src/core/wbapi/index.ts'
import {FakeWandbApi, gqlData} from './fake-wandb-api.ts'
import {API_KEY, BASIC_AUTH, NEVER, errorOf, openSession, recordingLogger} from './helpers.ts'

let fake: FakeWandbApi
let dir: string | undefined
afterEach(() => {
  fake?.stop()
  if (dir) rmSync(dir, {recursive: true, force: true})
  dir = undefined
})

const authenticate = {oneofKind: 'auth_request' as const, auth_request: {request: {oneofKind: 'authenticate_request' as const, authenticate_request: {}}}}
const getAccessToken = {
  oneofKind: 'auth_request' as const,
  auth_request: {request: {oneofKind: 'get_access_token_request' as const, get_access_token_request: {}}},
}

function authenticateResponse(res: ApiResponse | undefined) {
  const auth = res?.response.oneofKind === 'auth_response' ? res.response.auth_response.response : undefined
  return auth?.oneofKind === 'authenticate_response' ? auth.authenticate_response : undefined
}

function accessTokenOf(res: ApiResponse | undefined) {
  const auth = res?.response.oneofKind === 'auth_response' ? res.response.auth_response.response : undefined
  return auth?.oneofKind === 'get_access_token_response' ? auth.get_access_token_response.access_token : undefined
}

const VIEWER = {
  id: 'VXNlcjox',
  entity: 'team-ent',
  username: 'alice',
  email: 'a@example.com',
  flags: '{"code_saving_enabled": true}',
  teams: {edges: [{node: {name: 'team-a'}}, {node: {name: 'team-b'}}]},
}

describe('authenticate_request', () => {
  test("answers the viewer's entity, username, email, teams and flags", async () => {
    fake = new FakeWandbApi({graphql: () => gqlData({viewer: VIEWER})})
    const s = openSession(fake, {x_extra_http_headers: {value: {'User-Agent': 'W&B Internal Client 0.31.0'}}})
    expect(authenticateResponse(await s.call(authenticate))).toEqual({
      default_entity: 'team-ent',
      username: 'alice',
      email: 'a@example.com',
      teams: ['team-a', 'team-b'],
      flags_json: '{"code_saving_enabled": true}',
    })
    const [req] = fake.graphql
    expect(req.op).toBe('Viewer')
    expect(req.operationName).toBe('Viewer')
    expect(req.query).toContain('teams { edges { node { name } } }')
    expect(req.headers.get('authorization')).toBe(BASIC_AUTH)
    expect(req.headers.get('user-agent')).toBe('W&B Internal Client 0.31.0')
    expect(req.headers.get('x-wandb-username')).toBe('')
    expect(req.headers.get('x-wandb-user-email')).toBe('')
  })

  test('a viewer with null fields is still a valid login', async () => {
    fake = new FakeWandbApi({graphql: () => gqlData({viewer: {id: 'u', entity: null, username: 'bob', teams: null}})})
    expect(authenticateResponse(await openSession(fake).call(authenticate))).toMatchObject({default_entity: '', username: 'bob', teams: []})
  })

  test('partial data with errors on other fields is accepted when the viewer resolved', async () => {
    fake = new FakeWandbApi({graphql: () => Response.json({data: {viewer: {id: 'u', entity: 'ent'}}, errors: [{message: 'teams resolver failed'}]})})
    expect(authenticateResponse(await openSession(fake).call(authenticate))?.default_entity).toBe('ent')
  })

  test('a 401 is an error naming invalid credentials with http_status 401', async () => {
    fake = new FakeWandbApi({graphql: () => Response.json({errors: [{message: 'user is not logged in'}]}, {status: 401})})
    const err = errorOf(await openSession(fake).call(authenticate))
    expect(err?.http_status).toBe(401)
    expect(err?.message).toBe('invalid credentials (HTTP 401): user is not logged in')
    expect(fake.to('/graphql')).toHaveLength(1) // 401 is not retried
  })

  test('a null viewer is an invalid-credentials error', async () => {
    fake = new FakeWandbApi({graphql: () => gqlData({viewer: null})})
    const err = errorOf(await openSession(fake).call(authenticate))
    expect(err?.message).toContain('invalid credentials')
    expect(err?.http_status).toBe(0)
  })

  test('GraphQL errors without a viewer are reported as the server worded them', async () => {
    fake = new FakeWandbApi({graphql: () => Response.json({data: null, errors: [{message: 'permission denied', path: ['viewer']}]})})
    expect(errorOf(await openSession(fake).call(authenticate))?.message).toBe('input: viewer permission denied\n')
  })
})

describe('legacy authenticate', () => {
  test("answers the viewer's entity and echoes _info", async () => {
    fake = new FakeWandbApi({graphql: () => gqlData({viewer: VIEWER})})
    const sessions = new WbApiSessions({logger: recordingLogger().logger})
    const res = await sessions.authenticate({api_key: API_KEY, base_url: fake.url, _info: {stream_id: 's', _tracelog_id: 't'}}, NEVER)
    expect(res).toEqual({default_entity: 'team-ent', error_status: '', _info: {stream_id: 's', _tracelog_id: 't'}})
    expect(fake.graphql[0].headers.get('authorization')).toBe(BASIC_AUTH)
  })

  test('rejected credentials or a viewer without entity answer "Invalid credentials"', async () => {
    fake = new FakeWandbApi({graphql: (_b, _op, req) => (req.headers.get('authorization') === BASIC_AUTH ? gqlData({viewer: {id: 'u', entity: null}}) : new Response('', {status: 401}))})
    const sessions = new WbApiSessions({logger: recordingLogger().logger})
    expect((await sessions.authenticate({api_key: 'wrong'.repeat(10), base_url: fake.url}, NEVER)).error_status).toBe('Invalid credentials')
    expect((await sessions.authenticate({api_key: API_KEY, base_url: fake.url}, NEVER)).error_status).toBe('Invalid credentials')
  })

  test('a malformed base URL answers "Invalid URL"', async () => {
    const sessions = new WbApiSessions({logger: recordingLogger().logger})
    expect((await sessions.authenticate({api_key: API_KEY, base_url: '::bad::'}, NEVER)).error_status).toStartWith('Invalid URL: ')
  })
})

describe('get_access_token_request', () => {
  test('an API-key session has no access token: the answer is empty', async () => {
    fake = new FakeWandbApi()
    expect(accessTokenOf(await openSession(fake).call(getAccessToken))).toBe('')
    expect(fake.requests.filter((r) => r.path !== '/sdk/otel/v1/metrics')).toHaveLength(0)
  })

  function oidcFake(answer: () => Response) {
    return new FakeWandbApi({
      route: (req) => (req.path === '/oidc/token' ? answer() : undefined),
      graphql: (_b, _op, req) => (req.headers.get('authorization') === 'Bearer at-1' ? gqlData({viewer: {id: 'u', entity: 'fed'}}) : new Response('', {status: 401})),
    })
  }

  function oidcSettings() {
    dir = mkdtempSync(join(tmpdir(), 'wbapi-oidc-'))
    writeFileSync(join(dir, 'token.jwt'), 'aaa.bbb.ccc\n')
    return {identity_token_file: {value: join(dir, 'token.jwt')}, credentials_file: {value: join(dir, 'credentials.json')}}
  }

  test('exchanges the identity token once, uses it as Bearer and caches it in the credentials file', async () => {
    fake = oidcFake(() => Response.json({access_token: 'at-1', expires_in: 3600}))
    const s = openSession(fake, oidcSettings())
    expect(accessTokenOf(await s.call(getAccessToken))).toBe('at-1')
    expect(authenticateResponse(await s.call(authenticate))?.default_entity).toBe('fed')
    const exchanges = fake.to('/oidc/token')
    expect(exchanges).toHaveLength(1)
    expect(exchanges[0].headers.get('content-type')).toBe('application/x-www-form-urlencoded')
    expect(exchanges[0].headers.get('authorization')).toBeNull()
    expect(exchanges[0].body).toBe('grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=aaa.bbb.ccc')
    const file = join(dir!, 'credentials.json')
    const stored = JSON.parse(readFileSync(file, 'utf8'))
    expect(stored.credentials[fake.url].access_token).toBe('at-1')
    expect(stored.credentials[fake.url].expires_at).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/)
    expect(statSync(file).mode & 0o777).toBe(0o600)
  })

  test('a valid token in the credentials file is used without an exchange', async () => {
    fake = oidcFake(() => new Response('should not be called', {status: 500}))
    const settings = oidcSettings()
    const later = new Date(Date.now() + 3600_000).toISOString().slice(0, 19).replace('T', ' ')
    writeFileSync(settings.credentials_file.value, JSON.stringify({credentials: {[fake.url]: {expires_at: later, access_token: 'at-1'}}}))
    expect(accessTokenOf(await openSession(fake, settings).call(getAccessToken))).toBe('at-1')
    expect(fake.to('/oidc/token')).toHaveLength(0)
  })

  test("a rejected exchange is an error with the server's answer, not retried", async () => {
    fake = oidcFake(() => Response.json({error: 'invalid_grant'}, {status: 401}))
    const err = errorOf(await openSession(fake, oidcSettings()).call(getAccessToken))
    expect(err?.message).toContain('failed to retrieve access token: HTTP 401: {"error":"invalid_grant"}')
    expect(fake.to('/oidc/token')).toHaveLength(1)
  })
})

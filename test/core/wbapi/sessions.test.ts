import {afterEach, describe, expect, test} from 'bun:test'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {WbApiSessions} from '../../../src/core/wbapi/index.ts'
import {FakeWandbApi, gqlData} from './fake-wandb-api.ts'
import {API_KEY, BASIC_AUTH, NEVER, apiRequest, errorOf, openSession, recordingLogger, settingsFor} from './helpers.ts'

let fake: FakeWandbApi
afterEach(() => fake?.stop())

const viewer = {authenticate_request: {}}
const authRequest = {oneofKind: 'auth_request' as const, auth_request: {request: {oneofKind: 'authenticate_request' as const, ...viewer}}}

describe('WbApiSessions lifecycle', () => {
  test('init opens sessions with distinct ids, each answering its own requests', async () => {
    fake = new FakeWandbApi({graphql: () => gqlData({viewer: {id: 'u', entity: 'ent'}})})
    const {logger} = recordingLogger()
    const sessions = new WbApiSessions({logger, observability: false})
    const a = sessions.init({settings: settingsFor(fake.url), service_name: ''})
    const b = sessions.init({settings: settingsFor(fake.url), service_name: ''})
    expect(a.error_message).toBe('')
    expect(a.api_id).not.toBe(b.api_id)
    expect(sessions.size).toBe(2)
    const res = await sessions.handle(apiRequest(b.api_id, authRequest), NEVER)
    expect(res?.response.oneofKind).toBe('auth_response')
  })

  test('a request for an unknown api_id is answered "WandbAPI is not initialized"', async () => {
    const sessions = new WbApiSessions({logger: recordingLogger().logger})
    const res = await sessions.handle(apiRequest('api-404', authRequest), NEVER)
    expect(errorOf(res)?.message).toBe('WandbAPI is not initialized')
  })

  test('after cleanup the session is gone and cleanup of an unknown id is harmless', async () => {
    fake = new FakeWandbApi()
    const s = openSession(fake)
    s.sessions.cleanup(s.apiId)
    s.sessions.cleanup('api-never')
    expect(s.sessions.size).toBe(0)
    expect(errorOf(await s.call(authRequest))?.message).toBe('WandbAPI is not initialized')
    expect(fake.to('/graphql')).toHaveLength(0)
  })

  test('init with an unreadable identity token file reports the error instead of opening a session', () => {
    const sessions = new WbApiSessions({logger: recordingLogger().logger})
    const res = sessions.init({settings: settingsFor('http://127.0.0.1:9', {identity_token_file: {value: '/no/such/token.jwt'}}), service_name: ''})
    expect(res.api_id).toBe('')
    expect(res.error_message).toContain('error reading credentials')
    expect(res.error_message).toContain('identity token file')
    expect(sessions.size).toBe(0)
  })

  test('an api_request without a request type is answered with an error, and nothing is sent', async () => {
    fake = new FakeWandbApi()
    const s = openSession(fake)
    expect(errorOf(await s.call({oneofKind: undefined}))?.message).toBe('unsupported API request type: none')
    expect(fake.to('/graphql')).toHaveLength(0)
  })

  test('init with a malformed base URL reports the error', () => {
    const sessions = new WbApiSessions({logger: recordingLogger().logger})
    const res = sessions.init({settings: settingsFor('not a url'), service_name: ''})
    expect(res.error_message).toContain('error parsing base URL')
  })
})

describe('telemetry', () => {
  test('every session probes the OpenTelemetry proxy once, with an empty body and no credentials', async () => {
    fake = new FakeWandbApi()
    const sessions = new WbApiSessions({logger: recordingLogger().logger})
    sessions.init({settings: settingsFor(fake.url), service_name: ''})
    sessions.init({settings: settingsFor(fake.url), service_name: ''})
    await Bun.sleep(100)
    const probes = fake.to('/sdk/otel/v1/metrics')
    expect(probes).toHaveLength(2)
    for (const p of probes) {
      expect(p.method).toBe('POST')
      expect(p.body).toBe('')
      expect(p.headers.get('authorization')).toBeNull()
    }
  })

  test('no probe is sent with observability off or for offline settings', async () => {
    fake = new FakeWandbApi()
    new WbApiSessions({logger: recordingLogger().logger, observability: false}).init({settings: settingsFor(fake.url), service_name: ''})
    new WbApiSessions({logger: recordingLogger().logger}).init({settings: settingsFor(fake.url, {_offline: {value: true}}), service_name: ''})
    await Bun.sleep(100)
    expect(fake.to('/sdk/otel/v1/metrics')).toHaveLength(0)
  })

  test('open_telemetry_request gets no answer and causes no traffic', async () => {
    fake = new FakeWandbApi()
    const s = openSession(fake)
    const res = await s.call({
      oneofKind: 'open_telemetry_request',
      open_telemetry_request: {request: {oneofKind: 'open_telemetry_counter_request', open_telemetry_counter_request: {name: 'x'} as never}},
    })
    expect(res).toBeUndefined()
    expect(fake.requests).toHaveLength(0)
  })
})

describe('cancellation', () => {
  test('aborting the signal answers at once with an error while the server is still thinking', async () => {
    let release!: () => void
    const held = new Promise<void>((r) => (release = r))
    fake = new FakeWandbApi({graphql: async () => (await held, gqlData({}))})
    const s = openSession(fake)
    const ctl = new AbortController()
    const pending = s.call(
      {oneofKind: 'graphql_request', graphql_request: {query: '{ viewer { id } }', variables_json: '{}', omit_variables: [], omit_fragments: [], omit_fields: [], rename_fields: {}}},
      ctl.signal,
    )
    await Bun.sleep(50)
    const t0 = performance.now()
    ctl.abort()
    const res = await pending
    expect(performance.now() - t0).toBeLessThan(500)
    expect(errorOf(res)?.message).toContain('cancelled')
    release()
  })

  test('a request whose signal is already aborted sends nothing', async () => {
    fake = new FakeWandbApi()
    const s = openSession(fake)
    const ctl = new AbortController()
    ctl.abort()
    expect(errorOf(await s.call(authRequest, ctl.signal))?.message).toContain('cancelled')
    await Bun.sleep(20)
    expect(fake.to('/graphql')).toHaveLength(0)
  })

  test('at most 10 requests of a session are in flight; the eleventh waits for a slot', async () => {
    let release!: () => void
    const held = new Promise<void>((r) => (release = r))
    fake = new FakeWandbApi({graphql: async () => (await held, gqlData({viewer: {id: 'u'}}))})
    const s = openSession(fake)
    const all = Array.from({length: 11}, () => s.call(authRequest))
    await Bun.sleep(150)
    expect(fake.to('/graphql')).toHaveLength(10)
    release()
    await Promise.all(all)
    expect(fake.to('/graphql')).toHaveLength(11)
  })
})

describe('logs', () => {
  test('the API key never reaches a log line, on success or failure', async () => {
    fake = new FakeWandbApi({graphql: (_b, _op, req) => (req.headers.get('x-fail') ? new Response('nope', {status: 401}) : gqlData({viewer: {id: 'u'}}))})
    const dir = mkdtempSync(join(tmpdir(), 'wbapi-logs-'))
    try {
      const ok = openSession(fake, {}, {observability: true})
      await ok.call(authRequest)
      await ok.call({oneofKind: 'upload_file_request', upload_file_request: {path: join(dir, 'missing'), url: `${fake.url}/files/x`, headers: {}}})
      const bad = openSession(fake, {x_extra_http_headers: {value: {'X-Fail': '1'}}})
      await bad.call(authRequest)
      await bad.sessions.authenticate({api_key: API_KEY, base_url: fake.url}, NEVER)
      const logs = [...ok.lines, ...bad.lines].join('')
      expect(ok.lines.length).toBeGreaterThan(0)
      expect(logs).not.toContain(API_KEY)
      expect(logs).not.toContain(BASIC_AUTH.slice(6))
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })
})

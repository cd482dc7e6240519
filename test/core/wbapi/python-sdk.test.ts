/**
 * The real wandb SDK's ServiceApi (0.31) talking to WbApiSessions through the service's socket
 * front door, against the loopback fake: proves the answers decode the way the SDK reads them.
 */
import {afterEach, beforeEach, expect, test} from 'bun:test'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {nullLogger} from '../../../src/core/observability/index.ts'
import {ServiceServer, type SyncSessions} from '../../../src/core/server/index.ts'
import {WbApiSessions} from '../../../src/core/wbapi/index.ts'
import {runPython} from '../../helpers/python.ts'
import {FakeWandbApi, gqlData} from './fake-wandb-api.ts'
import {API_KEY, BASIC_AUTH} from './helpers.ts'

const noSync: SyncSessions = {
  init: () => ({id: 'sync-0'}),
  sync: async () => ({messages: []}),
  status: () => ({stats: [], new_messages: []}),
}

let dir: string
let fake: FakeWandbApi
let server: ServiceServer

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wbapi-sdk-'))
  fake = new FakeWandbApi({
    graphql: (_body, op) => {
      if (op === 'Viewer') return gqlData({viewer: {id: 'u', entity: 'sdk-ent', username: 'sdk-user', email: '', flags: null, teams: {edges: [{node: {name: 't1'}}]}}})
      if (op === 'ServerFeaturesQuery') return gqlData({serverInfo: {features: [{name: 'LARGE_FILENAMES', isEnabled: true}]}})
      if (op === 'Probe') return new Response('{"data": {"echo": "ok", "big": 9007199254740993}}')
      return Response.json({errors: [{message: 'no such field'}]}, {status: 400})
    },
  })
  server = await ServiceServer.start({
    portFilename: join(dir, 'port.txt'),
    parentPid: 0,
    detached: false,
    idleTimeoutMs: 0,
    listenOnLocalhost: true,
    logger: nullLogger,
    api: new WbApiSessions({logger: nullLogger}),
    sync: noSync,
    createStream: () => {
      throw new Error('no runs in this test')
    },
  })
})

afterEach(async () => {
  await server.teardown(0)
  fake.stop()
  rmSync(dir, {recursive: true, force: true})
})

const SCRIPT = `
import json, os
import wandb
from wandb.apis.public.service_api import ServiceApi
from wandb.proto import wandb_internal_pb2 as pb
settings = wandb.Settings(base_url=os.environ["FAKE_URL"], api_key=os.environ["FAKE_KEY"])
api = ServiceApi(settings=settings, timeout=30)
auth = api.authenticate()
out = {"entity": auth.default_entity, "username": auth.username, "teams": list(auth.teams)}
out["data"] = api.execute_graphql("query Probe($n: Int64) { echo(n: $n) }", {"n": 9007199254740993})
out["exact"] = out["data"]["big"] == 9007199254740993
out["feature"] = api.feature_enabled(pb.LARGE_FILENAMES)
out["token"] = api.access_token()
try:
    api.execute_graphql("query Missing { missing }")
except Exception as e:
    out["error"] = [type(e).__name__, str(e), e.response.http_status]
print(json.dumps(out))
`

test("the SDK's ServiceApi authenticates, forwards GraphQL, reads features and sees errors with their status", async () => {
  const port = /sock=(\d+)/.exec(readFileSync(join(dir, 'port.txt'), 'utf8'))![1]
  const res = await runPython(['-c', SCRIPT], {
    timeoutMs: 60_000,
    env: {
      WANDB_SERVICE: `3-${process.pid}-tcp-localhost-${port}`,
      FAKE_URL: fake.url,
      FAKE_KEY: API_KEY,
      HOME: dir,
      WANDB_CONFIG_DIR: dir,
      WANDB_API_KEY: undefined,
      WANDB_BASE_URL: undefined,
      WANDB_MODE: undefined,
    },
  })
  expect(res.stderr).not.toContain('Traceback')
  const out = JSON.parse(res.stdout.trim().split('\n').at(-1)!)
  expect(out).toEqual({
    entity: 'sdk-ent',
    username: 'sdk-user',
    teams: ['t1'],
    // biome-ignore lint/correctness/noPrecisionLoss: the value the SDK sent; JSON.parse rounds it the same way, which is the point of `exact`
    data: {echo: 'ok', big: 9007199254740993},
    exact: true, // Python compares the integers exactly (JSON.parse here would round them)
    feature: true,
    token: null,
    error: ['WandbApiFailedError', 'no such field', 400],
  })
  expect(fake.graphql.every((r) => r.headers.get('authorization') === BASIC_AUTH)).toBe(true)
  const probe = fake.graphql.find((r) => r.op === 'Probe')!
  expect(probe.operationName).toBe('')
  expect(probe.raw).toContain('"variables":{"n": 9007199254740993}')
}, 60_000)

/**
 * The backend's HTTP surface without the real clients: authentication, GraphQL error handling,
 * run upserts, file_stream offsets, run file storage, the inspection API and the entry point.
 */
import {afterAll, beforeAll, describe, expect, test} from 'bun:test'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {basicAuth, fileStream, gql, gqlOk, upsertRun} from './gql-client.ts'
import {startBackend, type Backend} from './index.ts'

const VIEWER = 'query Viewer { viewer { id entity username email flags teams { edges { node { name } } } } }'

describe('authentication', () => {
  test('any key of ≥ 40 characters passes by default (Basic with any user, or Bearer); others get 401', async () => {
    await using backend = await startBackend({quiet: true})
    const post = (auth?: string) => fetch(`${backend.url}/graphql`, {method: 'POST', headers: auth ? {Authorization: auth} : {}, body: JSON.stringify({query: VIEWER})})
    expect((await post()).status).toBe(401)
    expect((await post(basicAuth('short'))).status).toBe(401)
    const ok = await post('Basic ' + Buffer.from(`someone:${'z'.repeat(40)}`).toString('base64'))
    expect(ok.status).toBe(200)
    expect((await ok.json()).data.viewer).toMatchObject({entity: 'nexus', username: 'nexus', flags: '{"code_saving_enabled":true}'})
    expect((await post(`Bearer ${'z'.repeat(40)}`)).status).toBe(200)
    const unauth = await post()
    expect(await unauth.json()).toEqual({errors: [{message: 'user is not logged in'}]})
  })

  test('with --api-key only the listed keys pass, also on file_stream', async () => {
    const key = 'k'.repeat(41)
    await using backend = await startBackend({quiet: true, apiKeys: [key]})
    expect(backend.apiKey).toBe(key)
    expect((await gql(backend, VIEWER, {}, 'q'.repeat(45))).status).toBe(401)
    expect((await gql(backend, VIEWER)).status).toBe(200)
    const fs = await fetch(`${backend.url}/files/e/p/r/file_stream`, {method: 'POST', headers: {Authorization: basicAuth('q'.repeat(45))}, body: '{}'})
    expect(fs.status).toBe(401)
  })
})

describe('GraphQL', () => {
  let backend: Backend
  beforeAll(async () => {
    backend = await startBackend({quiet: true})
  })
  afterAll(() => backend.stop())

  test('serverInfo answers features and cliVersionInfo as a JSON object', async () => {
    const data = await gqlOk(backend, 'query ServerInfo { serverInfo { cliVersionInfo latestLocalVersionInfo { outOfDate } features { name isEnabled } } }')
    expect(data.serverInfo.cliVersionInfo).toEqual({max_cli_version: '0.31.0', min_cli_version: '0.10.0'})
    expect(data.serverInfo.latestLocalVersionInfo).toBeNull()
    expect(data.serverInfo.features).toContainEqual({name: 'FILESTREAM_GZIP', isEnabled: true})
  })

  test('an unknown root field is a GraphQL error (HTTP 200) and is listed in /_inspect/unknown', async () => {
    const r = await gql(backend, 'query Fancy { somethingNew(x: 1) { id } viewer { id } }')
    expect(r.status).toBe(200)
    expect(r.errors?.[0].message).toContain('somethingNew')
    expect(await backend.inspectUnknown()).toContainEqual({kind: 'operation', name: 'somethingNew', operation: 'Fancy', count: 1})
  })

  test('an unknown nested field resolves to null without an error and is listed in /_inspect/unknown', async () => {
    const r = await gql(backend, 'query Viewer { viewer { id shinyNewField } }')
    expect(r).toEqual({status: 200, data: {viewer: {id: expect.any(String), shinyNewField: null}}, errors: undefined})
    expect(await backend.inspectUnknown()).toContainEqual({kind: 'field', name: 'User.shinyNewField', operation: 'Viewer', count: 1})
  })

  test('a syntax error, a non-JSON body or an undecodable storage path is a 400, never a 5xx', async () => {
    expect((await fetch(`${backend.url}/_storage/runs/1/%E0%A4%A`, {method: 'PUT', body: 'x'})).status).toBe(400)
    expect((await gql(backend, 'query {')).status).toBe(400)
    const res = await fetch(`${backend.url}/graphql`, {method: 'POST', headers: {Authorization: basicAuth(backend.apiKey)}, body: 'nope'})
    expect(res.status).toBe(400)
  })

  test('UpsertBucket creates a run, null inputs leave fields unchanged, config is replaced', async () => {
    const first = await upsertRun(backend, {name: 'r1', project: 'p1', entity: null, notes: 'hello', config: '{"a":{"value":1}}', tags: ['t1'], displayName: null})
    expect(first.inserted).toBe(true)
    expect(first.bucket).toMatchObject({name: 'r1', notes: 'hello', historyLineCount: 0, project: {name: 'p1', entity: {name: 'nexus'}}})
    expect(first.bucket.displayName).toMatch(/^\w+-\w+-1$/)
    expect(Buffer.from(first.bucket.id, 'base64').toString()).toBe('Run:1')
    const second = await upsertRun(backend, {id: first.bucket.id, name: 'r1', project: 'p1', notes: null, config: '{"b":{"value":2}}', tags: null, displayName: 'renamed'})
    expect(second.inserted).toBe(false)
    expect(second.bucket).toMatchObject({notes: 'hello', config: '{"b":{"value":2}}', displayName: 'renamed'})
    const [run] = (await backend.inspectRuns()).filter((r) => r.id === 'r1')
    expect(run).toMatchObject({config: {b: 2}, tags: ['t1'], notes: 'hello', state: 'running', displayName: 'renamed'})
  })

  test('the project/run lookups answer null for unknown names and the legacy model/bucket names work', async () => {
    await upsertRun(backend, {name: 'look', project: 'lookup'})
    const data = await gqlOk(
      backend,
      `{ a: project(name: "lookup", entityName: "nexus") { run(name: "look") { name state } none: run(name: "zz") { name } }
      b: model(name: "lookup", entityName: "nexus") { bucket(name: "look", missingOk: true) { name historyLineCount eventsLineCount logLineCount historyTail wandbConfig(keys: ["t"]) } }
      c: project(name: "missing") { id } }`,
    )
    expect(data).toEqual({
      a: {run: {name: 'look', state: 'running'}, none: null},
      b: {bucket: {name: 'look', historyLineCount: 0, eventsLineCount: 0, logLineCount: 0, historyTail: '[]', wandbConfig: '{}'}},
      c: null,
    })
  })
})

describe('file_stream and run files', () => {
  let backend: Backend
  beforeAll(async () => {
    backend = await startBackend({quiet: true})
    await upsertRun(backend, {name: 'fs', project: 'stream', entity: 'nexus'})
  })
  afterAll(() => backend.stop())
  const inspect = async () => (await backend.inspectRuns()).find((r) => r.id === 'fs')!

  test('offsets set lines: a retried request overwrites instead of duplicating; gzip bodies are accepted', async () => {
    const history = (a: number, b: number) => Array.from({length: b - a}, (_, i) => JSON.stringify({_step: a + i, v: a + i}))
    expect((await fileStream(backend, 'nexus/stream/fs', {files: {'wandb-history.jsonl': {offset: 0, content: history(0, 3)}}})).status).toBe(200)
    await fileStream(backend, 'nexus/stream/fs', {files: {'wandb-history.jsonl': {offset: 1, content: history(1, 4)}}}, {gzip: true})
    await fileStream(backend, 'nexus/stream/fs', {
      files: {
        'wandb-summary.json': {offset: 0, content: ['{"v":1}']},
        'output.log': {offset: 0, content: ['line a', 'line b']},
        'wandb-events.jsonl': {offset: 0, content: ['{"_wandb":true,"system.cpu":NaN}']},
      },
    })
    await fileStream(backend, 'nexus/stream/fs', {files: {'wandb-summary.json': {offset: 0, content: ['{"v":Infinity}']}, 'output.log': {offset: 1, content: ['line b2', 'line c']}}})
    const run = await inspect()
    expect(run.history).toEqual([0, 1, 2, 3].map((i) => ({_step: i, v: i})))
    expect(run.summary).toEqual({v: 'Infinity'})
    expect(run.output).toEqual(['line a', 'line b2', 'line c'])
    expect(run.events).toEqual([{_wandb: true, 'system.cpu': 'NaN'}])
    const again = await upsertRun(backend, {name: 'fs', project: 'stream', entity: 'nexus'})
    expect(again.bucket.historyLineCount).toBe(4)
  })

  test('resume status and sampled history read the stored lines; a single value counts as a one-item list', async () => {
    const data = await gqlOk(
      backend,
      `query Q($specs: [JSONString!]!) { model(name: "stream", entityName: "nexus") { bucket(name: "fs", missingOk: true) {
      historyLineCount historyTail summaryMetrics sampledHistory(specs: $specs) } } }`,
      {specs: '{"keys": ["_step", "v"], "samples": 2}'},
    )
    const b = data.model.bucket
    expect(b.historyLineCount).toBe(4)
    expect(JSON.parse(b.historyTail).map((l: string) => JSON.parse(l)._step)).toEqual([0, 1, 2, 3])
    expect(b.sampledHistory).toEqual([
      [
        {_step: 2, v: 2},
        {_step: 3, v: 3},
      ],
    ])
  })

  test('CreateRunFiles hands out one URL per name; PUT stores the bytes, GET returns them', async () => {
    const data = await gqlOk(
      backend,
      `mutation CreateRunFiles($entity: String!, $project: String!, $run: String!, $files: [String!]!) {
      createRunFiles(input: {entityName: $entity, projectName: $project, runName: $run, files: $files}) { runID uploadHeaders files { name uploadUrl } } }`,
      {entity: 'nexus', project: 'stream', run: 'fs', files: ['a.txt', 'media/images/x y.png']},
    )
    expect(data.createRunFiles.uploadHeaders).toEqual([])
    expect(data.createRunFiles.files.map((f: {name: string}) => f.name)).toEqual(['a.txt', 'media/images/x y.png'])
    const body = new TextEncoder().encode('file body')
    for (const f of data.createRunFiles.files) expect((await fetch(f.uploadUrl, {method: 'PUT', body})).status).toBe(200)
    expect(await (await fetch(data.createRunFiles.files[1].uploadUrl)).text()).toBe('file body')
    const run = await inspect()
    const md5 = new Bun.CryptoHasher('md5').update(body).digest('hex')
    expect(run.files['media/images/x y.png']).toEqual({size: 9, md5})
  })

  test("the public API's Run and RunFiles fields: projectId, historyKeys, fileCount over all files", async () => {
    const data = await gqlOk(
      backend,
      `query Run($names: [String]) { project(name: "stream", entityName: "nexus") { internalId run(name: "fs") {
      projectId historyKeys fileCount files(names: $names) { edges { node { name } } } } } }`,
      {names: ['a.txt']},
    )
    const run = data.project.run
    expect(run.projectId).toBe(Number(data.project.internalId))
    expect(run.historyKeys).toEqual({lastStep: 3, keys: {_step: {typeCounts: [{type: 'number', count: 4}]}, v: {typeCounts: [{type: 'number', count: 4}]}}})
    expect(run.files.edges.map((e: {node: {name: string}}) => e.node.name)).toEqual(['a.txt'])
    expect(run.fileCount).toBe(Object.keys((await inspect()).files).length)
    expect(run.fileCount).toBeGreaterThan(1)
  })

  test('preempting, stop requests, uploaded, heartbeats and complete/exitcode', async () => {
    expect((await fileStream(backend, 'nexus/stream/fs', {preempting: true})).status).toBe(200)
    expect((await inspect()).state).toBe('preempting')
    expect((await fileStream(backend, 'nexus/stream/fs', {})).body).toEqual({exitcode: null, limits: {}})
    const run = await upsertRun(backend, {name: 'fs', project: 'stream', entity: 'nexus'})
    await gqlOk(backend, 'mutation StopRun($id: ID!) { stopRun(input: {id: $id}) { success } }', {id: run.bucket.id})
    expect((await fileStream(backend, 'nexus/stream/fs', {uploaded: ['a.txt']})).body).toEqual({exitcode: null, limits: {}, stopped: true})
    await fileStream(backend, 'nexus/stream/fs', {complete: true, exitcode: 3})
    expect(await inspect()).toMatchObject({state: 'failed', exitCode: 3})
    expect((await fileStream(backend, 'nexus/stream/nope', {})).status).toBe(404)
  })
})

describe('inspection and entry point', () => {
  test('the request log records method, path, operation and status; reset clears everything', async () => {
    await using backend = await startBackend({quiet: true})
    await gqlOk(backend, VIEWER)
    await fetch(`${backend.url}/sdk/otel/v1/metrics`, {method: 'POST'})
    expect(await backend.inspectRequests()).toEqual([
      {method: 'POST', path: '/graphql', operation: 'Viewer', status: 200},
      {method: 'POST', path: '/sdk/otel/v1/metrics', operation: null, status: 404},
    ])
    await upsertRun(backend, {name: 'x', project: 'y'})
    expect((await backend.inspectRuns()).length).toBe(1)
    await backend.reset()
    expect(await backend.inspectRuns()).toEqual([])
    expect(await backend.inspectRequests()).toEqual([])
  })

  test('state survives a restart with --db FILE', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nexus-db-'))
    try {
      const dbPath = join(dir, 'state.sqlite')
      {
        await using backend = await startBackend({quiet: true, dbPath})
        await upsertRun(backend, {name: 'persist', project: 'db'})
      }
      await using again = await startBackend({quiet: true, dbPath})
      expect((await again.inspectRuns()).map((r) => r.id)).toEqual(['persist'])
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })

  test('`bun test/backend/main.ts --port 0 --api-key K` prints "ready URL" first and serves with that key', async () => {
    const key = 'm'.repeat(40)
    const proc = Bun.spawn([process.execPath, join(import.meta.dir, 'main.ts'), '--port', '0', '--api-key', key, '--quiet'], {stdout: 'pipe', stderr: 'inherit'})
    try {
      const reader = proc.stdout.getReader()
      let text = ''
      while (!text.includes('\n')) {
        const {value, done} = await reader.read()
        if (done) break
        text += new TextDecoder().decode(value)
      }
      reader.releaseLock()
      const first = text.split('\n')[0]
      expect(first).toMatch(/^ready http:\/\/127\.0\.0\.1:\d+$/)
      const url = first.slice('ready '.length)
      expect((await gql({url, apiKey: key}, VIEWER)).status).toBe(200)
      expect((await gql({url, apiKey: 'n'.repeat(40)}, VIEWER)).status).toBe(401)
    } finally {
      proc.kill('SIGTERM')
      expect(await proc.exited).toBe(0)
    }
  })
})

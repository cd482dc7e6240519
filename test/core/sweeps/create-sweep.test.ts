/**
 * createSweep and setSweepState against a recording fake server (the `fetch` seam of the HTTP
 * stack): the exact GraphQL requests wandb 0.31 sends, its fallback through older UpsertSweep
 * documents, what is printed, the state preconditions, and how failures map to exit codes.
 */
import {afterAll, describe, expect, test} from 'bun:test'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {ExitCode} from '../../../src/core/exit-codes.ts'
import {
  LocalControllerError,
  SweepApi,
  SweepConfigError,
  SweepNotFoundError,
  SweepServerError,
  SweepStateError,
  createSweep,
  setSweepState,
  type CreateSweepOptions,
  type SweepStateAction,
} from '../../../src/core/sweeps/index.ts'

const dir = mkdtempSync(join(tmpdir(), 'nexus-create-sweep-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

interface Sent {
  query: string
  operationName: string
  variables: Record<string, unknown>
  authorization: string | null
}

/** A fake server: `answer` gets each GraphQL body and returns [status, json]; every request is recorded. */
function fakeServer(answer: (body: Sent, n: number) => [number, unknown]) {
  const sent: Sent[] = []
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(input, init)
    const body = {...(await req.json()), authorization: req.headers.get('authorization')} as Sent
    sent.push(body)
    const [status, json] = answer(body, sent.length - 1)
    return new Response(JSON.stringify(json), {status, headers: {'content-type': 'application/json'}})
  }) as typeof globalThis.fetch
  const api = new SweepApi({
    baseUrl: 'http://server.test',
    apiKey: 'k'.repeat(40),
    fetch,
    env: {WANDB__GRAPHQL_RETRY_MAX: '1', WANDB__GRAPHQL_RETRY_WAIT_MIN_SECONDS: '1', WANDB__GRAPHQL_RETRY_WAIT_MAX_SECONDS: '1'},
  })
  return {sent, api}
}

const CREATED = {data: {upsertSweep: {sweep: {name: 'sw123456', project: {id: 'UHJvamVjdDox', name: 'server-proj', entity: {id: 'RW50aXR5OjE=', name: 'server-ent'}}}, configValidationWarnings: []}}}

function configFile(text: string): string {
  const p = join(dir, `cfg-${Math.random().toString(36).slice(2)}.yaml`)
  writeFileSync(p, text)
  return p
}

function options(api: SweepApi, configPath: string, extra: Partial<CreateSweepOptions> = {}) {
  const lines: string[] = []
  const o: CreateSweepOptions = {
    configPath,
    defaults: {},
    baseUrl: 'http://server.test',
    appUrl: 'http://app.test',
    api,
    env: {},
    gitRoot: () => undefined,
    out: {info: (l) => lines.push(l), warn: (l) => lines.push(`WARNING ${l}`)},
    ...extra,
  }
  return {o, lines}
}

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p
  } catch (err) {
    return err as Error
  }
  throw new Error('expected a rejection')
}

describe('createSweep', () => {
  test("sends wandb's newest UpsertSweep with the PyYAML text and prints id, URL and agent command", async () => {
    const {sent, api} = fakeServer(() => [200, CREATED])
    const path = configFile('program: train.py\nmethod: random\ndescription: my sweep\nparameters:\n  lr: {min: 0.001, max: 0.1}\n  s: {values: ["008", abc]}\n')
    const {o, lines} = options(api, path, {project: 'proj'})
    const result = await createSweep(o)
    expect(sent).toHaveLength(1)
    expect(sent[0].operationName).toBe('UpsertSweep')
    expect(sent[0].authorization).toBe(`Basic ${Buffer.from(`api:${'k'.repeat(40)}`).toString('base64')}`)
    expect(sent[0].query).toContain('$controller: JSONString,$launchScheduler: JSONString, $templateVariableValues: JSONString,')
    expect(sent[0].query).toContain('configValidationWarnings')
    expect(sent[0].variables).toEqual({
      id: null,
      config: "description: my sweep\nmethod: random\nparameters:\n  lr:\n    distribution: uniform\n    max: 0.1\n    min: 0.001\n  s:\n    values:\n    - '008'\n    - abc\nprogram: train.py\n",
      description: 'my sweep',
      entityName: null,
      projectName: 'proj',
      controller: null,
      launchScheduler: null,
      templateVariableValues: 'null',
      scheduler: null,
      priorRunsFilters: null,
      displayName: null,
    })
    expect('state' in sent[0].variables).toBe(false)
    expect(lines).toEqual([
      `Creating sweep from: ${path}`,
      'Creating sweep with ID: sw123456',
      'View sweep at: http://app.test/server-ent/server-proj/sweeps/sw123456',
      'Run sweep agent with: wandb agent server-ent/proj/sw123456',
    ])
    expect(result).toMatchObject({id: 'sw123456', entity: 'server-ent', project: 'server-proj', agentCommand: 'wandb agent server-ent/proj/sw123456'})
  })

  test('--name, --program, prior runs, a scheduler and server warnings show up as wandb shows them', async () => {
    const warned = {data: {upsertSweep: {...CREATED.data.upsertSweep, configValidationWarnings: ['Additional properties are not allowed']}}}
    const {sent, api} = fakeServer(() => [200, warned])
    const {o, lines} = options(api, configFile('method: grid\nscheduler: {engine: wandb}\nparameters: {a: {values: [1]}}\n'), {
      entity: 'my team',
      project: 'p',
      name: 'Nice name',
      program: 'x.py',
      priorRuns: ['run1', 'rün2'],
    })
    await createSweep(o)
    const v = sent[0].variables
    expect(v.config).toBe('method: grid\nname: Nice name\nparameters:\n  a:\n    values:\n    - 1\nprogram: x.py\nscheduler:\n  engine: wandb\n')
    expect(v.priorRunsFilters).toBe('{"$or": [{"name": "run1"}, {"name": "r\\u00fcn2"}]}')
    expect(v.entityName).toBe('my team')
    expect(lines.slice(1)).toEqual([
      'WARNING Malformed sweep config detected! This may cause your sweep to behave in unexpected ways.',
      'WARNING To avoid this, please fix the sweep config schema violations below:',
      'WARNING   Violation 1. Additional properties are not allowed',
      'Creating sweep with ID: sw123456',
      'View sweep at: http://app.test/server-ent/server-proj/sweeps/sw123456',
      "Run sweep agent with: wandb agent 'my team/p/sw123456'",
      "Run scheduler with: wandb sweep-scheduler 'my team/p/sw123456'",
    ])
  })

  test('falls back through the older documents when the server rejects one, like wandb', async () => {
    const {sent, api} = fakeServer((body, n) => {
      if (body.operationName === 'GetDefaultEntity') return [200, {data: {viewer: {id: 'VXNlcjox', entity: 'viewer-e'}}}]
      return n < 2 ? [200, {errors: [{message: 'Unknown argument "launchScheduler"'}]}] : [200, {data: {upsertSweep: {sweep: {name: 'old12345', project: null}}}}]
    })
    const {o, lines} = options(api, configFile('method: grid\nparameters: {a: {values: [1]}}\n'), {defaults: {project: 'set-p'}})
    await createSweep(o)
    expect(sent.map((s) => s.operationName)).toEqual(['UpsertSweep', 'UpsertSweep', 'UpsertSweep', 'GetDefaultEntity'])
    expect(sent.slice(0, 3).map((s) => s.query.includes('launchScheduler'))).toEqual([true, true, false])
    expect(sent[1].query).not.toContain('templateVariableValues')
    // without the sweep's project in the answer, wandb links with the settings' project and the viewer's entity
    expect(lines.slice(1)).toEqual(['Creating sweep with ID: old12345', 'View sweep at: http://app.test/viewer-e/set-p/sweeps/old12345', 'Run sweep agent with: wandb agent set-p/old12345'])
  })

  test('when every document is rejected the last rejection is reported with exit 2', async () => {
    const {sent, api} = fakeServer((_b, n) => [200, {errors: [{message: `rejected ${n}`}]}])
    const err = await rejection(createSweep(options(api, configFile('method: grid\nparameters: {a: {values: [1]}}\n')).o))
    expect(sent).toHaveLength(5)
    expect(err).toBeInstanceOf(SweepServerError)
    expect((err as SweepServerError).exitCode).toBe(ExitCode.USAGE)
    expect((err as SweepServerError).userText).toBe('The server rejected the request to create the sweep: rejected 4')
  })

  test('refused credentials stop at once with exit 4, other HTTP failures exit 5', async () => {
    const auth = fakeServer(() => [401, {errors: ['unauthorized']}])
    const err = (await rejection(createSweep(options(auth.api, configFile('method: grid\n')).o))) as SweepServerError
    expect(auth.sent).toHaveLength(1)
    expect(err.exitCode).toBe(ExitCode.AUTH)
    expect(err.userText).toContain('refused the credentials (HTTP 401)')
    const down = fakeServer(() => [502, {error: 'bad gateway'}])
    const err5 = (await rejection(createSweep(options(down.api, configFile('method: grid\n')).o))) as SweepServerError
    expect(err5.exitCode).toBe(ExitCode.NETWORK)
    expect(down.sent).toHaveLength(2) // WANDB__GRAPHQL_RETRY_MAX=1: one retry
  }, 30_000)

  test('a local-controller config the search refuses, a bad method or an ambiguous parameter is refused before anything is sent', async () => {
    const {sent, api} = fakeServer(() => [200, CREATED])
    const local = await rejection(createSweep(options(api, configFile('method: grid\ncontroller: {type: local}\nparameters: {a: {distribution: nope, values: [1]}}\n')).o))
    expect(local).toBeInstanceOf(LocalControllerError)
    expect((local as LocalControllerError).userText).toStartWith('Error in sweep file: ')
    const flag = await rejection(createSweep(options(api, configFile('method: grid\nparameters: {a: {distribution: nope, values: [1]}}\n'), {controller: true}).o))
    expect((flag as LocalControllerError).exitCode).toBe(ExitCode.USAGE)
    expect(await rejection(createSweep(options(api, configFile('method: nope\n')).o))).toBeInstanceOf(SweepConfigError)
    expect(await rejection(createSweep(options(api, configFile('method: random\nparameters: {a: {min: 1, max: 2.0}}\n')).o))).toBeInstanceOf(SweepConfigError)
    expect(sent).toEqual([])
  })

  test('--update looks the sweep up and sends its id ("Updating sweep")', async () => {
    const {sent, api} = fakeServer((b) => (b.operationName === 'SweepState' ? [200, {data: {project: {sweep: {id: 'U3dlZXA6Nw==', name: 'abc', state: 'PENDING'}}}}] : [200, CREATED]))
    const {o, lines} = options(api, configFile('method: grid\n'), {update: 'e/p/abc'})
    await createSweep(o)
    expect(sent[0].variables).toEqual({entity: 'e', project: 'p', sweep: 'abc'})
    expect(sent[1].variables.id).toBe('U3dlZXA6Nw==')
    expect(lines[0]).toStartWith('Updating sweep from: ')
    expect(lines[1]).toBe('Updating sweep with ID: sw123456')
    const missing = fakeServer(() => [200, {data: {project: null}}])
    const err = await rejection(createSweep(options(missing.api, configFile('method: grid\n'), {update: 'p/abc', defaults: {entity: 'd'}}).o))
    expect(err).toBeInstanceOf(SweepNotFoundError)
    expect((err as SweepNotFoundError).userText).toBe('Sweep d/p/abc not found')
  })
})

describe('setSweepState', () => {
  const stateServer = (state: string) =>
    fakeServer((b) => (b.operationName === 'SweepState' ? [200, {data: {project: {sweep: {id: 'U3dlZXA6MQ==', name: 'abc', state}}}}] : [200, {data: {upsertSweep: {sweep: {name: 'abc'}}}}]))

  async function change(state: string, action: SweepStateAction, target = 'e/p/abc') {
    const {sent, api} = stateServer(state)
    const lines: string[] = []
    const run = setSweepState({target, action, defaults: {}, baseUrl: 'http://server.test', api, out: {info: (l) => lines.push(l), warn: (l) => lines.push(l)}})
    const err = await run.then(
      () => undefined,
      (e: Error) => e,
    )
    return {sent, lines, err}
  }

  test("reads the sweep, then sends wandb's UpsertSweep with id and state, printing what wandb prints", async () => {
    const {sent, lines, err} = await change('RUNNING', 'stop')
    expect(err).toBeUndefined()
    expect(sent.map((s) => s.operationName)).toEqual(['SweepState', 'UpsertSweep'])
    expect(sent[1].variables).toEqual({id: 'U3dlZXA6MQ==', state: 'FINISHED', entityName: 'e', projectName: 'p'})
    expect(sent[1].query).toContain('upsertSweep(input: {\n            id: $id,\n            state: $state,')
    expect(lines).toEqual(['Stopping sweep e/p/abc', 'Done.'])
  })

  test("allows and refuses exactly what wandb's _set_sweep_state does, by current state", async () => {
    const states = ['PENDING', 'RUNNING', 'PAUSED', 'FINISHED', 'CANCELED']
    const actions: SweepStateAction[] = ['stop', 'cancel', 'pause', 'resume']
    const table: Record<string, string> = {}
    for (const s of states) {
      for (const a of actions) {
        const {err, sent} = await change(s, a)
        table[`${a} ${s}`] = err ? (err as SweepStateError).userText : `ok ${sent.length}`
        if (err) expect((err as SweepStateError).exitCode).toBe(ExitCode.USAGE)
      }
    }
    expect(table).toEqual({
      'stop PENDING': 'ok 2',
      'cancel PENDING': 'ok 2',
      'pause PENDING': 'Cannot pause pending sweep.',
      'resume PENDING': 'ok 2',
      'stop RUNNING': 'ok 2',
      'cancel RUNNING': 'ok 2',
      'pause RUNNING': 'ok 2',
      'resume RUNNING': 'ok 2',
      'stop PAUSED': 'ok 2',
      'cancel PAUSED': 'ok 2',
      'pause PAUSED': 'ok 2',
      'resume PAUSED': 'ok 2',
      'stop FINISHED': 'Sweep already finished.',
      'cancel FINISHED': 'Sweep already finished.',
      'pause FINISHED': 'Cannot pause finished sweep.',
      'resume FINISHED': 'ok 2',
      'stop CANCELED': 'Sweep already canceled.',
      'cancel CANCELED': 'Sweep already canceled.',
      'pause CANCELED': 'Cannot pause canceled sweep.',
      'resume CANCELED': 'ok 2',
    })
  }, 60_000)

  test('a missing sweep and a malformed path are errors naming them as wandb does', async () => {
    const {api} = fakeServer(() => [200, {data: {project: {sweep: null}}}])
    const lines: string[] = []
    const out = {info: (l: string) => lines.push(l), warn: () => {}}
    const err = await rejection(setSweepState({target: 'abc', action: 'pause', defaults: {}, baseUrl: 'x', api, out}))
    expect((err as SweepNotFoundError).userText).toBe('Sweep None/None/abc not found')
    expect(lines).toEqual(['Pausing sweep None/None/abc'])
    const bad = await rejection(setSweepState({target: 'a/b/c/d', action: 'pause', defaults: {}, baseUrl: 'x', api, out}))
    expect((bad as SweepNotFoundError).userText).toBe('Expected sweep_id in form of sweep, project/sweep, or entity/project/sweep')
  })
})

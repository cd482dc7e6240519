/**
 * The W&B server as the agent's command source, against the local backend: the sweep lookup
 * (config and its `command`), CreateAgent, heartbeats (run commands with int and float kept apart,
 * nothing while a run is live, a failed exchange logged and empty, 404 → SweepGoneError), and the
 * heartbeat JSON parsing of commands wandb's agent cannot process.
 */
import {afterAll, beforeAll, describe, expect, test} from 'bun:test'
import {gqlOk} from '../../../backend/gql-client.ts'
import {startBackend, type Backend} from '../../../backend/index.ts'
import {AgentApi, OnlineCommandSource, SweepGoneError, dumpPyJson, loadPyJson, onlineSource, parseCommands, pyReprValue} from '../../../../src/core/sweeps/agent/index.ts'
import {PyFloat, SweepNotFoundError} from '../../../../src/core/sweeps/index.ts'
import {RecordingOutput} from './helpers.ts'

let backend: Backend
beforeAll(async () => {
  backend = await startBackend({quiet: true})
})
afterAll(() => backend.stop())

const UPSERT = `mutation UpsertSweep($config: String, $entityName: String, $projectName: String) {
  upsertSweep(input: {config: $config, entityName: $entityName, projectName: $projectName}) { sweep { name } } }`

async function createSweep(config: string, project: string): Promise<string> {
  const data = await gqlOk(backend, UPSERT, {config, entityName: 'nexus', projectName: project})
  return data.upsertSweep.sweep.name
}

function source(sweep: string, o: {entity?: string; project?: string; defaults?: {entity?: string; project?: string}} = {}): {src: OnlineCommandSource; out: RecordingOutput} {
  const out = new RecordingOutput()
  const src = onlineSource({
    api: {baseUrl: backend.url, apiKey: backend.apiKey, env: {WANDB__GRAPHQL_RETRY_MAX: '1', WANDB__GRAPHQL_RETRY_WAIT_MIN_SECONDS: '1', WANDB__GRAPHQL_RETRY_WAIT_MAX_SECONDS: '1'}},
    sweep,
    entity: o.entity,
    project: o.project,
    defaults: o.defaults ?? {},
    host: 'test-host',
    baseUrl: backend.url,
    out,
  })
  return {src, out}
}

describe('OnlineCommandSource on the local backend', () => {
  test('start reads the config (with its command) and registers the agent; heartbeats hand out a run, then nothing while it is live', async () => {
    const id = await createSweep(
      'method: grid\nprogram: train.py\ncommand:\n- ${env}\n- ${interpreter}\n- ${program}\n- ${args_no_hyphens}\nparameters:\n  lr: {values: [0.5]}\n  n: {values: [3]}\n',
      'online-a',
    )
    const {src, out} = source(id, {entity: 'nexus', project: 'online-a'})
    const sweep = await src.start()
    expect(sweep).toMatchObject({id, entity: 'nexus', project: 'online-a'})
    expect(sweep.config.command).toEqual(['${env}', '${interpreter}', '${program}', '${args_no_hyphens}'])
    expect(sweep.config.program).toBe('train.py')
    expect(src.agentId).toBeString()
    const [cmd] = await src.heartbeat({})
    if (cmd.type !== 'run') throw new Error(`expected a run command, got ${cmd.type}`)
    expect(cmd.program).toBe('train.py')
    expect(cmd.args.lr.value).toEqual(new PyFloat(0.5))
    expect(cmd.args.n.value).toBe(3n)
    expect(await src.heartbeat({[cmd.runId]: true})).toEqual([])
    expect(out.lines).toEqual([])
    const ops = (await backend.inspectRequests()).filter((r) => r.path === '/graphql').map((r) => r.operation)
    expect(ops.slice(-4)).toEqual(['SweepWithRuns', 'CreateAgent', 'Heartbeat', 'Heartbeat'])
    expect(await backend.inspectUnknown()).toEqual([])
    const [s] = (await backend.inspectSweeps()).filter((x) => x.id === id)
    expect(s.runs.map((r) => r.id)).toEqual([cmd.runId])
  })

  test('the settings defaults fill in entity and project', async () => {
    const id = await createSweep('method: random\nprogram: t.py\nparameters:\n  a: {values: [1]}\n', 'online-b')
    const {src} = source(id, {defaults: {entity: 'nexus', project: 'online-b'}})
    expect((await src.start()).project).toBe('')
    expect(await src.heartbeat({})).toHaveLength(1)
  })

  test('an unknown sweep is SweepNotFoundError naming its path ("None" for what was not given), exit 2', async () => {
    const {src} = source('nosuch12', {project: 'online-a'})
    const err = await src.start().catch((e) => e)
    expect(err).toBeInstanceOf(SweepNotFoundError)
    expect(err.userText).toBe('Sweep None/online-a/nosuch12 not found')
    expect(err.exitCode).toBe(2)
  })

  test('a heartbeat the server rejects is logged as wandb logs it and gives no commands; a 404 is SweepGoneError', async () => {
    const id = await createSweep('method: random\nprogram: t.py\nparameters:\n  a: {values: [1]}\n', 'online-c')
    const {src, out} = source(id, {entity: 'nexus', project: 'online-c'})
    await src.start()
    await backend.addFault({match: {operation: 'Heartbeat'}, action: 'status', status: 400, times: 1})
    expect(await src.heartbeat({})).toEqual([])
    expect(out.lines[0]).toStartWith('ERROR - Error communicating with W&B.\n')
    await backend.clearFaults()
    await backend.reset()
    expect(await src.heartbeat({}).catch((e) => e)).toBeInstanceOf(SweepGoneError)
  })
})

describe('heartbeat JSON', () => {
  test("json.loads keeps ints, floats, NaN/Infinity and key order; json.dumps writes Python's text", () => {
    const v = loadPyJson('{"b": 1, "a": [1.0, 1e-05, -0.0, NaN, Infinity, -Infinity, 12345678901234567890], "s": "\\u00e9\\n", "t": true, "n": null}')
    expect(pyReprValue(v)).toBe("{'b': 1, 'a': [1.0, 1e-05, -0.0, nan, inf, -inf, 12345678901234567890], 's': 'é\\n', 't': True, 'n': None}")
    expect(dumpPyJson(v)).toBe('{"b": 1, "a": [1.0, 1e-05, -0.0, NaN, Infinity, -Infinity, 12345678901234567890], "s": "\\u00e9\\n", "t": true, "n": null}')
    for (const bad of ['', '{', '[1,]', '{"a" 1}', '01', '"\\x"', '[1] x', "{'a': 1}"]) expect(() => loadPyJson(bad)).toThrow()
  })

  test('commands wandb could not process are left out and logged; the others keep their order', () => {
    const out = new RecordingOutput()
    const cmds = parseCommands(
      JSON.stringify([
        {type: 'run', run_id: 'r1', program: 'p.py', args: {x: {value: 1}}},
        {type: 'launch_rockets'},
        {run_id: 'r2'},
        {type: 'run', run_id: 'r3', args: {x: 1}},
        {type: 'stop', run_id: 'r1'},
        {type: 'resume', run_id: 'r4', program: null, args: {}},
        {type: 'exit'},
      ]),
      out,
    )
    expect(cmds).toEqual([{type: 'run', runId: 'r1', program: 'p.py', args: {x: {value: 1n}}}, {type: 'stop', runId: 'r1'}, {type: 'resume', runId: 'r4', program: null, args: {}}, {type: 'exit'}])
    expect(out.lines).toEqual([
      'INFO - Agent received command: launch_rockets',
      "ERROR - Exception while processing command: {'type': 'launch_rockets'}\nAgentError: No such command: launch_rockets",
      'INFO - Agent received command: Unknown',
      "ERROR - Exception while processing command: {'run_id': 'r2'}\nAgentError: the command has no type",
      'INFO - Agent received command: run',
      "ERROR - Exception while processing command: {'type': 'run', 'run_id': 'r3', 'args': {'x': 1}}\nAgentError: No \"value\" found for command[\"args\"][\"x\"]",
    ])
    expect(parseCommands('not json', out)).toEqual([])
    expect(out.lines.at(-1)).toStartWith('ERROR - Error communicating with W&B.')
  })

  test('AgentApi is what onlineSource builds on when given one', () => {
    const api = new AgentApi({baseUrl: backend.url, apiKey: backend.apiKey})
    expect(onlineSource({api, sweep: 's', defaults: {}, host: 'h', baseUrl: backend.url, out: new RecordingOutput()})).toBeInstanceOf(OnlineCommandSource)
  })
})

/**
 * The server-side sweep controller (grid, random, bayes, run_cap, sweep states, local
 * controllers) and the sweep GraphQL mutations.
 */
import {afterAll, beforeAll, describe, expect, test} from 'bun:test'
import {gql, gqlOk} from './gql-client.ts'
import {startBackend, type Backend} from './index.ts'
import {Store} from './store/index.ts'
import {SweepController, type AgentCommand} from './sweeps/controller.ts'
import {sampleParam} from './sweeps/sampling.ts'

/** A store with one sweep and one agent; `beat(runState)` heartbeats that agent. */
function fixture(config: string, state = 'RUNNING') {
  const store = new Store()
  const project = store.projects.ensure('nexus', 'sweeps')
  const sweep = store.sweeps.create(project.id, 'sw1', config, state, {})
  const agent = store.sweeps.createAgent(sweep.id, 'host')
  let seed = 1
  const rand = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646
  const controller = new SweepController(store, rand)
  const beat = (runState: Record<string, boolean> = {}) => controller.heartbeat(agent, runState)
  return {store, sweep, beat, controller}
}

const runArgs = (cmds: AgentCommand[]) => cmds.map((c) => (c.type === 'run' ? Object.fromEntries(Object.entries(c.args).map(([k, v]) => [k, v.value])) : c.type))

describe('controller', () => {
  test('grid hands out every combination once, in order, then finishes the sweep and tells agents to exit', () => {
    const {beat, store, sweep, controller} = fixture('method: grid\nprogram: train.py\nparameters:\n  b: {values: [1, 2]}\n  a: {values: [x, y]}\n')
    expect(controller.expectedRunCount(sweep)).toBe(4)
    const seen = []
    for (let i = 0; i < 4; i++) {
      const cmds = beat()
      expect(cmds).toHaveLength(1)
      expect(cmds[0]).toMatchObject({type: 'run', program: 'train.py'})
      seen.push(runArgs(cmds)[0])
    }
    expect(seen).toEqual([
      {a: 'x', b: 1},
      {a: 'x', b: 2},
      {a: 'y', b: 1},
      {a: 'y', b: 2},
    ])
    expect(beat()).toEqual([{type: 'exit'}])
    expect(store.sweeps.get(sweep.id)?.state).toBe('FINISHED')
    expect(store.runs.listBySweep(sweep.project_id, 'sw1').map((r) => r.state)).toEqual(['pending', 'pending', 'pending', 'pending'])
  })

  test('an agent with a live run gets no new run; stop requests become stop commands', () => {
    const {beat, store, sweep} = fixture('method: random\nparameters:\n  lr: {min: 0.1, max: 0.2}\n')
    const [cmd] = beat()
    if (cmd.type !== 'run') throw new Error('expected a run command')
    expect(beat({[cmd.run_id]: true})).toEqual([])
    const run = store.runs.find(sweep.project_id, cmd.run_id)!
    store.runs.requestStop(run.id)
    expect(beat({[cmd.run_id]: true})).toEqual([{type: 'stop', run_id: cmd.run_id}])
    expect(runArgs(beat({[cmd.run_id]: false}))).toHaveLength(1)
  })

  test('random samples within the declared distributions; run_cap ends the sweep', () => {
    const {beat} = fixture(`method: random
run_cap: 20
parameters:
  lr: {distribution: log_uniform_values, min: 0.0001, max: 0.1}
  units: {distribution: int_uniform, min: 8, max: 12}
  opt: {values: [adam, sgd], probabilities: [0.5, 0.5]}
  fixed: {value: 7}
  nested:
    parameters:
      drop: {distribution: uniform, min: 0.1, max: 0.5}
`)
    const all = []
    for (let i = 0; i < 20; i++) all.push(...runArgs(beat()))
    expect(beat()).toEqual([{type: 'exit'}])
    for (const a of all as Record<string, any>[]) {
      expect(a.lr).toBeGreaterThanOrEqual(0.0001)
      expect(a.lr).toBeLessThanOrEqual(0.1)
      expect(Number.isInteger(a.units) && a.units >= 8 && a.units <= 12).toBe(true)
      expect(['adam', 'sgd']).toContain(a.opt)
      expect(a.fixed).toBe(7)
      expect(a.nested.drop).toBeGreaterThanOrEqual(0.1)
      expect(a.nested.drop).toBeLessThanOrEqual(0.5)
    }
    expect(new Set(all.map((a: any) => a.units)).size).toBeGreaterThan(1)
  })

  test('bayes proposes values inside the bounds and moves towards the better region once runs have results', () => {
    const {beat, store, sweep} = fixture('method: bayes\nmetric: {name: loss, goal: minimize}\nparameters:\n  x: {distribution: uniform, min: 0.0, max: 10.0}\n')
    for (let i = 0; i < 12; i++) {
      const [cmd] = beat()
      if (cmd.type !== 'run') throw new Error('expected a run command')
      const x = cmd.args.x.value as number
      expect(x).toBeGreaterThanOrEqual(0)
      expect(x).toBeLessThanOrEqual(10)
      const run = store.runs.find(sweep.project_id, cmd.run_id)!
      store.lines.write(run.id, 'wandb-summary.json', 0, [JSON.stringify({loss: (x - 7) ** 2})])
      store.runs.finish(run.id, 0)
    }
    const xs = store.runs.listBySweep(sweep.project_id, 'sw1').map((r) => JSON.parse(r.config as string).x.value as number)
    const late = xs.slice(-4)
    expect(late.every((x) => Math.abs(x - 7) < 2.5)).toBe(true)
  })

  test('paused sweeps give no runs; canceled ones stop live runs and exit; local controllers use their schedule', () => {
    expect(fixture('method: random\nparameters: {a: {values: [1]}}', 'PAUSED').beat()).toEqual([])
    expect(fixture('method: random\nparameters: {a: {values: [1]}}', 'CANCELED').beat({r1: true})).toEqual([{type: 'stop', run_id: 'r1'}, {type: 'exit'}])
    const local = fixture('method: random\ncontroller: {type: local}\nparameters: {a: {values: [1, 2]}}')
    expect(local.beat()).toEqual([])
    local.store.sweeps.update(local.sweep.id, {controller: JSON.stringify({schedule: [{id: 'sched1', data: {args: {a: {value: 2}}}}]})})
    expect(runArgs(local.beat())).toEqual([{a: 2}])
    expect(local.beat()).toEqual([])
    const scheduler = JSON.parse(local.store.sweeps.get(local.sweep.id)?.scheduler as string)
    expect(scheduler.scheduled.map((s: {id: string}) => s.id)).toEqual(['sched1'])
  })

  test('every distribution of the sweeps package can be sampled', () => {
    const rand = Math.random
    const cases: [Record<string, unknown>, (v: number) => boolean][] = [
      [{distribution: 'q_uniform', min: 0, max: 10, q: 2}, (v) => v % 2 === 0],
      [{distribution: 'log_uniform', min: 0, max: 1}, (v) => v >= 1 && v <= Math.E],
      [{distribution: 'q_log_uniform_values', min: 1, max: 100, q: 1}, (v) => Number.isInteger(v)],
      [{distribution: 'inv_log_uniform_values', min: 0.1, max: 10}, (v) => v >= 0.1 && v <= 10.0001],
      [{distribution: 'normal', mu: 5, sigma: 0.001}, (v) => Math.abs(v - 5) < 0.1],
      [{distribution: 'q_normal', mu: 5, sigma: 1, q: 1}, (v) => Number.isInteger(v)],
      [{distribution: 'log_normal', mu: 0, sigma: 1}, (v) => v > 0],
      [{distribution: 'beta', a: 2, b: 5}, (v) => v > 0 && v < 1],
    ]
    for (const [spec, ok] of cases) for (let i = 0; i < 50; i++) expect(ok(sampleParam(spec, rand) as number)).toBe(true)
    expect(() => sampleParam({distribution: 'weird'})).toThrow('unsupported')
  })
})

describe('sweep GraphQL', () => {
  let backend: Backend
  beforeAll(async () => {
    backend = await startBackend({quiet: true})
  })
  afterAll(() => backend.stop())

  const UPSERT = `mutation UpsertSweep($id: ID, $config: String, $entityName: String, $projectName: String, $state: String, $controller: JSONString) {
    upsertSweep(input: {id: $id, config: $config, entityName: $entityName, projectName: $projectName, state: $state, controller: $controller}) {
      sweep { name project { name entity { name } } } configValidationWarnings } }`

  test('upsertSweep validates configs, creates 8-character ids, and changes state by id', async () => {
    const bad = await gql(backend, UPSERT, {config: 'method: nonsense\nparameters: {a: {values: [1]}}', projectName: 'sw'})
    expect(bad.errors?.[0].message).toContain('unsupported sweep method')
    const grid = await gql(backend, UPSERT, {config: 'method: grid\nparameters: {a: {distribution: uniform, min: 0.0, max: 1.0}}', projectName: 'sw'})
    expect(grid.errors?.[0].message).toContain('grid search needs discrete values')

    const created = await gqlOk(backend, UPSERT, {config: 'method: random\nprogram: t.py\nparameters: {a: {values: [1, 2]}}', projectName: 'sw'})
    expect(created.upsertSweep).toMatchObject({configValidationWarnings: [], sweep: {project: {name: 'sw', entity: {name: 'nexus'}}}})
    const name = created.upsertSweep.sweep.name
    expect(name).toMatch(/^[a-z0-9]{8}$/)

    const q = await gqlOk(
      backend,
      `query SweepWithRuns($sweep: String!) { project(name: "sw", entityName: "nexus") { sweep(sweepName: $sweep) { id name method state config controller runs { edges { node { name } } } } } }`,
      {sweep: name},
    )
    expect(q.project.sweep).toMatchObject({name, method: 'random', state: 'RUNNING', controller: null, runs: {edges: []}})
    await gqlOk(backend, UPSERT, {id: q.project.sweep.id, state: 'PAUSED'})
    expect((await backend.inspectSweeps()).find((s) => s.id === name)?.state).toBe('PAUSED')
  })

  test('agentHeartbeat returns commands as a JSON string, and HTTP 404 for an unknown agent', async () => {
    const created = await gqlOk(backend, UPSERT, {config: 'method: grid\nprogram: t.py\nparameters: {a: {values: [1]}}', projectName: 'sw2'})
    const sweep = created.upsertSweep.sweep.name
    const agent = await gqlOk(
      backend,
      `mutation CreateAgent($host: String!, $projectName: String, $entityName: String, $sweep: String!) {
      createAgent(input: {host: $host, projectName: $projectName, entityName: $entityName, sweep: $sweep}) { agent { id } } }`,
      {host: 'h', projectName: 'sw2', entityName: 'nexus', sweep},
    )
    const HEARTBEAT = 'mutation Heartbeat($id: ID!, $metrics: JSONString, $runState: JSONString) { agentHeartbeat(input: {id: $id, metrics: $metrics, runState: $runState}) { agent { id } commands } }'
    const beat = await gqlOk(backend, HEARTBEAT, {id: agent.createAgent.agent.id, metrics: '{}', runState: '{}'})
    expect(typeof beat.agentHeartbeat.commands).toBe('string')
    const [cmd] = JSON.parse(beat.agentHeartbeat.commands)
    expect(cmd).toMatchObject({type: 'run', program: 't.py', args: {a: {value: 1}}})
    expect(cmd.run_id).toMatch(/^[a-z0-9]{8}$/)
    const missing = await gql(backend, HEARTBEAT, {id: Buffer.from('Agent:999').toString('base64'), metrics: '{}', runState: '{}'})
    expect(missing.status).toBe(404)
  })
})

/**
 * `wandb sweep-scheduler` (wandb 0.31, its optimizer in Python, engine `wandb`) served once by
 * the SDK's Go wandb-core and once by nexus (our binary swapped in for wandb/bin/wandb-core),
 * each against its own local backend. As upstream, the scheduler only enqueues runs
 * (enqueueSweepRun); the real `wandb agent` (on Go core in both cases) takes them from the
 * sweep's queue and runs the training script. The backends must end up alike (the sweep's runs,
 * their configs and states, the sweep FINISHED, the scheduler's log run), the scheduler must print
 * the same lines, and errors (unknown sweep, a sweep without `scheduler`, a failing backend) must
 * read the same.
 */
import {afterEach, describe, expect, test} from 'bun:test'
import {writeFileSync} from 'node:fs'
import {startBackend, type Backend} from '../backend/index.ts'
import {FAST_RETRIES, SdkSandbox, expectSuccess} from '../backend/sdk-sandbox.ts'
import {nexusOverlay} from '../e2e/harness.ts'
import type {PyResult} from '../helpers/python.ts'

type Core = 'go' | 'nexus'

const ENTITY = 'nexus'
const PROJECT = 'sched'

const GRID = `program: sweep_train.py
method: grid
metric:
  name: loss
  goal: minimize
parameters:
  lr:
    values: [0.1, 0.01]
  layers:
    values: [1, 2]
scheduler:
  engine: wandb
`

const open: {backends: Backend[]; boxes: SdkSandbox[]} = {backends: [], boxes: []}
afterEach(async () => {
  for (const b of open.backends.splice(0)) await b.stop()
  for (const s of open.boxes.splice(0)) s.dispose()
})

async function sandbox(): Promise<{backend: Backend; box: SdkSandbox}> {
  const backend = await startBackend({quiet: true})
  const box = new SdkSandbox(backend, {WANDB_ENTITY: ENTITY, WANDB_PROJECT: PROJECT, ...FAST_RETRIES})
  open.backends.push(backend)
  open.boxes.push(box)
  return {backend, box}
}

/** `wandb sweep FILE` with `yaml` as the file; returns the sweep id. */
async function createSweep(box: SdkSandbox, yaml: string, file = 'sweep.yaml'): Promise<string> {
  writeFileSync(box.path(file), yaml)
  const r = await box.cli(['sweep', file])
  expectSuccess('wandb sweep', r)
  const id = /Creating sweep with ID: (\w+)/.exec(r.stderr)?.[1]
  if (!id) throw new Error(`no sweep id in:\n${r.stderr}`)
  return id
}

/** `wandb sweep-scheduler ARGS` with the chosen core. */
function scheduler(box: SdkSandbox, core: Core, args: string[], env: Record<string, string> = {}): Promise<PyResult> {
  return box.cli(['sweep-scheduler', ...args], {env: {...(core === 'nexus' ? {PYTHONPATH: nexusOverlay()} : {}), ...env}, timeoutMs: 240_000})
}

/** The "wandb: " lines on stderr, with the backend URL, the sweep id and run ids made neutral. */
function lines(r: PyResult, backend: Backend, sweepId: string, runIds: string[] = []): string[] {
  return r.stderr
    .split('\n')
    .filter((l) => l.startsWith('wandb: '))
    .map((l) => {
      let out = l.replaceAll(backend.url, '<URL>').replaceAll(sweepId, '<SWEEP>')
      for (const id of runIds) out = out.replaceAll(id, '<RUN>')
      return out
    })
}

interface FlowOutcome {
  code: number
  lines: string[]
  text: string
  sweep: {state: string; runs: Array<{state: string; config: Record<string, unknown>}>}
  controllerRun: {state: string; sweep: string | null} | undefined
  unknown: unknown[]
  operations: string[]
}

/** Engine optuna (installed by setup-python.sh --test): a random search of three runs. */
const OPTUNA = `program: sweep_train.py
method: random
run_cap: 3
metric:
  name: loss
  goal: minimize
parameters:
  lr:
    min: 0.001
    max: 0.1
  layers:
    values: [1, 2]
scheduler:
  engine: optuna
`

/** A scheduler-enabled sweep driven to its end by the scheduler on `core` and a real agent. */
async function flow(core: Core, config = GRID): Promise<FlowOutcome> {
  const {backend, box} = await sandbox()
  box.copyScenario('sweep_train.py')
  const sweepId = await createSweep(box, config)
  const agent = box.cli(['agent', `${ENTITY}/${PROJECT}/${sweepId}`], {timeoutMs: 240_000})
  const r = await scheduler(box, core, [`${ENTITY}/${PROJECT}/${sweepId}`, '--batch-size', '2', '--poll-interval', '1'])
  const a = await agent
  expectSuccess('wandb agent', a)
  const [sweeps, runs, unknown, requests] = await Promise.all([backend.inspectSweeps(), backend.inspectRuns(), backend.inspectUnknown(), backend.inspectRequests()])
  const sweep = sweeps.find((s) => s.id === sweepId)
  if (!sweep) throw new Error(`sweep ${sweepId} is gone`)
  const control = runs.find((run) => run.id === `${sweepId}-controller`)
  return {
    code: r.code,
    lines: lines(
      r,
      backend,
      sweepId,
      sweep.runs.map((run) => run.id),
    ),
    text: `${r.stdout}\n${r.stderr}`,
    sweep: {state: sweep.state, runs: sweep.runs.map((run) => ({state: run.state, config: run.config})).sort((x, y) => JSON.stringify(x.config).localeCompare(JSON.stringify(y.config)))},
    controllerRun: control && {state: control.state, sweep: control.sweep},
    unknown,
    operations: [...new Set(requests.map((q) => q.operation ?? ''))].sort(),
  }
}

describe('wandb sweep-scheduler, Go core vs nexus', () => {
  test('a grid sweep with scheduler.engine wandb runs to its end with the same runs, lines and backend state', async () => {
    const [go, ours] = await Promise.all([flow('go'), flow('nexus')])
    for (const o of [go, ours]) expect(o.code, o.text).toBe(0)

    expect(go.sweep.state).toBe('FINISHED')
    expect(go.sweep.runs).toEqual([
      {state: 'finished', config: {layers: 1, lr: 0.01}},
      {state: 'finished', config: {layers: 1, lr: 0.1}},
      {state: 'finished', config: {layers: 2, lr: 0.01}},
      {state: 'finished', config: {layers: 2, lr: 0.1}},
    ])
    expect(ours.sweep).toEqual(go.sweep)
    // the scheduler's log run (wandb.init(id=controllerRunName)) exists outside the sweep in both
    expect(go.controllerRun).toEqual({state: expect.any(String), sweep: null})
    expect(ours.controllerRun).toEqual(go.controllerRun)
    expect(go.unknown).toEqual([])
    expect(ours.unknown).toEqual([])
    expect(ours.operations).toEqual(go.operations)
    for (const op of ['SweepConfig', 'SweepRunsWithHistory', 'EnqueueSweepRun', 'SweepWatchedRuns', 'UpsertSweepState', 'ServerFeaturesQuery']) {
      expect(ours.operations).toContain(op)
    }

    // warm start and the first ask are deterministic; later asks depend on when the agent finishes runs
    const head = (o: FlowOutcome) => o.lines.slice(0, 7)
    expect(head(go)).toEqual([
      'wandb: Starting sweep scheduler for <SWEEP> 🧹',
      'wandb: [wandb sweep-scheduler] Loaded credentials for <URL> from WANDB_API_KEY.',
      'wandb: Loading run state from the backend.',
      'wandb: Processing 0 runs in this page.',
      'wandb: Finished loading run state.',
      'wandb: wandb optimizer is generating 2 new runs',
      expect.stringMatching(/^wandb: wandb optimizer generated 2 runs in [\d.]+s$/),
    ])
    expect(head(ours).slice(0, 6)).toEqual(head(go).slice(0, 6))
    const enqueued = (o: FlowOutcome) => o.lines.filter((l) => l.startsWith('wandb: Enqueued run')).sort()
    expect(enqueued(go)).toHaveLength(4)
    expect(enqueued(ours)).toEqual(enqueued(go))
    const last = 'wandb: Sweep scheduler for <SWEEP> exited: the sweep finished or was canceled (the search space is exhausted).'
    expect(go.lines.at(-1)).toBe(last)
    expect(ours.lines.at(-1)).toBe(last)
  }, 480_000)

  test('engine optuna: at least run_cap finished runs in range, the sweep finished, the same closing line on both cores', async () => {
    const [go, ours] = await Promise.all([flow('go', OPTUNA), flow('nexus', OPTUNA)])
    for (const o of [go, ours]) {
      expect(o.code, o.text).toBe(0)
      expect(o.sweep.state).toBe('FINISHED')
      expect(o.unknown).toEqual([])
      // the run cap ends the sweep; a run enqueued just before may stay pending, on Go as on nexus
      expect(o.sweep.runs.filter((r) => r.state === 'finished').length).toBeGreaterThanOrEqual(3)
      for (const run of o.sweep.runs) {
        expect(['finished', 'pending']).toContain(run.state)
        expect(run.config.lr as number).toBeGreaterThanOrEqual(0.001)
        expect(run.config.lr as number).toBeLessThanOrEqual(0.1)
        expect([1, 2]).toContain(run.config.layers as number)
      }
    }
    expect(ours.operations).toEqual(go.operations)
    expect(go.lines.at(-1)).toBe('wandb: Sweep scheduler for <SWEEP> exited: the sweep finished or was canceled (the run cap was hit).')
    expect(ours.lines.at(-1)).toBe(go.lines.at(-1))
  }, 480_000)

  test('the same clear errors: an unknown sweep, a sweep without a scheduler block, a sweep without a metric', async () => {
    const {backend, box} = await sandbox()
    const plain = await createSweep(box, GRID.replace('scheduler:\n  engine: wandb\n', ''), 'plain.yaml')
    const noMetric = await createSweep(box, GRID.replace('metric:\n  name: loss\n  goal: minimize\n', ''), 'nometric.yaml')
    const cases: Array<[string, string]> = [
      ['nosuchid', 'failed to initialize: scheduler: sweep not found'],
      [plain, 'failed to start: Unsupported engine: None'],
      [noMetric, 'failed to initialize: scheduler: the sweep config names no objective metric'],
    ]
    for (const [id, message] of cases) {
      const path = `${ENTITY}/${PROJECT}/${id}`
      const [go, ours] = await Promise.all([scheduler(box, 'go', [path]), scheduler(box, 'nexus', [path])])
      expect(go.code).toBe(1)
      expect(ours.code).toBe(1)
      expect(go.stderr).toContain(message)
      expect(lines(ours, backend, id)).toEqual(lines(go, backend, id))
    }
    expect(await backend.inspectUnknown()).toEqual([])
  }, 240_000)

  test('a backend failing the sweep lookup: the same error after the retries', async () => {
    const {backend, box} = await sandbox()
    const id = await createSweep(box, GRID)
    await backend.addFault({match: {operation: 'SweepConfig'}, action: 'status', status: 500})
    const env = {WANDB__GRAPHQL_RETRY_MAX: '1'}
    const path = `${ENTITY}/${PROJECT}/${id}`
    const [go, ours] = await Promise.all([scheduler(box, 'go', [path], env), scheduler(box, 'nexus', [path], env)])
    expect(go.code).toBe(1)
    expect(ours.code).toBe(1)
    expect(go.stderr).toContain('failed to initialize: POST ')
    expect(go.stderr).toContain('giving up after 2 attempt(s)')
    expect(lines(ours, backend, id)).toEqual(lines(go, backend, id))
    // two attempts each (one retry), and nothing enqueued
    const lookups = (await backend.inspectRequests()).filter((q) => q.operation === 'SweepConfig')
    expect(lookups).toHaveLength(4)
    expect((await backend.inspectSweeps())[0].runs).toEqual([])
  }, 240_000)
})

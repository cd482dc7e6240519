/**
 * `nexus agent` (the compiled binary) on the local backend with real trials: the real SDK in
 * .venv picks the parameters up from the agent's environment. Compared with `wandb agent` 0.31
 * on a backend of its own with the same sweep: the same runs, the same agent lines, the same
 * GraphQL operations of the agent. Then bad input (unknown sweep, a bad path, a program that does
 * not exist, a crashing trial) and signals (Ctrl-C waits for the run; --forward-signals).
 */
import {afterEach, describe, expect, test} from 'bun:test'
import {existsSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {startBackend, type Backend} from '../backend/index.ts'
import {TempHome} from '../core/credentials/helpers.ts'
import {hostBinary} from '../helpers/binary.ts'
import {PYTHON} from '../helpers/python.ts'
import {ExitCode} from '../../src/commands/exit-codes.ts'
import {nexus, wandbCli} from './helpers.ts'

const open: {homes: TempHome[]; backends: Backend[]} = {homes: [], backends: []}
afterEach(async () => {
  for (const b of open.backends.splice(0)) await b.stop()
  for (const h of open.homes.splice(0)) h.dispose()
})

interface Side {
  home: TempHome
  backend: Backend
  env: Record<string, string>
}

/** A home with `files` in its workspace and a backend; the venv's python first on PATH (the agent runs `/usr/bin/env python`). */
async function side(files: Record<string, string>): Promise<Side> {
  const backend = await startBackend({quiet: true})
  const home = new TempHome()
  open.backends.push(backend)
  open.homes.push(home)
  for (const [name, text] of Object.entries(files)) writeFileSync(join(home.work, name), text)
  const env = {
    WANDB_BASE_URL: backend.url,
    WANDB_API_KEY: backend.apiKey,
    PATH: `${dirname(PYTHON)}:${process.env.PATH ?? ''}`,
    VIRTUAL_ENV: dirname(dirname(PYTHON)),
  }
  return {home, backend, env}
}

const TRAIN = `import wandb
run = wandb.init()
run.log({"loss": run.config["lr"] * run.config["layers"]})
run.summary["final"] = run.config["lr"] * run.config["layers"]
run.finish()
`
const GRID = `program: train.py
method: grid
metric: {name: loss, goal: minimize}
parameters:
  lr: {values: [0.1, 0.01]}
  layers: {values: [1, 2]}
`

/** Creates the sweep with nexus (or wandb) and returns its id. */
async function createSweep(s: Side, cli: 'nexus' | 'wandb', config: string, project: string): Promise<string> {
  const r = cli === 'nexus' ? await nexus(s.home, ['sweep', '-p', project, config], {env: s.env}) : await wandbCli(s.home, ['sweep', '-p', project, config], {env: s.env})
  const id = /Creating sweep with ID: (\w+)/.exec(r.stderr)?.[1]
  if (r.code !== 0 || !id) throw new Error(`${cli} sweep failed (${r.code}): ${r.stderr}`)
  return id
}

/**
 * The agent's own lines (its logger and its first termlog lines), times dropped, the sweep's run
 * ids as R1, R2… in order of appearance, the sweep id as <ID>, the workspace as <DIR>.
 */
async function agentLines(stderr: string, sweepId: string, s: Side): Promise<string[]> {
  const known = (await s.backend.inspectSweeps()).flatMap((x) => x.runs.map((r) => r.id))
  const order: string[] = []
  const out: string[] = []
  let inAgentLine = false
  for (const line of stderr.split('\n')) {
    const m = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} - wandb\.wandb_agent - (.*)$/.exec(line)
    let text: string
    if (m) text = m[1]
    else if (inAgentLine && line.startsWith('\t')) text = line
    else if (line.startsWith('wandb: Starting wandb agent') || (out.length === 1 && line.startsWith('wandb: [wandb.login()]'))) text = line
    else {
      inAgentLine = false
      continue
    }
    inAgentLine = true
    text = text.replaceAll(s.home.work, '<DIR>').replaceAll(s.backend.url, '<URL>').replaceAll(sweepId, '<ID>')
    for (const id of known.filter((k) => text.includes(k)).sort((a, b) => text.indexOf(a) - text.indexOf(b))) if (!order.includes(id)) order.push(id)
    for (const [i, id] of order.entries()) text = text.replaceAll(id, `R${i + 1}`)
    out.push(text)
  }
  return out
}

/** The agent's GraphQL operations on the backend (the trials' SDK traffic left out). */
async function agentOperations(s: Side): Promise<string[]> {
  return (await s.backend.inspectRequests()).map((r) => r.operation ?? '').filter((op) => ['SweepWithRuns', 'CreateAgent', 'Heartbeat'].includes(op))
}

describe("nexus agent runs a sweep's trials with the real SDK, as wandb agent does", () => {
  test('a 2×2 grid with --count 4: four finished runs with the four grid points, the same lines and agent operations as wandb agent', async () => {
    const [w, n] = await Promise.all([side({'train.py': TRAIN, 'grid.yaml': GRID}), side({'train.py': TRAIN, 'grid.yaml': GRID})])
    const [wid, nid] = await Promise.all([createSweep(w, 'wandb', 'grid.yaml', 'agents'), createSweep(n, 'nexus', 'grid.yaml', 'agents')])
    const [a, b] = await Promise.all([wandbCli(w.home, ['agent', '--count', '4', `nexus/agents/${wid}`], {env: w.env}), nexus(n.home, ['agent', '--count', '4', `nexus/agents/${nid}`], {env: n.env})])
    expect(a.code).toBe(0)
    expect(b.code).toBe(0)
    const [[sw], [sn]] = await Promise.all([w.backend.inspectSweeps(), n.backend.inspectSweeps()])
    const points = (s: typeof sn) => s.runs.map((r) => [r.state, r.config]).sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)))
    expect(points(sn)).toEqual([
      ['finished', {layers: 1, lr: 0.01}],
      ['finished', {layers: 1, lr: 0.1}],
      ['finished', {layers: 2, lr: 0.01}],
      ['finished', {layers: 2, lr: 0.1}],
    ])
    expect(points(sn)).toEqual(points(sw))
    const runs = (await n.backend.inspectRuns()).filter((r) => r.sweep === nid)
    expect(runs).toHaveLength(4)
    for (const r of runs) expect(r.summary.final).toBeCloseTo((r.config.lr as number) * (r.config.layers as number))
    const linesW = await agentLines(a.stderr, wid, w)
    const linesN = await agentLines(b.stderr, nid, n)
    expect(linesN).toEqual(linesW)
    expect(linesN.slice(0, 9)).toEqual([
      'wandb: Starting wandb agent 🕵️',
      'wandb: [wandb.login()] Loaded credentials for <URL> from WANDB_API_KEY.',
      'INFO - Running runs: []',
      'INFO - Agent received command: run',
      'INFO - Agent starting run with config:',
      '\tlayers: 1',
      '\tlr: 0.1',
      'INFO - About to run command: /usr/bin/env python train.py --layers=1 --lr=0.1',
      "INFO - Running runs: ['R1']",
    ])
    const [opsW, opsN] = await Promise.all([agentOperations(w), agentOperations(n)])
    expect(opsN.slice(0, 2)).toEqual(['SweepWithRuns', 'CreateAgent'])
    expect(opsN.slice(0, 2)).toEqual(opsW.slice(0, 2))
    // one heartbeat per 5 s loop that did not end the agent: at least one per run
    expect(opsN.slice(2).every((op) => op === 'Heartbeat')).toBe(true)
    expect(opsN.length - 2).toBeGreaterThanOrEqual(4)
    expect(await n.backend.inspectUnknown()).toEqual([])
  }, 300_000)
})

const FAST = {NEXUS_AGENT_POLL_INTERVAL: '0.5'}

describe('bad input', () => {
  test("an unknown sweep: exit 2 with the sweep's path, nothing registered", async () => {
    const n = await side({})
    const r = await nexus(n.home, ['agent', '-p', 'proj', 'nosuch12'], {env: n.env})
    expect(r.code).toBe(ExitCode.USAGE)
    // as wandb: the entity is not given, so None
    expect(r.text).toContain('Sweep None/proj/nosuch12 not found')
    expect(await agentOperations(n)).toEqual(['SweepWithRuns'])
  }, 60_000)

  test("a sweep path with four parts: exit 2 with wandb's message", async () => {
    const n = await side({})
    const r = await nexus(n.home, ['agent', 'a/b/c/d'], {env: n.env})
    expect(r.code).toBe(ExitCode.USAGE)
    expect(r.text).toContain('Expected sweep_id in form of sweep, project/sweep, or entity/project/sweep')
    expect(await n.backend.inspectRequests()).toEqual([])
  }, 60_000)

  test('a program that does not exist: each trial fails, and after 3 failures the agent stops (flapping) with exit 1', async () => {
    const n = await side({'missing.yaml': 'program: missing.py\nmethod: grid\nparameters:\n  a: {values: [1, 2, 3, 4, 5]}\n'})
    const id = await createSweep(n, 'nexus', 'missing.yaml', 'bad')
    const r = await nexus(n.home, ['agent', `nexus/bad/${id}`], {env: {...n.env, ...FAST}})
    expect(r.code).toBe(1)
    expect(r.stderr.match(/can't open file .*missing\.py/g)).toHaveLength(3)
    const lines = await agentLines(r.stderr, id, n)
    expect(lines.slice(-2)).toEqual(['ERROR - Detected 3 failed runs in the first 60 seconds, shutting down.', 'INFO - To disable this check set WANDB_AGENT_DISABLE_FLAPPING=true'])
  }, 120_000)

  test('a trial that crashes after wandb.init is a failed run; the agent goes on to the next one (credentials given as flags reach the trials)', async () => {
    const crash = 'import wandb\nrun = wandb.init()\nif run.config["a"] == 1:\n    raise RuntimeError("boom")\nrun.log({"x": 1})\nrun.finish()\n'
    const n = await side({'crash.py': crash, 'crash.yaml': 'program: crash.py\nmethod: grid\nparameters:\n  a: {values: [1, 2]}\n'})
    const id = await createSweep(n, 'nexus', 'crash.yaml', 'crashy')
    // credentials as flags only: the agent passes them on to the trials' wandb.init()
    const {WANDB_API_KEY: key, WANDB_BASE_URL: url, ...rest} = n.env
    const r = await nexus(n.home, ['agent', '--count', '2', '--api-key', key, '--base-url', url, `nexus/crashy/${id}`], {env: {...rest, ...FAST}})
    expect(r.code).toBe(0)
    const [s] = await n.backend.inspectSweeps()
    expect(s.runs.map((x) => [x.config.a, x.state]).sort()).toEqual([
      [1, 'failed'],
      [2, 'finished'],
    ])
    const runs = await n.backend.inspectRuns()
    expect(runs.find((x) => x.config.a === 1)?.exitCode).toBe(1)
    expect(r.stderr).toContain('RuntimeError: boom')
  }, 120_000)
})

/** Starts `nexus agent ARGS`; `waitFor(text)` resolves once its stderr shows `text` (60 s at most). */
function startAgent(n: Side, args: string[], env: Record<string, string>) {
  const proc = Bun.spawn([hostBinary(), 'agent', ...args], {cwd: n.home.work, env: n.home.processEnv({...n.env, ...env}) as Record<string, string>, stdin: 'ignore', stdout: 'pipe', stderr: 'pipe'})
  let stderr = ''
  const reader = proc.stderr.getReader()
  const decoder = new TextDecoder()
  const pump = (async () => {
    for (;;) {
      const {value, done} = await reader.read()
      if (done) return
      stderr += decoder.decode(value)
    }
  })()
  const waitFor = async (marker: string) => {
    const deadline = Date.now() + 60_000
    while (!stderr.includes(marker)) {
      if (Date.now() > deadline || proc.exitCode !== null) throw new Error(`no "${marker}" from the agent:\n${stderr}`)
      await Bun.sleep(50)
    }
  }
  return {
    proc,
    waitFor,
    output: async () => {
      await proc.exited
      await pump
      return stderr
    },
  }
}

describe('signals', () => {
  // a trial that says when it runs, records SIGTERM, and otherwise ends once the test lets it
  const TRIAL = `import os, signal, sys, time
def on_term(*_):
    open("got-sigterm", "w").close()
    sys.exit(0)
signal.signal(signal.SIGTERM, on_term)
print("TRIAL STARTED", file=sys.stderr, flush=True)
while not os.path.exists("let-go"):
    time.sleep(0.05)
`
  const CONFIG = 'program: trial.py\nmethod: grid\nparameters:\n  a: {values: [1, 2]}\n'

  test('Ctrl-C: the agent waits for the running trial to end (it is not signalled), then exits 130', async () => {
    const n = await side({'trial.py': TRIAL, 'c.yaml': CONFIG})
    const id = await createSweep(n, 'nexus', 'c.yaml', 'sig')
    const agent = startAgent(n, [`nexus/sig/${id}`], FAST)
    await agent.waitFor('TRIAL STARTED')
    agent.proc.kill('SIGINT')
    await agent.waitFor('ctrl-c received')
    writeFileSync(join(n.home.work, 'let-go'), '')
    const stderr = await agent.output()
    expect(agent.proc.exitCode).toBe(130)
    expect(stderr).toContain('wandb: ctrl-c received. Waiting for runs to end. Send ctrl-c again to terminate them.')
    expect(existsSync(join(n.home.work, 'got-sigterm'))).toBe(false)
    const [s] = await n.backend.inspectSweeps()
    expect(s.runs).toHaveLength(1)
  }, 120_000)

  test('--forward-signals: SIGTERM reaches the trial, and the agent exits 143 once it has ended', async () => {
    const n = await side({'trial.py': TRIAL, 'c.yaml': CONFIG})
    const id = await createSweep(n, 'nexus', 'c.yaml', 'sig')
    const agent = startAgent(n, ['--forward-signals', `nexus/sig/${id}`], FAST)
    await agent.waitFor('TRIAL STARTED')
    agent.proc.kill('SIGTERM')
    const stderr = await agent.output()
    expect(agent.proc.exitCode).toBe(143)
    expect(existsSync(join(n.home.work, 'got-sigterm'))).toBe(true)
    expect(stderr).toContain('wandb: SIGTERM received. Waiting for runs to end. Send SIGTERM again to terminate them.')
  }, 120_000)
})

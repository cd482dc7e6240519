/**
 * `nexus sweep` (the compiled binary) against the real `wandb sweep` of wandb 0.31: each runs in
 * its own isolated home against its own fresh local backend, and the sweeps the backends end up
 * with, the printed lines and the outcomes are compared. Then the real `wandb agent` runs a sweep
 * that nexus created.
 */
import {afterEach, describe, expect, test} from 'bun:test'
import {copyFileSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {startBackend, type Backend} from '../backend/index.ts'
import {TempHome, testKey} from '../core/credentials/helpers.ts'
import {PYTHON} from '../helpers/python.ts'
import {ExitCode} from '../../src/commands/exit-codes.ts'
import {nexus, wandbCli} from './helpers.ts'

type Cli = 'wandb' | 'nexus'

/** One CLI with its own home and backend. */
interface Side {
  cli: Cli
  home: TempHome
  backend: Backend
}

interface Outcome {
  code: number
  /** The "wandb: …" lines on stderr (without wandb's pointer to its debug log), the backend URL as <URL>, sweep ids as <ID>. */
  lines: string[]
  /** All output, for error messages. */
  text: string
  /** The sweep id printed, if any. */
  id?: string
}

const open: {homes: TempHome[]; backends: Backend[]} = {homes: [], backends: []}
afterEach(async () => {
  for (const b of open.backends.splice(0)) await b.stop()
  for (const h of open.homes.splice(0)) h.dispose()
})

async function side(cli: Cli, o: {apiKeys?: string[]} = {}): Promise<Side> {
  const backend = await startBackend({quiet: true, ...o})
  const home = new TempHome()
  open.backends.push(backend)
  open.homes.push(home)
  return {cli, home, backend}
}

/** A wandb side and a nexus side, each with the same files in its workspace. */
async function pair(files: Record<string, string> = {}): Promise<[Side, Side]> {
  const sides = await Promise.all([side('wandb'), side('nexus')])
  for (const s of sides) for (const [name, text] of Object.entries(files)) writeFileSync(join(s.home.work, name), text)
  return sides as [Side, Side]
}

/** Runs `<cli> sweep ARGS` on a side; `env` adds to (or with undefined removes from) the credentials. */
async function sweep(s: Side, args: string[], env: Record<string, string | undefined> = {}, ids: string[] = []): Promise<Outcome> {
  const full = {WANDB_BASE_URL: s.backend.url, WANDB_API_KEY: s.backend.apiKey, ...env}
  const r = s.cli === 'wandb' ? await wandbCli(s.home, ['sweep', ...args], {env: full as Record<string, string>}) : await nexus(s.home, ['sweep', ...args], {env: full as Record<string, string>})
  const id = /Creating sweep with ID: (\w+)/.exec(r.stderr)?.[1]
  const known = [...ids, ...(id ? [id] : [])]
  const lines = r.stderr
    .split('\n')
    .filter((l) => l.startsWith('wandb: ') && !l.startsWith('wandb: ERROR Find detailed error logs at:'))
    .map((l) => {
      let out = l.replaceAll(s.backend.url, '<URL>')
      for (const k of known) out = out.replaceAll(k, '<ID>')
      return out
    })
  return {code: r.code, lines, text: `${r.stdout}\n${r.stderr}`.replace(/\s*\n\s*›\s*/g, ' '), ...(id ? {id} : {})}
}

/** Both CLIs with the same arguments, concurrently. */
function both(w: Side, n: Side, args: string[], env: Record<string, string | undefined> = {}): Promise<[Outcome, Outcome]> {
  return Promise.all([sweep(w, args, env), sweep(n, args, env)])
}

/** The backend's sweeps without their random ids and (empty) runs. */
async function sweepsOf(s: Side) {
  return (await s.backend.inspectSweeps()).map(({id: _id, runs: _runs, ...rest}) => rest)
}

/** The GraphQL operations that reached the backend, without wandb's login check and telemetry probes. */
async function operations(s: Side): Promise<string[]> {
  return (await s.backend.inspectRequests()).filter((r) => r.path === '/graphql' && r.operation !== 'Viewer').map((r) => r.operation ?? '?')
}

const CONFIG = `program: train.py
method: random
name: nightly search
description: checks every flavour of value
metric: {name: loss, goal: minimize}
run_cap: 20
parameters:
  lr: {min: 0.0001, max: 0.1}
  layers: {min: 1, max: 4}
  dropout: {distribution: uniform, min: 0.0, max: 0.5}
  decay: {distribution: log_uniform_values, min: 1e-6, max: 1e-2}
  optimizer: {values: [adam, sgd, "yes", yes, "008", 1.0, 1]}
  nested:
    parameters:
      width: {values: [64, 128]}
`

describe('nexus sweep CONFIG, compared with wandb sweep CONFIG', () => {
  test('the same sweep (config as PyYAML writes it, entity, project, state) and the same lines: id, URL, agent command', async () => {
    const [w, n] = await pair({'cfg.yaml': CONFIG})
    const [a, b] = await both(w, n, ['cfg.yaml'])
    expect(a.code).toBe(0)
    expect(b.code).toBe(0)
    expect(b.lines).toEqual(a.lines)
    expect(b.lines).toEqual([
      'wandb: Creating sweep from: cfg.yaml',
      'wandb: Creating sweep with ID: <ID>',
      'wandb: View sweep at: <URL>/nexus/uncategorized/sweeps/<ID>',
      'wandb: Run sweep agent with: wandb agent nexus/uncategorized/<ID>',
    ])
    const [sw, sn] = await Promise.all([sweepsOf(w), sweepsOf(n)])
    expect(sn).toEqual(sw)
    expect(sn).toHaveLength(1)
    expect(sn[0]).toMatchObject({entity: 'nexus', project: 'uncategorized', state: 'RUNNING', method: 'random'})
    expect((sn[0].config.parameters as any).optimizer.values).toEqual(['adam', 'sgd', 'yes', true, '008', 1, 1])
    expect(await operations(n)).toEqual(await operations(w))
  }, 120_000)

  test("flags, WANDB_ENTITY/WANDB_PROJECT and the config's entity/project choose where it goes, in wandb's order", async () => {
    const withKeys = `${CONFIG}entity: cfg-team\nproject: cfg-project\n`
    const [w, n] = await pair({'cfg.yaml': CONFIG, 'keys.yaml': withKeys})
    const runs: [string[], Record<string, string>][] = [
      [['-p', 'flag-project', '-e', 'flag-team', '--name', 'Display Name', 'cfg.yaml'], {}],
      [['keys.yaml'], {WANDB_PROJECT: 'env-project'}],
      [['keys.yaml'], {}],
      [['--project', 'my project', 'cfg.yaml'], {WANDB_ENTITY: 'env-team'}],
    ]
    for (const [args, env] of runs) {
      const [a, b] = await both(w, n, args, env)
      expect(`${args.join(' ')}: ${b.code} ${b.lines.join(' | ')}`).toBe(`${args.join(' ')}: ${a.code} ${a.lines.join(' | ')}`)
    }
    const [sw, sn] = await Promise.all([sweepsOf(w), sweepsOf(n)])
    expect(sn).toEqual(sw)
    expect(sn.map((s) => `${s.entity}/${s.project}`).sort()).toEqual(['cfg-team/cfg-project', 'cfg-team/env-project', 'env-team/my project', 'flag-team/flag-project'])
    expect(sn.find((s) => s.project === 'flag-project')?.config.name).toBe('Display Name')
    const last = (await sweep(n, ['--project', 'my project', 'cfg.yaml'], {WANDB_ENTITY: 'env-team'})).lines.at(-1)
    expect(last).toBe("wandb: Run sweep agent with: wandb agent 'env-team/my project/<ID>'")
  }, 240_000)

  test("a scheduler config gets wandb's extra sweep-scheduler line", async () => {
    const [w, n] = await pair({'s.yaml': 'method: grid\nscheduler: {engine: wandb}\nparameters: {a: {values: [1, 2]}}\n'})
    const [a, b] = await both(w, n, ['-p', 'sched', 's.yaml'])
    expect(b.lines).toEqual(a.lines)
    expect(b.lines.at(-1)).toBe('wandb: Run scheduler with: wandb sweep-scheduler nexus/sched/<ID>')
    expect(await sweepsOf(n)).toEqual(await sweepsOf(w))
  }, 120_000)
})

describe('WANDB_SILENT, compared with wandb', () => {
  test('creates the same sweep and prints nothing', async () => {
    const [w, n] = await pair({'cfg.yaml': CONFIG})
    const [a, b] = await both(w, n, ['-p', 'quiet', 'cfg.yaml'], {WANDB_SILENT: 'true'})
    expect([a.code, b.code]).toEqual([0, 0])
    expect(a.lines).toEqual([])
    expect(b.text.trim()).toBe('')
    expect(await sweepsOf(n)).toEqual(await sweepsOf(w))
    expect(await sweepsOf(n)).toHaveLength(1)
  }, 120_000)
})

describe('nexus sweep --update, compared with wandb', () => {
  test('replaces the config of the existing sweep, printing "Updating sweep"', async () => {
    const [w, n] = await pair({'cfg.yaml': CONFIG, 'new.yaml': 'method: grid\nparameters:\n  a: {values: [1, 2]}\n'})
    const [cw, cn] = await both(w, n, ['-p', 'upd', 'cfg.yaml'])
    const [a, b] = await Promise.all([sweep(w, ['--update', `nexus/upd/${cw.id}`, 'new.yaml'], {}, [cw.id as string]), sweep(n, ['--update', `nexus/upd/${cn.id}`, 'new.yaml'], {}, [cn.id as string])])
    expect(b.code).toBe(0)
    expect(b.lines).toEqual(a.lines)
    expect(b.lines.slice(0, 2)).toEqual(['wandb: Updating sweep from: new.yaml', 'wandb: Updating sweep with ID: <ID>'])
    const [sw, sn] = await Promise.all([sweepsOf(w), sweepsOf(n)])
    expect(sn).toEqual(sw)
    expect(sn).toEqual([{entity: 'nexus', project: 'upd', state: 'RUNNING', method: 'grid', config: {method: 'grid', parameters: {a: {values: [1, 2]}}}}])
  }, 120_000)
})

describe('bad input: nothing is created, with exit codes by cause', () => {
  const BAD: [string, string | null, number, string][] = [
    ['missing.yaml', null, ExitCode.LOCAL_FILE, "Couldn't open sweep file: missing.yaml"],
    ['syntax.yaml', 'method: [grid\n', ExitCode.USAGE, 'Error in configuration file:'],
    ['empty.yaml', '# nothing\n', ExitCode.USAGE, 'Configuration file is empty'],
    ['list.yaml', '- method\n- grid\n', ExitCode.USAGE, 'must be a mapping'],
    ['ambiguous.yaml', 'method: random\nparameters:\n  a: {min: 1, max: 2.5}\n', ExitCode.USAGE, 'Parameter a is ambiguous'],
    ['nomethod.yaml', 'parameters:\n  a: {values: [1]}\n', ExitCode.USAGE, 'The sweep config has no method'],
    ['badmethod.yaml', 'method: hyperband\nparameters:\n  a: {values: [1]}\n', ExitCode.USAGE, 'is not one of: bayes, random, grid, custom'],
  ]

  test('unreadable, malformed, empty, ambiguous and method-less configs fail in both; nexus exits 8 or 2', async () => {
    const files = Object.fromEntries(BAD.filter(([, text]) => text !== null).map(([name, text]) => [name, text as string]))
    const [w, n] = await pair(files)
    const results = await Promise.all(BAD.map(([name]) => both(w, n, [name])))
    const summary = results.map(([a, b], i) => ({file: BAD[i][0], wandbFailed: a.code !== 0, nexus: b.code, says: b.text.includes(BAD[i][3])}))
    expect(summary).toEqual(BAD.map(([file, , code]) => ({file, wandbFailed: true, nexus: code, says: true})))
    // wandb says it is loading before it fails; so does nexus
    expect(results.map(([, b]) => b.lines[0])).toEqual(BAD.map(([name]) => `wandb: Creating sweep from: ${name}`))
    expect(await sweepsOf(w)).toEqual([])
    expect(await sweepsOf(n)).toEqual([])
    expect(await operations(n)).toEqual([])
  }, 240_000)

  test('a local-controller config the search refuses: both say "Error in sweep file" and create nothing; nexus exits 2', async () => {
    const bad = 'method: grid\ncontroller: {type: local}\nparameters:\n  a: {distribution: nope, values: [1]}\n'
    const [w, n] = await pair({'cfg.yaml': CONFIG, 'bad.yaml': bad})
    for (const args of [['bad.yaml'], ['--controller', 'bad.yaml']]) {
      const [a, b] = await both(w, n, args)
      expect(a.text).toContain('Error in sweep file')
      expect(b.code).toBe(ExitCode.USAGE)
      expect(b.text).toContain('Error in sweep file: Parameter a')
    }
    expect(await sweepsOf(w)).toEqual([])
    expect(await sweepsOf(n)).toEqual([])
  }, 120_000)

  test('without an API key both refuse before reading the config; nexus exits 4 and sends nothing', async () => {
    const [w, n] = await pair({'cfg.yaml': CONFIG})
    const [a, b] = await both(w, n, ['cfg.yaml'], {WANDB_API_KEY: undefined})
    expect(a.code).not.toBe(0)
    expect(a.text).toContain('No API key configured')
    expect(b.code).toBe(ExitCode.AUTH)
    expect(b.text).toContain(`No API key configured for ${n.backend.url}`)
    expect(b.lines).toEqual([])
    expect(await n.backend.inspectRequests()).toEqual([])
  }, 120_000)

  test('a key the server refuses exits 4 naming the 401, and creates nothing', async () => {
    const n = await side('nexus', {apiKeys: [testKey(1)]})
    writeFileSync(join(n.home.work, 'cfg.yaml'), CONFIG)
    const b = await sweep(n, ['cfg.yaml'], {WANDB_API_KEY: testKey(2)})
    expect(b.code).toBe(ExitCode.AUTH)
    expect(b.text).toContain('refused the credentials (HTTP 401)')
    expect(await sweepsOf(n)).toEqual([])
  }, 60_000)
})

describe('--pause, --resume, --stop, --cancel, compared with wandb', () => {
  test('the same steps give the same states, lines and refusals', async () => {
    const [w, n] = await pair({'cfg.yaml': CONFIG})
    const [cw, cn] = await both(w, n, ['-p', 'states', 'cfg.yaml'])
    const ids = {wandb: cw.id as string, nexus: cn.id as string}
    expect(ids.wandb).toBeDefined()
    expect(ids.nexus).toBeDefined()
    // [arguments with ID for the sweep id, expected state afterwards, refusal text or null]
    const steps: [string[], string, string | null][] = [
      [['--pause', 'nexus/states/ID'], 'PAUSED', null],
      [['--resume', 'states/ID'], 'RUNNING', null],
      [['--pause', '-p', 'states', '-e', 'nexus', 'ID'], 'PAUSED', null],
      [['--stop', 'nexus/states/ID'], 'FINISHED', null],
      [['--pause', 'nexus/states/ID'], 'FINISHED', 'Cannot pause finished sweep.'],
      [['--cancel', 'nexus/states/ID'], 'FINISHED', 'Sweep already finished.'],
      [['--resume', 'nexus/states/ID'], 'RUNNING', null],
      [['--cancel', 'nexus/states/ID'], 'CANCELED', null],
      [['--stop', 'ID'], 'CANCELED', 'Sweep None/None/ID not found'],
    ]
    for (const [args, state, refusal] of steps) {
      const [a, b] = await Promise.all([
        sweep(
          w,
          args.map((x) => x.replace('ID', ids.wandb)),
          {},
          [ids.wandb],
        ),
        sweep(
          n,
          args.map((x) => x.replace('ID', ids.nexus)),
          {},
          [ids.nexus],
        ),
      ])
      const label = args.join(' ')
      expect(`${label}: ${b.lines.join(' | ')}`).toBe(`${label}: ${a.lines.join(' | ')}`)
      expect(`${label}: ${b.code === 0}`).toBe(`${label}: ${a.code === 0}`)
      if (refusal) {
        expect(b.code).toBe(ExitCode.USAGE)
        expect(b.text.replaceAll(ids.nexus, 'ID')).toContain(refusal)
        expect(a.text.replaceAll(ids.wandb, 'ID')).toContain(refusal)
      }
      const [[sw], [sn]] = await Promise.all([w.backend.inspectSweeps(), n.backend.inspectSweeps()])
      expect(`${label}: ${sn.state}`).toBe(`${label}: ${sw.state}`)
      expect(`${label}: ${sn.state}`).toBe(`${label}: ${state}`)
    }
    const ops = await operations(n)
    expect(ops.filter((o) => o === 'SweepState')).toHaveLength(steps.length)
    expect(ops.filter((o) => o === 'UpsertSweep')).toHaveLength(1 + steps.filter(([, , r]) => r === null).length)
  }, 300_000)

  test("a sweep path with four parts is refused (exit 2) with wandb's message", async () => {
    const n = await side('nexus')
    const b = await sweep(n, ['--stop', 'a/b/c/d'])
    expect(b.code).toBe(ExitCode.USAGE)
    expect(b.text).toContain('Expected sweep_id in form of sweep, project/sweep, or entity/project/sweep')
    expect(await n.backend.inspectRequests()).toEqual([])
  }, 60_000)
})

describe('the real wandb agent runs a sweep nexus created', () => {
  test('wandb agent --count 1 takes the first grid point of a nexus sweep and finishes its run', async () => {
    const n = await side('nexus')
    copyFileSync(join(import.meta.dir, '..', 'backend', 'scenarios', 'sweep_train.py'), join(n.home.work, 'sweep_train.py'))
    copyFileSync(join(import.meta.dir, '..', 'backend', 'scenarios', 'sweep.yaml'), join(n.home.work, 'sweep.yaml'))
    const created = await sweep(n, ['-p', 'agent-proj', 'sweep.yaml'])
    expect(created.code).toBe(0)
    const id = created.id as string
    const agentArg = /wandb agent (\S+)/.exec(created.lines.at(-1) ?? '')?.[1]?.replace('<ID>', id)
    expect(agentArg).toBe(`nexus/agent-proj/${id}`)
    const env = {
      WANDB_BASE_URL: n.backend.url,
      WANDB_API_KEY: n.backend.apiKey,
      // the agent starts `/usr/bin/env python sweep_train.py`: that python must be the venv's
      PATH: `${dirname(PYTHON)}:${process.env.PATH ?? ''}`,
      VIRTUAL_ENV: dirname(dirname(PYTHON)),
    }
    const agent = await wandbCli(n.home, ['agent', '--count', '1', agentArg as string], {env})
    expect(agent.code).toBe(0)
    const [s] = await n.backend.inspectSweeps()
    expect(s).toMatchObject({entity: 'nexus', project: 'agent-proj', id, method: 'grid', state: 'RUNNING'})
    expect(s.runs.map((r) => [r.state, r.config])).toEqual([['finished', {layers: 1, lr: 0.1}]])
    const [run] = (await n.backend.inspectRuns()).filter((r) => r.sweep === id)
    expect(run.summary.final).toBeCloseTo(0.1)
    expect(run.history).toHaveLength(5)
  }, 240_000)
})

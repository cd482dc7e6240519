/**
 * The acceptance of `nexus service`: each scenario runs with the real SDK 0.31.0 twice, once with
 * its bundled Go wandb-core and once with nexus swapped in, each against a fresh local backend;
 * the normalised server states must be equal, and the SDK must not complain more with nexus.
 */
import {describe, expect, test} from 'bun:test'
import {copyFileSync, mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {startBackend, type Backend} from '../backend/index.ts'
import {SCENARIOS_DIR, offlineRunDirs, runScenario, runWandbCli, type CoreKind, type ScenarioRun} from './harness.ts'
import {normalizeRuns, type NormalizedRun} from './normalize.ts'
import {sdkProblems} from './sdk-output.ts'

interface Outcome {
  run: ScenarioRun
  state: NormalizedRun[]
}

async function outcome(scenario: string, core: CoreKind, runId: string, env?: Record<string, string>): Promise<Outcome> {
  const backend: Backend = await startBackend({quiet: true})
  try {
    const run = await runScenario(scenario, {core, backend, runId, env})
    return {run, state: normalizeRuns(await backend.inspectRuns())}
  } finally {
    await backend.stop()
  }
}

/** Runs the scenario with Go core and with nexus and checks they leave equal states. */
async function differential(scenario: string, o: {expectCode?: number; core?: CoreKind} = {}): Promise<{go: Outcome; nexus: Outcome}> {
  const runId = `${scenario.replace(/_/g, '')}${Math.floor(Math.random() * 1e6)}`
  const go = await outcome(scenario, 'go', runId)
  const nexus = await outcome(scenario, o.core ?? 'nexus', runId)
  const expectCode = o.expectCode ?? 0
  expect(go.run.code, `go: ${go.run.stderr.slice(-2000)}`).toBe(expectCode)
  expect(nexus.run.code, `nexus: ${nexus.run.stderr.slice(-2000)}`).toBe(expectCode)
  expect(go.state.length).toBeGreaterThan(0)
  expect(nexus.state).toEqual(go.state)
  const extra = sdkProblems(nexus.run.stderr).filter((p) => !sdkProblems(go.run.stderr).includes(p))
  expect(extra).toEqual([])
  return {go, nexus}
}

describe('nexus service leaves the same server state as Go wandb-core', () => {
  test('empty run', async () => {
    const {nexus} = await differential('empty_run')
    expect(nexus.state[0].state).toBe('finished')
  })

  test('config, 1000 logs with nested dicts and NaN/Inf, summary edits', async () => {
    const {nexus} = await differential('log_1000')
    expect(nexus.state[0].history).toHaveLength(1000)
    expect([0, 100, 200].map((i) => nexus.state[0].history[i].special)).toEqual(['NaN', 'Infinity', '-Infinity'])
    expect(nexus.state[0].summary.best_acc).toBe(0.99)
  })

  test('custom steps, commit=False and define_metric', async () => {
    const {nexus} = await differential('custom_step')
    expect(nexus.state[0].history.map((h) => h._step)).toEqual([0, 5, 7, 8, 9, 10, 11])
    expect(nexus.run.stderr).toContain('Tried to log to step 3 that is less than the current step 8.')
  })

  test('tags, notes, name, group and job_type', async () => {
    const {nexus} = await differential('tagged_run')
    expect(nexus.state[0]).toMatchObject({displayName: 'my display name', notes: 'some notes', group: 'group-1', jobType: 'train'})
    expect(nexus.state[0].tags).toEqual(['alpha', 'beta', 'gamma'])
  })

  test('an exception in the script ends the run failed with exit code 1', async () => {
    const {nexus} = await differential('crash_exit1', {expectCode: 1})
    expect(nexus.state[0]).toMatchObject({state: 'failed', exitCode: 1})
  })

  test('two runs in one process (reinit="create_new")', async () => {
    const {nexus} = await differential('two_runs')
    expect(nexus.state.map((r) => r.summary.which)).toEqual(['first', 'second'])
  })

  test('4 processes, each with its own run', async () => {
    const {nexus} = await differential('multi_process')
    expect(nexus.state).toHaveLength(4)
  }, 120_000)

  test('attached through WANDB_SERVICE to a running `nexus service`', async () => {
    await differential('log_1000', {core: 'nexus-attached'})
  })

  test('an offline run written by nexus is uploaded by `wandb sync` (Go) like one written by Go', async () => {
    const runId = `offline${Math.floor(Math.random() * 1e6)}`
    const states: NormalizedRun[][] = []
    for (const writer of ['go', 'nexus'] as const) {
      const written = await runScenario('offline_run', {core: writer, runId, env: {WANDB_MODE: 'offline'}})
      expect(written.code, written.stderr).toBe(0)
      const [dir] = offlineRunDirs(written.dir)
      const backend = await startBackend({quiet: true})
      try {
        const synced = await runWandbCli(['sync', dir], {core: 'go', backend, dir: written.dir})
        expect(synced.code, synced.stderr).toBe(0)
        states.push(normalizeRuns(await backend.inspectRuns()))
      } finally {
        await backend.stop()
      }
    }
    expect(states[0]).toHaveLength(1)
    expect(states[0][0].history).toHaveLength(200)
    expect(states[1]).toEqual(states[0])
  })

  test('save_code in a git repository uploads the program and the uncommitted diff', async () => {
    const runId = `code${Math.floor(Math.random() * 1e6)}`
    const states: NormalizedRun[][] = []
    for (const core of ['go', 'nexus'] as const) {
      const repo = mkdtempSync(join(tmpdir(), `e2e-code-${core}-`))
      const sh = (...cmd: string[]) => Bun.spawnSync(cmd, {cwd: repo, env: {...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e'}})
      copyFileSync(join(SCENARIOS_DIR, 'code_save.py'), join(repo, 'train.py'))
      writeFileSync(join(repo, 'notes.txt'), 'first\n')
      sh('git', 'init', '-q')
      sh('git', 'add', '.')
      sh('git', 'commit', '-qm', 'init')
      writeFileSync(join(repo, 'notes.txt'), 'first\nsecond\n')
      const backend = await startBackend({quiet: true})
      try {
        const r = await runScenario('code_save', {core, backend, runId, cwd: repo, script: join(repo, 'train.py'), env: {WANDB_DISABLE_CODE: 'false', WANDB_DISABLE_GIT: 'false'}})
        expect(r.code, r.stderr).toBe(0)
        states.push(normalizeRuns(await backend.inspectRuns()))
      } finally {
        await backend.stop()
      }
    }
    expect(Object.keys(states[0][0].files)).toContain('code/train.py')
    expect(Object.keys(states[0][0].files)).toContain('diff.patch')
    expect(states[1]).toEqual(states[0])
  })
})

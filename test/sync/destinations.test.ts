/**
 * A sync's progress belongs to its destination, and syncing destroys nothing: a run half-synced to
 * project A and then synced to project B (or another server) gets every row in B; back to A it
 * resumes without re-sending; artifact staging files survive, so syncing again elsewhere — with
 * nexus or with `wandb sync` (Go) — delivers the artifacts too.
 */
import {describe, expect, test} from 'bun:test'
import {existsSync, readdirSync} from 'node:fs'
import {join} from 'node:path'
import {startBackend, type Backend} from '../backend/index.ts'
import {copyWandbDir, goSync, nexusSync, offlineScenario, onlyRun} from './helpers.ts'

const history = async (backend: Backend, project: string) => (await backend.inspectRuns()).find((r) => r.project === project)?.history.length ?? 0
const historyReceived = async (backend: Backend, project: string) => (await backend.inspectFileStream()).find((r) => r.project === project && r.file === 'wandb-history.jsonl')?.lines ?? 0

describe('destinations', () => {
  test('A (left unfinished) → B gets every row → A again resumes and re-sends no history', async () => {
    const made = await offlineScenario('log_1000', 'dests')
    expect(made.code, made.stderr).toBe(0)
    const h = copyWandbDir(made.dir)
    const env = {XDG_CACHE_HOME: join(h, '.cache')}
    const run = onlyRun(h)
    await using backend = await startBackend({quiet: true})
    // A: every record delivered, but run files refused, so the sync stays unfinished (cursor kept)
    await backend.addFault({match: {operation: 'CreateRunFiles'}, action: 'status', status: 400})
    const a1 = await nexusSync([run.dir, '--project', 'proj-a'], backend, h, env)
    expect(a1.code, a1.stdout + a1.stderr).toBe(6)
    expect(await history(backend, 'proj-a')).toBe(1000)
    await backend.clearFaults()

    const b = await nexusSync([run.dir, '--project', 'proj-b'], backend, h, env)
    expect(b.code, b.stdout + b.stderr).toBe(0)
    expect(await history(backend, 'proj-b')).toBe(1000)

    const sentToA = await historyReceived(backend, 'proj-a')
    const a2 = await nexusSync([run.dir, '--project', 'proj-a', '--include-synced'], backend, h, env)
    expect(a2.code, a2.stdout + a2.stderr).toBe(0)
    expect(await history(backend, 'proj-a')).toBe(1000)
    expect(await historyReceived(backend, 'proj-a')).toBe(sentToA)
    expect(Object.keys((await backend.inspectRuns()).find((r) => r.project === 'proj-a')!.files)).toContain('config.yaml')
  })

  test("another server does not inherit the first server's progress", async () => {
    const made = await offlineScenario('log_1000', 'servers')
    expect(made.code, made.stderr).toBe(0)
    const h = copyWandbDir(made.dir)
    const env = {XDG_CACHE_HOME: join(h, '.cache')}
    await using first = await startBackend({quiet: true})
    await first.addFault({match: {operation: 'CreateRunFiles'}, action: 'status', status: 400})
    expect((await nexusSync([onlyRun(h).dir], first, h, env)).code).toBe(6)
    await using second = await startBackend({quiet: true})
    const r = await nexusSync([onlyRun(h).dir], second, h, env)
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect((await second.inspectRuns())[0].history).toHaveLength(1000)
  })
})

describe('nothing a later sync needs is deleted', () => {
  test('artifact staging files survive: a second nexus sync and then wandb sync (Go) deliver the artifacts', async () => {
    const made = await offlineScenario('artifact_offline', 'keepstage')
    expect(made.code, made.stderr).toBe(0)
    const staging = join(made.dir, '.data', 'artifacts', 'staging')
    const staged = readdirSync(staging).sort()
    expect(staged.length).toBeGreaterThan(0)
    const h = copyWandbDir(made.dir)
    const env = {XDG_CACHE_HOME: join(h, '.cache'), WANDB_DATA_DIR: join(made.dir, '.data')}
    const run = onlyRun(h)
    const runFiles = readdirSync(join(run.dir, 'files')).sort()
    const committed = async (b: Backend) => (await b.inspectArtifacts()).map((a) => `${a.name} ${a.state}`).sort()
    const expected = ['offline-data COMMITTED', 'offline-file COMMITTED']

    await using one = await startBackend({quiet: true})
    expect((await nexusSync([run.dir], one, h, env)).code).toBe(0)
    expect(await committed(one)).toEqual(expected)
    expect(readdirSync(staging).sort()).toEqual(staged)
    expect(readdirSync(join(run.dir, 'files')).sort()).toEqual(runFiles)

    await using two = await startBackend({quiet: true})
    const again = await nexusSync([run.dir, '--include-synced'], two, h, env)
    expect(again.code, again.stdout + again.stderr).toBe(0)
    expect(await committed(two)).toEqual(expected)

    await using three = await startBackend({quiet: true})
    const go = await goSync([run.dir, '--include-synced'], three, h)
    expect(go.code, go.stderr).toBe(0)
    expect(await committed(three)).toEqual(expected)
    expect(existsSync(`${run.file}.synced`)).toBe(true)
  }, 120_000)

  test('one run with a table and a model: server A, then --include-synced to B, then project C, then wandb sync: all complete', async () => {
    const made = await offlineScenario('offline_table_model', 'tablemodel')
    expect(made.code, made.stderr).toBe(0)
    const h = copyWandbDir(made.dir)
    const env = {XDG_CACHE_HOME: join(h, '.cache'), WANDB_DATA_DIR: join(made.dir, '.data')}
    const run = onlyRun(h)
    const artifacts = async (b: Backend) => (await b.inspectArtifacts()).map((a) => `${a.type} ${a.state}`).sort()
    const expected = ['model COMMITTED', 'run_table COMMITTED']

    await using a = await startBackend({quiet: true})
    const first = await nexusSync([run.dir], a, h, env)
    expect(first.code, first.stdout + first.stderr).toBe(0)
    expect(await history(a, 'e2e')).toBe(51)
    expect(await artifacts(a)).toEqual(expected)

    await using b = await startBackend({quiet: true})
    const second = await nexusSync([run.dir, '--include-synced'], b, h, env)
    expect(second.code, second.stdout + second.stderr).toBe(0)
    expect(await history(b, 'e2e')).toBe(51)
    expect(await artifacts(b)).toEqual(expected)

    const third = await nexusSync([run.dir, '--include-synced', '--project', 'elsewhere'], a, h, env)
    expect(third.code, third.stdout + third.stderr).toBe(0)
    expect(await history(a, 'elsewhere')).toBe(51)
    // as with `wandb sync --project` (Go), artifacts stay in the project they were logged to: committed once, none pending
    expect(await artifacts(a)).toEqual(expected)

    await using d = await startBackend({quiet: true})
    const go = await goSync([run.dir, '--include-synced'], d, h)
    expect(go.code, go.stderr).toBe(0)
    expect(await history(d, 'e2e')).toBe(51)
    expect(await artifacts(d)).toEqual(expected)
  }, 180_000)
})

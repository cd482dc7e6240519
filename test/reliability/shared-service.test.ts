/**
 * The shared node service with the real SDK: processes of one job share one node service; one
 * process killed mid-run takes nothing from the others and its run is still finished with what it
 * sent; a node directory another user could enter is never used; an upgraded binary gets a node
 * of its own; NEXUS_SHARED_SERVICE=0 keeps every service private.
 */
import {describe, expect, test} from 'bun:test'
import {chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, symlinkSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {startBackend, type Backend} from '../backend/index.ts'
import {nexusOverlay} from '../e2e/harness.ts'
import {hostBinary} from '../helpers/binary.ts'
import {nodePids} from '../helpers/shared-node.ts'
import {logContents, runFiles, startLoggingJob, waitGone, type LoggingJob} from './logging-job.ts'

/** A job's shared directory (HOME, WANDB_DIR, cwd) and a private runtime dir for its node services. */
function jobDirs() {
  const dir = mkdtempSync(join(tmpdir(), 'shared-job-'))
  const runtime = mkdtempSync(join(tmpdir(), 'shared-rt-'))
  return {dir, runtime, env: {XDG_RUNTIME_DIR: runtime, NEXUS_SHARED_IDLE: '3', E2E_SECONDS: '2'}}
}

const cmdline = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ')

async function expectComplete(backend: Backend, job: LoggingJob, dir: string, runId: string) {
  expect(await job.exited).toBe(0)
  await waitGone(job.servicePid)
  const log = logContents(runFiles(dir, runId).wandbFile)
  const run = (await backend.inspectRuns()).find((r) => r.id === runId)!
  expect(run.state).toBe('finished')
  expect(log.history).toBeGreaterThan(100)
  expect(run.history).toHaveLength(log.history)
}

describe('shared node service', () => {
  test('four processes of one job share one node service, and every run arrives whole', async () => {
    await using backend = await startBackend({quiet: true})
    const {dir, runtime, env} = jobDirs()
    const ids = ['sha', 'shb', 'shc', 'shd']
    const jobs = await Promise.all(ids.map((runId) => startLoggingJob('nexus', {backend, runId, untilStep: 100, env, dir})))
    const nodes = nodePids(runtime)
    expect(nodes).toHaveLength(1)
    // every SDK process has its own stand-in, none of which is the node service
    expect(new Set(jobs.map((j) => j.servicePid)).size).toBe(4)
    for (const j of jobs) expect(cmdline(j.servicePid)).not.toContain('--shared-node')
    for (const [i, j] of jobs.entries()) await expectComplete(backend, j, dir, ids[i])
    expect(await backend.inspectUnknown()).toEqual([])
    await waitGone(nodes[0]) // idle for NEXUS_SHARED_IDLE, the node exits by itself
  })

  test('one process killed mid-run: the others lose nothing, and its run is finished with what it sent', async () => {
    await using backend = await startBackend({quiet: true})
    const {dir, runtime, env} = jobDirs()
    const ids = ['kla', 'klb', 'klc']
    const jobs = await Promise.all(ids.map((runId) => startLoggingJob('nexus', {backend, runId, untilStep: 100, env: {...env, E2E_SECONDS: '4'}, dir})))
    expect(nodePids(runtime)).toHaveLength(1)
    jobs[0].kill()
    await jobs[0].exited
    await waitGone(jobs[0].servicePid) // the stand-in exits once its session finished the run
    for (const i of [1, 2]) await expectComplete(backend, jobs[i], dir, ids[i])
    const killed = (await backend.inspectRuns()).find((r) => r.id === 'kla')!
    const log = logContents(runFiles(dir, 'kla').wandbFile)
    expect(killed.state).toBe('failed')
    expect(killed.exitCode).toBe(1)
    expect(log.exitCode).toBe(1)
    expect(killed.history).toHaveLength(log.history)
  })

  const isRoot = process.getuid?.() === 0
  test.each([
    ['group or others may enter', 'has mode 777, not 700', (d: string) => chmodSync(d, 0o777)],
    ...(isRoot ? [["is another user's", 'belongs to uid 65534', (d: string) => chownSync(d, 65534, 65534)] as const] : []),
  ])('a node directory that %s is not used: the service is private, and says why', async (_what, reason, spoil) => {
    await using backend = await startBackend({quiet: true})
    const {dir, runtime, env} = jobDirs()
    mkdirSync(join(runtime, 'nexus'), {mode: 0o700})
    spoil(join(runtime, 'nexus'))
    const job = await startLoggingJob('nexus', {backend, runId: 'opendir', untilStep: 100, env, dir})
    expect(nodePids(runtime)).toEqual([])
    expect(readdirSync(join(runtime, 'nexus'))).toEqual([])
    await expectComplete(backend, job, dir, 'opendir')
    const logs = readdirSync(join(dir, '.cache', 'wandb', 'logs'))
      .map((f) => readFileSync(join(dir, '.cache', 'wandb', 'logs', f), 'utf8'))
      .join('\n')
    expect(logs).toContain('not sharing the node service')
    expect(logs).toContain(reason)
  })

  test('NEXUS_SHARED_SERVICE=0: a private service, no node', async () => {
    await using backend = await startBackend({quiet: true})
    const {dir, runtime, env} = jobDirs()
    const job = await startLoggingJob('nexus', {backend, runId: 'optout', untilStep: 100, env: {...env, NEXUS_SHARED_SERVICE: '0'}, dir})
    expect(nodePids(runtime)).toEqual([])
    expect(existsSync(join(runtime, 'nexus'))).toBe(false)
    await expectComplete(backend, job, dir, 'optout')
  })

  test('an upgraded binary never joins the node service of the old one', async () => {
    await using backend = await startBackend({quiet: true})
    const {dir, runtime, env} = jobDirs()
    // an SDK overlay whose wandb-core is a copy we can replace, as `pip install -U` replaces it
    const overlay = mkdtempSync(join(tmpdir(), 'shared-overlay-'))
    const pkg = join(overlay, 'wandb')
    mkdirSync(join(pkg, 'bin'), {recursive: true})
    const real = join(nexusOverlay(), 'wandb')
    for (const e of readdirSync(real)) if (e !== 'bin') symlinkSync(join(real, e), join(pkg, e))
    for (const e of readdirSync(join(real, 'bin'))) if (e !== 'wandb-core') symlinkSync(join(real, 'bin', e), join(pkg, 'bin', e))
    const core = join(pkg, 'bin', 'wandb-core')
    copyFileSync(hostBinary(), core)
    chmodSync(core, 0o755)
    const jobEnv = {...env, E2E_SECONDS: '4', NEXUS_SHARED_IDLE: '30'}
    const old = await startLoggingJob('nexus', {backend, runId: 'oldbin', untilStep: 100, env: jobEnv, dir, overlay})
    const [oldNode] = nodePids(runtime)
    expect(oldNode).toBeGreaterThan(0)
    copyFileSync(hostBinary(), `${core}.new`)
    chmodSync(`${core}.new`, 0o755)
    renameSync(`${core}.new`, core)
    const upgraded = await startLoggingJob('nexus', {backend, runId: 'newbin', untilStep: 100, env: jobEnv, dir, overlay})
    const nodes = nodePids(runtime)
    expect(nodes).toHaveLength(2)
    expect(nodes).toContain(oldNode)
    await expectComplete(backend, old, dir, 'oldbin')
    await expectComplete(backend, upgraded, dir, 'newbin')
    for (const pid of nodes) process.kill(pid, 'SIGTERM')
  })
})

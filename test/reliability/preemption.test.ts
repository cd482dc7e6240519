/**
 * A stopped job keeps at least what Go keeps: the real SDK logs ~100 steps/s, and once it logged
 * 500 steps (≈6 s into a 30 s run) it is stopped the ways schedulers and crashes stop it, once on
 * Go wandb-core and once on nexus. The .wandb file nexus leaves must hold at least as many history
 * records as Go's; online, nexus also delivers them within its grace period and finishes the run,
 * where Go leaves it "running" with nothing uploaded past its last file_stream push.
 */
import {describe, expect, test} from 'bun:test'
import {startBackend} from '../backend/index.ts'
import {hostBinary, run} from '../helpers/binary.ts'
import {logContents, runFiles, startLoggingJob, waitGone} from './logging-job.ts'

const UNTIL_STEP = 500
/** Generous, so a loaded machine still delivers everything; the default is 5 s. */
const GRACE = {NEXUS_SHUTDOWN_GRACE: '30'}

describe('preemption', () => {
  test('SIGTERM to the script: nexus keeps ≥ Go on disk, delivers every kept row and finishes the run', async () => {
    const kept: Record<string, number> = {}
    for (const core of ['go', 'nexus'] as const) {
      await using backend = await startBackend({quiet: true})
      const job = await startLoggingJob(core, {backend, runId: `term${core}`, untilStep: UNTIL_STEP, env: GRACE})
      process.kill(job.pid, 'SIGTERM')
      await job.exited
      await waitGone(job.servicePid)
      const {wandbFile} = runFiles(job.dir)
      const log = logContents(wandbFile)
      kept[core] = log.history
      const [runState] = await backend.inspectRuns()
      if (core === 'nexus') {
        expect(log.history).toBeGreaterThanOrEqual(UNTIL_STEP)
        expect(runState.history).toHaveLength(log.history)
        // the client vanished without finishing: failed with exit code 1, as `nexus sync` marks a crashed run
        expect(runState.state).toBe('failed')
        expect(runState.exitCode).toBe(1)
        expect(log.exitCode).toBe(1)
      } else {
        expect(runState.state).toBe('running')
      }
    }
    console.log(`history records kept in the .wandb file: go ${kept.go}, nexus ${kept.nexus}`)
    expect(kept.nexus).toBeGreaterThanOrEqual(kept.go)
  })

  test('offline, SIGTERM to the script: nexus keeps ≥ Go, and its file ends with the exit record', async () => {
    const kept: Record<string, number> = {}
    for (const core of ['go', 'nexus'] as const) {
      const job = await startLoggingJob(core, {runId: `off${core}`, untilStep: UNTIL_STEP, env: {...GRACE, E2E_MODE: 'offline'}})
      process.kill(job.pid, 'SIGTERM')
      await job.exited
      await waitGone(job.servicePid)
      const log = logContents(runFiles(job.dir).wandbFile)
      kept[core] = log.history
      expect(log.exitCode).toBe(core === 'nexus' ? 1 : undefined)
    }
    console.log(`history records kept in the .wandb file: go ${kept.go}, nexus ${kept.nexus}`)
    expect(kept.nexus).toBeGreaterThanOrEqual(UNTIL_STEP)
    expect(kept.nexus).toBeGreaterThanOrEqual(kept.go)
  })

  test('SIGKILL of the service (nexus: the stand-in and the node service): nexus keeps ≥ Go on disk, and `nexus sync` of the run dir delivers all of it', async () => {
    const kept: Record<string, number> = {}
    for (const core of ['go', 'nexus'] as const) {
      await using backend = await startBackend({quiet: true})
      const job = await startLoggingJob(core, {backend, runId: `kill${core}`, untilStep: UNTIL_STEP})
      if (core === 'nexus') expect(job.nodePid).toBeDefined()
      if (job.nodePid) process.kill(job.nodePid, 'SIGKILL')
      process.kill(job.servicePid, 'SIGKILL')
      process.kill(job.pid, 'SIGKILL')
      await job.exited
      if (job.nodePid) await waitGone(job.nodePid)
      const {runDir, wandbFile} = runFiles(job.dir)
      kept[core] = logContents(wandbFile).history
      if (core === 'nexus') {
        const sync = await run([hostBinary(), 'sync', '--include-online', runDir], {cwd: job.dir, env: {HOME: job.dir, WANDB_BASE_URL: backend.url, WANDB_API_KEY: backend.apiKey}})
        expect(sync.code, sync.stdout + sync.stderr).toBe(0)
        const [runState] = await backend.inspectRuns()
        expect(runState.history).toHaveLength(kept.nexus)
      }
    }
    expect(kept.go).toBeGreaterThan(0)
    console.log(`history records kept in the .wandb file: go ${kept.go}, nexus ${kept.nexus}`)
    expect(kept.nexus).toBeGreaterThanOrEqual(kept.go)
  })

  test('SIGTERM to the service alone while the script goes on: nexus writes at once and ends the run as killed by SIGTERM', async () => {
    const kept: Record<string, number> = {}
    for (const core of ['go', 'nexus'] as const) {
      await using backend = await startBackend({quiet: true})
      const job = await startLoggingJob(core, {backend, runId: `svc${core}`, untilStep: UNTIL_STEP, env: {NEXUS_SHUTDOWN_GRACE: '6'}})
      process.kill(job.servicePid, 'SIGTERM')
      await waitGone(job.servicePid)
      if (job.exitCode === null) job.kill() // the SDK may already have given up
      await job.exited
      const log = logContents(runFiles(job.dir).wandbFile)
      kept[core] = log.history
      if (core === 'nexus') {
        expect(log.exitCode).toBe(143)
        const [runState] = await backend.inspectRuns()
        expect(runState.exitCode).toBe(143)
      }
    }
    console.log(`history records kept in the .wandb file: go ${kept.go}, nexus ${kept.nexus}`)
    expect(kept.nexus).toBeGreaterThanOrEqual(kept.go)
  })

  test('SIGTERM to the whole job (scancel): nexus writes what it received and marks the run killed by SIGTERM', async () => {
    const kept: Record<string, number> = {}
    for (const core of ['go', 'nexus'] as const) {
      await using backend = await startBackend({quiet: true})
      const job = await startLoggingJob(core, {backend, runId: `group${core}`, untilStep: UNTIL_STEP, env: GRACE})
      process.kill(-job.pid, 'SIGTERM')
      await job.exited
      await waitGone(job.servicePid)
      const log = logContents(runFiles(job.dir).wandbFile)
      kept[core] = log.history
      if (core === 'nexus') {
        const [runState] = await backend.inspectRuns()
        expect(runState.history).toHaveLength(log.history)
        expect(runState.state).not.toBe('running')
        // either the signal or the parent's death is seen first; both finish the run
        expect([1, 143]).toContain(runState.exitCode ?? -1)
      }
    }
    console.log(`history records kept in the .wandb file: go ${kept.go}, nexus ${kept.nexus}`)
    expect(kept.nexus).toBeGreaterThanOrEqual(kept.go)
  })
})

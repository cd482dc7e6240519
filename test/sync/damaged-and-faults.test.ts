/**
 * Salvage and resilience of `nexus sync`: a .wandb file with flipped bytes in the middle and a cut
 * tail syncs every intact record and says what was damaged (exit 7); a sync through 500s, a 429
 * with Retry-After and dropped connections ends with the same state as a clean one.
 */
import {beforeAll, describe, expect, test} from 'bun:test'
import {readdirSync, readFileSync, truncateSync, writeFileSync, existsSync} from 'node:fs'
import {join} from 'node:path'
import {startBackend} from '../backend/index.ts'
import {Record} from '../../src/core/proto.ts'
import {TransactionLogReader} from '../../src/core/txlog/index.ts'
import {copyWandbDir, nexusSync, offlineScenario, state} from './helpers.ts'

let home: string
const runDirOf = (h: string) => join(h, 'wandb', readdirSync(join(h, 'wandb')).find((d) => d.startsWith('offline-run-'))!)
const wandbFileOf = (dir: string) => join(dir, readdirSync(dir).find((f) => f.endsWith('.wandb'))!)
/** Fast retries so injected failures cost milliseconds, not minutes. */
const FAST_RETRIES = {
  WANDB__GRAPHQL_RETRY_WAIT_MIN_SECONDS: '1',
  WANDB__GRAPHQL_RETRY_WAIT_MAX_SECONDS: '1',
  WANDB__FILE_STREAM_RETRY_WAIT_MIN_SECONDS: '1',
  WANDB__FILE_STREAM_RETRY_WAIT_MAX_SECONDS: '1',
  WANDB__FILE_TRANSFER_RETRY_WAIT_MIN_SECONDS: '1',
  WANDB__FILE_TRANSFER_RETRY_WAIT_MAX_SECONDS: '1',
}

beforeAll(async () => {
  const r = await offlineScenario('log_1000', 'damaged')
  if (r.code !== 0) throw new Error(r.stderr)
  home = r.dir
}, 120_000)

/** The history steps our reader can still read from a (damaged) file. */
function intactSteps(file: string): number[] {
  const reader = TransactionLogReader.open(file)
  const steps: number[] = []
  for (let rec = reader.next(); rec; rec = reader.next()) {
    const r = Record.fromBinary(rec.data)
    if (r.record_type.oneofKind === 'history') steps.push(Number(r.record_type.history.step?.num ?? -1))
  }
  reader.close()
  return steps
}

describe('damaged files', () => {
  test('flipped bytes and a cut tail: every intact record arrives, exit 7 names the damage', async () => {
    const h = copyWandbDir(home)
    const dir = runDirOf(h)
    const file = wandbFileOf(dir)
    const bytes = readFileSync(file)
    const mid = Math.floor(bytes.length / 2)
    for (let i = 0; i < 40; i++) bytes[mid + i * 13] ^= 0x5a
    writeFileSync(file, bytes)
    truncateSync(file, bytes.length - 3000)
    const expectedSteps = intactSteps(file)
    expect(expectedSteps.length).toBeGreaterThan(500)
    expect(expectedSteps.length).toBeLessThan(1000)

    await using backend = await startBackend({quiet: true})
    const r = await nexusSync([dir], backend, h)
    expect(r.code).toBe(7)
    expect(r.stdout).toMatch(/damaged \d+ bytes at offset \d+ \(checksum mismatch\)/)
    expect(r.stdout).toMatch(/incomplete record/)
    expect(existsSync(`${file}.synced`)).toBe(false)
    const [run] = await state(backend)
    expect(run.history.map((row) => row._step)).toEqual(expectedSteps)
    // the exit record was in the cut tail: finished as crashed, like the SDK does
    expect(run.state).toBe('failed')
    expect(run.exitCode).toBe(1)
  })

  test('--json reports the damaged ranges', async () => {
    const h = copyWandbDir(home)
    const dir = runDirOf(h)
    const file = wandbFileOf(dir)
    truncateSync(file, readFileSync(file).length - 100)
    await using backend = await startBackend({quiet: true})
    const r = await nexusSync([dir, '--json'], backend, h)
    expect(r.code).toBe(7)
    const report = JSON.parse(r.stdout)
    expect(report.runs[0].status).toBe('damaged')
    expect(report.runs[0].truncated.bytes).toBeGreaterThan(0)
  })
})

describe('faults during sync', () => {
  test('500s, a 429 with Retry-After and dropped connections: same state as a clean sync', async () => {
    const cleanHome = copyWandbDir(home)
    await using clean = await startBackend({quiet: true})
    expect((await nexusSync([runDirOf(cleanHome)], clean, cleanHome)).code).toBe(0)
    const expected = await state(clean)

    const h = copyWandbDir(home)
    await using backend = await startBackend({quiet: true})
    await backend.addFault({match: {path: '/graphql'}, action: 'status', status: 500, probability: 0.3})
    await backend.addFault({match: {path: '^/files/.*/file_stream$'}, action: 'status', status: 500, probability: 0.3})
    await backend.addFault({match: {path: '^/files/.*/file_stream$'}, action: 'status', status: 429, retryAfter: 1, times: 1})
    await backend.addFault({match: {path: '/_storage/'}, action: 'reset', times: 2})
    await backend.addFault({match: {operation: 'UpsertBucket'}, action: 'status', status: 503, times: 1})
    const r = await nexusSync([runDirOf(h)], backend, h, FAST_RETRIES)
    expect(r.code, r.stdout + r.stderr).toBe(0)
    const faults = (await backend.inspectRequests()).filter((q) => q.fault)
    expect(new Set(faults.map((q) => q.fault))).toEqual(new Set(['status', 'reset']))
    expect(await state(backend)).toEqual(expected)
  }, 180_000)
})

describe('an artifact the server refuses', () => {
  test('is not delivered: exit 6, no .synced marker; a later sync without the fault delivers it', async () => {
    const made = await offlineScenario('artifact_offline', 'artfail')
    expect(made.code, made.stderr).toBe(0)
    const h = copyWandbDir(made.dir)
    const dir = runDirOf(h)
    const wandbFile = join(dir, readdirSync(dir).find((f) => f.endsWith('.wandb'))!)
    await using backend = await startBackend({quiet: true})
    await backend.addFault({match: {operation: 'CreateArtifact'}, action: 'status', status: 400})
    const refused = await nexusSync([dir], backend, h, FAST_RETRIES)
    expect(refused.code, refused.stdout + refused.stderr).toBe(6)
    expect(existsSync(`${wandbFile}.synced`)).toBe(false)
    expect(await backend.inspectArtifacts()).toEqual([])

    await backend.clearFaults()
    const retried = await nexusSync([dir], backend, h)
    expect(retried.code, retried.stdout + retried.stderr).toBe(0)
    expect(existsSync(`${wandbFile}.synced`)).toBe(true)
    expect((await backend.inspectArtifacts()).map((a) => a.name).sort()).toEqual(['offline-data', 'offline-file'])
  }, 180_000)
})

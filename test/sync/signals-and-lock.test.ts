/**
 * `nexus sync` stops at once on SIGINT/SIGTERM even while an upload keeps failing (exit 130/143,
 * progress kept: the next sync sends only what the cursor had not confirmed), says what it retries,
 * gives up after --max-retry-time, and lets only one sync work on a run at a time.
 */
import {beforeAll, describe, expect, test} from 'bun:test'
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {startBackend, type Backend} from '../backend/index.ts'
import {SyncStateDir} from '../../src/sync/index.ts'
import {copyWandbDir, FAST_RETRIES, nexusSync, offlineScenario, onlyRun, startSync, state} from './helpers.ts'

let home: string
beforeAll(async () => {
  const r = await offlineScenario('log_1000', 'signals')
  if (r.code !== 0) throw new Error(r.stderr)
  home = r.dir
}, 120_000)

const received = async (backend: Backend) => (await backend.inspectFileStream()).find((r) => r.file === 'wandb-history.jsonl')?.lines ?? 0
/** file_stream fails from its 3rd request on: some progress is confirmed, then retries forever. */
const failingFileStream = {match: {path: '^/files/.*/file_stream$'}, action: 'status', status: 500, after: 2} as const

describe('signals while an upload keeps failing', () => {
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    test(`${signal}: exit ${code}, the retries are reported, the next sync continues`, async () => {
      const h = copyWandbDir(home)
      const env = {XDG_CACHE_HOME: join(h, '.cache'), ...FAST_RETRIES}
      await using backend = await startBackend({quiet: true})
      await backend.addFault(failingFileStream)
      const sync = startSync([onlyRun(h).dir, '--checkpoint-interval', '0.05'], backend, h, env)
      await sync.line(/waiting for file_stream at http:\/\/127\.0\.0\.1:\d+: HTTP 500, retrying for \d+ s more/)
      sync.kill(signal)
      const r = await sync.result()
      expect(r.code, r.stdout + r.stderr).toBe(code)
      expect(r.stderr).toContain(`${signal} received, stopping`)
      expect(existsSync(`${onlyRun(h).file}.synced`)).toBe(false)

      await backend.clearFaults()
      const before = await received(backend)
      const stored = (await backend.inspectRuns())[0]?.history.length ?? 0
      const again = await nexusSync([onlyRun(h).dir], backend, h, env)
      expect(again.code, again.stdout + again.stderr).toBe(0)
      expect((await state(backend))[0].history.map((row) => row._step)).toEqual(Array.from({length: 1000}, (_, i) => i))
      // it continued from the cursor: what the server already had before the kill was not all sent again
      const resent = (await received(backend)) - before - (1000 - stored)
      expect(resent).toBeLessThanOrEqual(stored)
    }, 60_000)
  }

  test('--max-retry-time: a failing file_stream is given up with exit 5', async () => {
    const h = copyWandbDir(home)
    await using backend = await startBackend({quiet: true})
    await backend.addFault(failingFileStream)
    const r = await nexusSync([onlyRun(h).dir, '--max-retry-time', '2'], backend, h, {XDG_CACHE_HOME: join(h, '.cache'), ...FAST_RETRIES})
    expect(r.code, r.stdout + r.stderr).toBe(5)
    expect(r.stdout + r.stderr).toMatch(/Gave up on file_stream at http:\/\/127\.0\.0\.1:\d+ after \d+ s of failures \(HTTP 500\)/)
    expect(existsSync(`${onlyRun(h).file}.synced`)).toBe(false)
  }, 60_000)
})

describe('one sync per run', () => {
  test('a second sync of a run being synced skips it: exit 9, names the pid', async () => {
    const h = copyWandbDir(home)
    const env = {XDG_CACHE_HOME: join(h, '.cache'), ...FAST_RETRIES}
    await using backend = await startBackend({quiet: true})
    await backend.addFault(failingFileStream)
    const first = startSync([onlyRun(h).dir], backend, h, env)
    await first.line(/waiting for file_stream/)
    const second = await nexusSync([onlyRun(h).dir], backend, h, env)
    expect(second.code, second.stdout + second.stderr).toBe(9)
    expect(second.stderr).toContain(`is being synced by pid ${first.pid}, skipped`)
    first.kill('SIGINT')
    expect((await first.result()).code).toBe(130)
    await backend.clearFaults()
    expect((await nexusSync([onlyRun(h).dir], backend, h, env)).code).toBe(0)
  }, 60_000)

  test('a lock left by a process that is gone is taken over', async () => {
    const h = copyWandbDir(home)
    const env = {XDG_CACHE_HOME: join(h, '.cache')}
    const dead = Bun.spawnSync(['sh', '-c', 'echo $$']).stdout.toString().trim()
    const stateDir = new SyncStateDir(onlyRun(h).file, {XDG_CACHE_HOME: env.XDG_CACHE_HOME})
    mkdirSync(stateDir.path, {recursive: true})
    writeFileSync(stateDir.file('lock'), JSON.stringify({pid: Number(dead), host: require('node:os').hostname()}))
    await using backend = await startBackend({quiet: true})
    const r = await nexusSync([onlyRun(h).dir], backend, h, env)
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(existsSync(stateDir.file('lock'))).toBe(false)
    expect(readFileSync(`${onlyRun(h).file}.synced`, 'utf8')).toBe('')
  })
})

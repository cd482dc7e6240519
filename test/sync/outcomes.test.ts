/**
 * Honest outcomes of `nexus sync`: a rejected key is exit 4 (at the start and mid-sync from
 * file_stream), an unreachable server fails within --timeout saying what it waits for (never
 * Python advice), a full disk is exit 8 without .synced, a read-only run directory syncs (its
 * marker relocated with a line saying so).
 */
import {afterAll, beforeAll, describe, expect, test} from 'bun:test'
import {existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {startBackend} from '../backend/index.ts'
import {copyWandbDir, FAST_RETRIES, nexusSync, offlineScenario, onlyRun, state} from './helpers.ts'

let home: string
beforeAll(async () => {
  const r = await offlineScenario('log_1000', 'outcomes')
  if (r.code !== 0) throw new Error(r.stderr)
  home = r.dir
}, 120_000)

/** oclif wraps an error's text at the terminal width: one line again. */
const flat = (text: string) => text.replace(/\s*\n\s*›\s*/g, ' ')

/** A private cache (the sync state folder) for one test. */
const cacheOf = (h: string) => ({XDG_CACHE_HOME: join(h, '.cache')})

describe('credentials', () => {
  test('a key the server rejects is exit 4 before any run is touched', async () => {
    const h = copyWandbDir(home)
    await using backend = await startBackend({quiet: true, apiKeys: ['k'.repeat(40)]})
    const r = await nexusSync([onlyRun(h).dir], backend, h, {...cacheOf(h), WANDB_API_KEY: 'x'.repeat(40)})
    expect(r.code, r.stdout + r.stderr).toBe(4)
    expect(flat(r.stderr)).toMatch(/rejected the API key \(HTTP 401\)/)
    expect(await backend.inspectRuns()).toEqual([])
  })

  test('a 401 from file_stream mid-sync is exit 4, not endless retries', async () => {
    const h = copyWandbDir(home)
    await using backend = await startBackend({quiet: true})
    await backend.addFault({match: {path: '^/files/.*/file_stream$'}, action: 'status', status: 401})
    const r = await nexusSync([onlyRun(h).dir], backend, h, {...cacheOf(h), ...FAST_RETRIES})
    expect(r.code, r.stdout + r.stderr).toBe(4)
    expect(r.stdout + r.stderr).toMatch(/rejected the API key \(HTTP 401 from file_stream\)/)
    expect(existsSync(`${onlyRun(h).file}.synced`)).toBe(false)
  })
})

describe('an unreachable server', () => {
  test('fails with exit 5 after --timeout, saying what it waits for; no init_timeout advice', async () => {
    const h = copyWandbDir(home)
    const nowhere = {url: 'http://127.0.0.1:9', apiKey: 'k'.repeat(40)}
    const r = await nexusSync([onlyRun(h).dir, '--timeout', '2'], nowhere as never, h, cacheOf(h))
    expect(r.code, r.stdout + r.stderr).toBe(5)
    expect(r.stderr).toMatch(/waiting for http:\/\/127\.0\.0\.1:9\/graphql: connection refused, retrying for \d+ s more/)
    expect(flat(r.stderr)).toMatch(/Could not reach http:\/\/127\.0\.0\.1:9 within 2 s \(connection refused\)/)
    expect(r.stdout + r.stderr).not.toMatch(/init_timeout/)
  })

  test('a server that never creates the run: exit 5 after --timeout, without init_timeout advice', async () => {
    const h = copyWandbDir(home)
    await using backend = await startBackend({quiet: true})
    await backend.addFault({match: {operation: 'UpsertBucket'}, action: 'delay', delayMs: 20_000})
    const r = await nexusSync([onlyRun(h).dir, '--timeout', '2'], backend, h, cacheOf(h))
    expect(r.code, r.stdout + r.stderr).toBe(5)
    expect(flat(r.stdout + r.stderr)).toMatch(/Timed out waiting for http:\/\/127\.0\.0\.1:\d+ to create the run .*pass --timeout to wait longer/)
    expect(r.stdout + r.stderr).not.toMatch(/init_timeout/)
  })
})

/** Mounts a tmpfs of `size` at a new folder; undefined (with the reason) where mounting is not allowed. */
function tmpfs(size: string): {dir: string; umount: () => void} | string {
  const dir = mkdtempSync(join(tmpdir(), 'sync-tmpfs-'))
  const r = Bun.spawnSync(['mount', '-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir])
  if (r.exitCode !== 0) {
    rmSync(dir, {recursive: true, force: true})
    return `cannot mount a tmpfs here (${r.stderr.toString().trim() || `exit ${r.exitCode}`})`
  }
  return {
    dir,
    umount: () => {
      Bun.spawnSync(['umount', dir])
      rmSync(dir, {recursive: true, force: true})
    },
  }
}

/** Fills the file system holding `dir` until writing fails. */
function fill(dir: string): void {
  const chunk = Buffer.alloc(4096, 1)
  for (let i = 0; ; i++) {
    try {
      writeFileSync(join(dir, `filler-${i}`), chunk)
    } catch {
      return
    }
  }
}

const mountProbe = tmpfs('64k')
const noMount = typeof mountProbe === 'string' ? mountProbe : undefined
if (typeof mountProbe !== 'string') mountProbe.umount()
afterAll(() => {
  if (noMount) console.warn(`skipped the tmpfs cases: ${noMount}`)
})

describe('local disks', () => {
  test.skipIf(noMount !== undefined)(`a full disk for the sync state is exit 8, nothing marked synced${noMount ? ` (skipped: ${noMount})` : ''}`, async () => {
    const fs = tmpfs('64k') as {dir: string; umount: () => void}
    try {
      const h = copyWandbDir(home)
      mkdirSync(join(fs.dir, 'cache'))
      fill(fs.dir)
      await using backend = await startBackend({quiet: true})
      const r = await nexusSync([onlyRun(h).dir], backend, h, {XDG_CACHE_HOME: join(fs.dir, 'cache')})
      expect(r.code, r.stdout + r.stderr).toBe(8)
      expect(flat(r.stdout + r.stderr)).toMatch(/no space left on the device \(ENOSPC\)/)
      expect(existsSync(`${onlyRun(h).file}.synced`)).toBe(false)
    } finally {
      fs.umount()
    }
  })

  test.skipIf(noMount !== undefined)(`room for the lock and a cursor but not for config.yaml/wandb-summary.json: exit 8, nothing marked synced${noMount ? ` (skipped: ${noMount})` : ''}`, async () => {
    const fs = tmpfs('64k') as {dir: string; umount: () => void}
    try {
      const h = copyWandbDir(home)
      mkdirSync(join(fs.dir, 'cache'))
      writeFileSync(join(fs.dir, 'filler'), Buffer.alloc(48 * 1024))
      await using backend = await startBackend({quiet: true})
      const r = await nexusSync([onlyRun(h).dir], backend, h, {XDG_CACHE_HOME: join(fs.dir, 'cache')})
      expect(r.code, r.stdout + r.stderr).toBe(8)
      expect(flat(r.stdout + r.stderr)).toMatch(/Could not (write|save) .*no space left on the device \(ENOSPC\)/)
      expect(existsSync(`${onlyRun(h).file}.synced`)).toBe(false)
    } finally {
      fs.umount()
    }
  })

  test.skipIf(noMount !== undefined)(`a read-only run directory syncs; the marker goes to the state folder, with a line${noMount ? ` (skipped: ${noMount})` : ''}`, async () => {
    const fs = tmpfs('8m') as {dir: string; umount: () => void}
    try {
      const src = copyWandbDir(home)
      Bun.spawnSync(['cp', '-a', join(src, 'wandb'), fs.dir])
      const before = listing(fs.dir)
      expect(Bun.spawnSync(['mount', '-o', 'remount,ro', fs.dir]).exitCode).toBe(0)
      const h = mkdtempSync(join(tmpdir(), 'sync-ro-home-'))
      await using clean = await startBackend({quiet: true})
      expect((await nexusSync([onlyRun(src).dir], clean, src, cacheOf(src))).code).toBe(0)
      await using backend = await startBackend({quiet: true})
      const run = onlyRun(fs.dir)
      const r = await nexusSync([run.dir], backend, h, cacheOf(h))
      expect(r.code, r.stdout + r.stderr).toBe(0)
      expect(r.stdout).toMatch(/the run directory is read-only: marked synced in .* instead of .*\.synced/)
      expect(await state(backend)).toEqual(await state(clean))
      expect(listing(fs.dir)).toEqual(before)
      const again = await nexusSync([run.dir], backend, h, cacheOf(h))
      expect(again.code).toBe(0)
      expect(again.stdout).toMatch(/Nothing to sync: 1 run\(s\) already synced/)
    } finally {
      fs.umount()
    }
  })
})

/** Every path under `dir` with its size (what a sync must leave as it was). */
function listing(dir: string): string[] {
  return readdirSync(dir, {recursive: true, withFileTypes: true})
    .map((e) => join(e.parentPath, e.name))
    .map((p) => `${p.slice(dir.length)} ${Bun.file(p).size}`)
    .sort()
}

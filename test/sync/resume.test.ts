/**
 * Resumability: `nexus sync` killed with SIGKILL at three points of a large run (50k steps,
 * console output, saved files) and run again to completion leaves exactly the state of an
 * uninterrupted sync — no duplicate rows — and the final attempt re-sends nothing its cursor
 * confirmed (history lines and bytes received by the backend, independent of request timing).
 */
import {afterAll, beforeAll, expect, test} from 'bun:test'
import {existsSync, readdirSync, readFileSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import {startBackend, type Backend} from '../backend/index.ts'
import {Record} from '../../src/core/proto.ts'
import {TransactionLogReader} from '../../src/core/txlog/index.ts'
import {hostBinary} from '../helpers/binary.ts'
import {runScenario} from '../e2e/harness.ts'
import {copyWandbDir, nexusSync, state} from './helpers.ts'

const STEPS = 50_000
let home: string
let runDir: (h: string) => string

beforeAll(async () => {
  const r = await runScenario('large_offline', {core: 'go', runId: 'bigrun', env: {E2E_STEPS: String(STEPS)}, timeoutMs: 300_000})
  if (r.code !== 0) throw new Error(`large_offline failed: ${r.stderr.slice(-2000)}`)
  home = r.dir
  runDir = (h) => join(h, 'wandb', readdirSync(join(h, 'wandb')).find((d) => d.startsWith('offline-run-'))!)
}, 300_000)

afterAll(() => rmSync(home, {recursive: true, force: true}))

const HISTORY = 'wandb-history.jsonl'

/** History lines (and their bytes) file_stream has received so far, re-sent ones counted again. */
async function historyReceived(backend: Backend): Promise<{lines: number; bytes: number}> {
  const row = (await backend.inspectFileStream()).find((r) => r.file === HISTORY)
  return {lines: row?.lines ?? 0, bytes: row?.bytes ?? 0}
}

/** The cursor a sync keeps in its state folder (under XDG_CACHE_HOME), if there is one. */
function cursorOf(cache: string): {offset: number} | undefined {
  const root = join(cache, 'nexus', 'sync')
  const [path] = existsSync(root) ? [...new Bun.Glob('*/cursor-*.json').scanSync({cwd: root, absolute: true})] : []
  if (!path) return undefined
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as {offset: number}
  } catch {
    return undefined // being replaced (written to .tmp, renamed): read again next time
  }
}

/** History records of the .wandb file that start before `offset` (what a cursor confirmed). */
function historyBefore(file: string, offset: number): number {
  const reader = TransactionLogReader.open(file)
  let n = 0
  for (let rec = reader.next(); rec && rec.offset < offset; rec = reader.next()) {
    if (Record.fromBinary(rec.data).record_type.oneofKind === 'history') n++
  }
  reader.close()
  return n
}

test('three SIGKILLs during a 50k-step sync, then a rerun: same state as an uninterrupted sync', async () => {
  await using clean = await startBackend({quiet: true})
  const cleanHome = copyWandbDir(home)
  const full = await nexusSync(['--checkpoint-interval', '0.2', runDir(cleanHome)], clean, cleanHome, {XDG_CACHE_HOME: join(cleanHome, '.cache')})
  expect(full.code, full.stderr).toBe(0)
  const expected = await state(clean)
  expect(expected[0].history).toHaveLength(STEPS)

  await using backend = await startBackend({quiet: true})
  const h = copyWandbDir(home)
  const cache = join(h, '.cache')
  const dir = runDir(h)
  const wandbFile = join(dir, readdirSync(dir).find((f) => f.endsWith('.wandb'))!)
  let killed = 0
  const cursorOffset = () => cursorOf(cache)?.offset ?? 0
  for (const checkpoints of [1, 2, 3]) {
    // kill once this attempt has made `checkpoints` checkpoints (the cursor moved that often):
    // each attempt makes progress and is cut off mid-run, however fast the sync is
    let moves = 0
    let last = cursorOffset()
    const proc = Bun.spawn([hostBinary(), 'sync', '--checkpoint-interval', '0.2', dir], {
      cwd: h,
      env: {...process.env, HOME: h, XDG_CACHE_HOME: cache, WANDB_BASE_URL: backend.url, WANDB_API_KEY: backend.apiKey, NO_COLOR: '1'},
      stdout: 'ignore',
      stderr: 'ignore',
    })
    while (proc.exitCode === null && moves < checkpoints) {
      const now = cursorOffset()
      if (now !== last) moves++
      last = now
      await Bun.sleep(5)
    }
    if (proc.exitCode === null) {
      proc.kill('SIGKILL')
      killed++
    }
    await proc.exited
  }
  expect(killed).toBe(3)
  expect(existsSync(`${wandbFile}.synced`)).toBe(false)
  const cursor = cursorOf(cache)
  expect(cursor?.offset).toBeGreaterThan(0)
  // what the cursor confirmed is on the server; the rest of the file is what is left to send
  const confirmed = historyBefore(wandbFile, cursor!.offset)
  expect(confirmed).toBeGreaterThan(0)
  expect(confirmed).toBeLessThan(STEPS)

  const before = await historyReceived(backend)
  const last = await nexusSync(['--checkpoint-interval', '0.2', dir], backend, h, {XDG_CACHE_HOME: cache})
  expect(last.code, last.stdout + last.stderr).toBe(0)
  expect(existsSync(`${wandbFile}.synced`)).toBe(true)
  expect(cursorOf(cache)).toBeUndefined()
  const got = await state(backend)
  expect(got[0].history.map((r) => r._step)).toEqual(Array.from({length: STEPS}, (_, i) => i))
  expect(got).toEqual(expected)
  // The final attempt sent exactly the history after the cursor: nothing the cursor confirmed was
  // sent again (measured in lines and bytes received, not in requests, which depend on timing).
  const after = await historyReceived(backend)
  expect(after.lines - before.lines).toBe(STEPS - confirmed)
  const rowBytes = expected[0].history.slice(confirmed).reduce((n, row) => n + Buffer.byteLength(JSON.stringify(row)), 0)
  expect(after.bytes - before.bytes).toBeLessThan(rowBytes * 1.5)
  expect(after.bytes - before.bytes).toBeGreaterThan(rowBytes * 0.5)
}, 600_000)

/**
 * Resumability: `nexus sync` killed with SIGKILL at three points of a large run (50k steps,
 * console output, saved files) and run again to completion leaves exactly the state of an
 * uninterrupted sync — no duplicate rows — and the later attempts do not start over.
 */
import {afterAll, beforeAll, expect, test} from 'bun:test'
import {existsSync, readdirSync, readFileSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import {startBackend, type Backend} from '../backend/index.ts'
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

/** File_stream requests the backend has received so far. */
async function fileStreamRequests(backend: Backend): Promise<number> {
  return (await backend.inspectRequests()).filter((q) => q.path.endsWith('/file_stream')).length
}

test('three SIGKILLs during a 50k-step sync, then a rerun: same state as an uninterrupted sync', async () => {
  await using clean = await startBackend({quiet: true})
  const cleanHome = copyWandbDir(home)
  const full = await nexusSync(['--checkpoint-interval', '0.2', runDir(cleanHome)], clean, cleanHome)
  expect(full.code, full.stderr).toBe(0)
  const expected = await state(clean)
  expect(expected[0].history).toHaveLength(STEPS)
  const fullRequests = await fileStreamRequests(clean)

  await using backend = await startBackend({quiet: true})
  const h = copyWandbDir(home)
  const dir = runDir(h)
  const wandbFile = join(dir, readdirSync(dir).find((f) => f.endsWith('.wandb'))!)
  let killed = 0
  const cursorOffset = () => (existsSync(`${wandbFile}.nexus-sync`) ? (JSON.parse(readFileSync(`${wandbFile}.nexus-sync`, 'utf8')) as {offset: number}).offset : 0)
  for (const checkpoints of [1, 2, 3]) {
    // kill once this attempt has made `checkpoints` checkpoints (the cursor moved that often):
    // each attempt makes progress and is cut off mid-run, however fast the sync is
    let moves = 0
    let last = cursorOffset()
    const proc = Bun.spawn([hostBinary(), 'sync', '--checkpoint-interval', '0.2', dir], {
      cwd: h, env: {...process.env, HOME: h, WANDB_BASE_URL: backend.url, WANDB_API_KEY: backend.apiKey, NO_COLOR: '1'}, stdout: 'ignore', stderr: 'ignore',
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
  expect(existsSync(`${wandbFile}.nexus-sync`)).toBe(true)
  const cursor = JSON.parse(readFileSync(`${wandbFile}.nexus-sync`, 'utf8'))
  expect(cursor.offset).toBeGreaterThan(0)

  const beforeFinal = await fileStreamRequests(backend)
  const last = await nexusSync(['--checkpoint-interval', '0.2', dir], backend, h)
  expect(last.code, last.stdout + last.stderr).toBe(0)
  expect(existsSync(`${wandbFile}.synced`)).toBe(true)
  expect(existsSync(`${wandbFile}.nexus-sync`)).toBe(false)
  const got = await state(backend)
  expect(got[0].history.map((r) => r._step)).toEqual(Array.from({length: STEPS}, (_, i) => i))
  expect(got).toEqual(expected)
  // the final attempt continued from the cursor instead of sending everything again
  expect((await fileStreamRequests(backend)) - beforeFinal).toBeLessThan(fullRequests)
}, 600_000)

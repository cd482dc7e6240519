/** The node directory is used only when private to this user; the spawn lock lets one stand-in start the node. */
import {describe, expect, test} from 'bun:test'
import {chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, statSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {checkPrivateDir, SharedDirError, sharedNodeDir} from '../../../src/core/shared/node-dir.ts'
import {SpawnLock} from '../../../src/core/shared/spawn-lock.ts'

const uid = process.getuid!()
const scratch = () => mkdtempSync(join(tmpdir(), 'node-dir-'))

describe('node directory', () => {
  test('is created 0700 under XDG_RUNTIME_DIR', () => {
    const runtime = scratch()
    const dir = sharedNodeDir({XDG_RUNTIME_DIR: runtime})
    expect(dir).toBe(join(runtime, 'nexus'))
    expect(statSync(dir).mode & 0o777).toBe(0o700)
    expect(sharedNodeDir({XDG_RUNTIME_DIR: runtime})).toBe(dir)
  })

  test('is refused when group or others may enter it', () => {
    const runtime = scratch()
    mkdirSync(join(runtime, 'nexus'), {mode: 0o700})
    chmodSync(join(runtime, 'nexus'), 0o755)
    expect(() => sharedNodeDir({XDG_RUNTIME_DIR: runtime})).toThrow(SharedDirError)
  })

  test('is refused when it is a link, even to a private directory', () => {
    const runtime = scratch()
    const real = join(runtime, 'real')
    mkdirSync(real, {mode: 0o700})
    symlinkSync(real, join(runtime, 'nexus'))
    expect(() => sharedNodeDir({XDG_RUNTIME_DIR: runtime})).toThrow(/not a directory/)
  })

  test.skipIf(uid !== 0)("is refused when it is another user's", () => {
    const dir = join(scratch(), 'theirs')
    mkdirSync(dir, {mode: 0o700})
    chownSync(dir, 65534, 65534)
    expect(() => checkPrivateDir(dir, uid)).toThrow(/belongs to uid 65534/)
  })
})

describe('spawn lock', () => {
  test('one holder at a time; released, it can be taken again', () => {
    const path = join(scratch(), 'n.spawn')
    const lock = SpawnLock.tryTake(path)
    expect(lock).toBeDefined()
    expect(SpawnLock.tryTake(path)).toBeUndefined()
    lock!.release()
    expect(existsSync(path)).toBe(false)
    expect(SpawnLock.tryTake(path)).toBeDefined()
  })

  test('a lock whose holder is dead is taken over', async () => {
    const path = join(scratch(), 'n.spawn')
    const gone = Bun.spawn(['true'])
    await gone.exited
    writeFileSync(path, String(gone.pid))
    expect(SpawnLock.tryTake(path)).toBeDefined()
  })
})

/**
 * The artifact cache's trust rule: an object nexus hashed on the way in is marked and later copied
 * out by the kernel without hashing; an object that lacks the mark (the SDK wrote it) or was
 * written to since is hashed before it is trusted, and removed when its bytes are wrong.
 */
import {afterEach, beforeEach, describe, expect, test} from 'bun:test'
import {copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {ArtifactFileCache, b64ToHex, verifiedMtime} from '../../../src/core/artifacts/index.ts'
import type {ManifestEntry} from '../../../src/core/artifacts/manifest.ts'
let dir: {path: string}
let cache: ArtifactFileCache
beforeEach(() => {
  dir = {path: mkdtempSync(join(tmpdir(), 'nexus-file-cache-'))}
  cache = new ArtifactFileCache(join(dir.path, 'cache'))
})
afterEach(() => rmSync(dir.path, {recursive: true, force: true}))

const md5 = (data: string) => new Bun.CryptoHasher('md5').update(data).digest('base64')
const entry = (data: string): ManifestEntry => ({digest: md5(data), size: Buffer.byteLength(data)}) as ManifestEntry
function source(name: string, data: string): string {
  const p = join(dir.path, 'src', name)
  mkdirSync(dirname(p), {recursive: true})
  writeFileSync(p, data)
  return p
}

describe('ArtifactFileCache', () => {
  test('objects nexus adds carry the mark of their digest; a marked object is restored with the umask mode, no staging copy left', async () => {
    const data = 'verified once\n'
    const b64 = await cache.addFile(source('a.txt', data))
    expect(b64).toBe(md5(data))
    await cache.addVerified(source('b.txt', 'also verified\n'), md5('also verified\n'))
    for (const [d, obj] of [
      [data, cache.md5Path(md5(data))],
      ['also verified\n', cache.md5Path(md5('also verified\n'))],
    ]) {
      const st = statSync(obj)
      expect(st.mtimeMs).toBe(verifiedMtime(b64ToHex(md5(d))) * 1000)
      expect(st.mode & 0o777).toBe(0o666)
    }
    const dst = join(dir.path, 'root', 'deep', 'a.txt')
    expect(await cache.restoreTo(entry(data), dst)).toBe(true)
    expect(readFileSync(dst, 'utf8')).toBe(data)
    expect(statSync(dst).mode & 0o777).toBe(0o666 & ~process.umask())
    expect(readdirSync(join(dir.path, 'cache', 'artifacts', 'tmp'))).toEqual([])
    expect(readdirSync(dirname(dst))).toEqual(['a.txt'])
  })

  test('an object written to in place since it was marked is hashed again, refused and removed', async () => {
    const data = 'original bytes\n'
    await cache.addFile(source('a.txt', data))
    const obj = cache.md5Path(md5(data))
    writeFileSync(obj, 'ORIGINAL BYTES\n') // same size, new mtime
    const dst = join(dir.path, 'root', 'a.txt')
    expect(await cache.restoreTo(entry(data), dst)).toBe(false)
    expect(existsSync(obj)).toBe(false)
    expect(existsSync(dst)).toBe(false)
  })

  test('an object copied over another with its times kept does not carry the other digest’s mark', async () => {
    const a = 'first object\n'
    const b = 'other object\n'
    expect(b64ToHex(md5(a)).slice(0, 6)).not.toBe(b64ToHex(md5(b)).slice(0, 6))
    await cache.addFile(source('a.txt', a))
    await cache.addFile(source('b.txt', b))
    const objA = cache.md5Path(md5(a))
    const objB = cache.md5Path(md5(b))
    copyFileSync(objB, objA)
    const st = statSync(objB)
    utimesSync(objA, st.atime, st.mtime) // like cp -p
    expect(await cache.restoreTo(entry(a), join(dir.path, 'root', 'a.txt'))).toBe(false)
    expect(existsSync(objA)).toBe(false)
  })

  test('an object without the mark (written by the SDK) is hashed: right bytes are restored and marked, wrong ones removed', async () => {
    const good = 'sdk wrote this\n'
    const objGood = cache.md5Path(md5(good))
    mkdirSync(dirname(objGood), {recursive: true})
    writeFileSync(objGood, good)
    expect(statSync(objGood).mtimeMs).not.toBe(verifiedMtime(b64ToHex(md5(good))) * 1000)
    expect(await cache.restoreTo(entry(good), join(dir.path, 'root', 'good.txt'))).toBe(true)
    expect(readFileSync(join(dir.path, 'root', 'good.txt'), 'utf8')).toBe(good)
    expect(statSync(objGood).mtimeMs).toBe(verifiedMtime(b64ToHex(md5(good))) * 1000)

    const wanted = 'the bytes a manifest names\n'
    const objBad = cache.md5Path(md5(wanted))
    mkdirSync(dirname(objBad), {recursive: true})
    writeFileSync(objBad, 'X'.repeat(Buffer.byteLength(wanted))) // the SDK trusts this: right size
    expect(await cache.restoreTo(entry(wanted), join(dir.path, 'root', 'bad.txt'))).toBe(false)
    expect(existsSync(objBad)).toBe(false)
    expect(existsSync(join(dir.path, 'root', 'bad.txt'))).toBe(false)
  })
})

/**
 * The local artifact cache shared with the SDK (network-protocol.md §5.7):
 * `<cache dir>/artifacts/obj/md5/<hex[0:2]>/<hex[2:]>` for content, `obj/etag/…` for references,
 * temporary files under `artifacts/tmp`; files 0666, folders 0777. Unlike the SDK, which trusts
 * any object of the right size, nexus trusts only what it verified: every object it writes was
 * hashed on the way in and carries a mark (see `verifiedMtime`); an object without the mark, or
 * written to since, is hashed again before it is copied out.
 */
import {randomBytes} from 'node:crypto'
import {constants} from 'node:fs'
import {chmod, copyFile, mkdir, readFile, rename, rm, stat, utimes, writeFile} from 'node:fs/promises'
import {homedir} from 'node:os'
import {dirname, join} from 'node:path'
import {b64ToHex, fileMd5, md5B64} from './digests.ts'
import {DigestMismatchError} from './errors.ts'
import {Semaphore} from '../runtime/index.ts'
import type {ManifestEntry} from './manifest.ts'

/** Files up to this size are copied through memory (hashed in between), bigger ones by the kernel. */
const SMALL_FILE = 4 * 1024 * 1024

/** Go's limit on simultaneous cache reads and writes. */
const MAX_CACHE_IO = 16

/**
 * The user's W&B cache folder: WANDB_CACHE_DIR, else the platform cache folder + "/wandb"
 * ($XDG_CACHE_HOME or ~/.cache on Linux, ~/Library/Caches on macOS, %LocalAppData% on Windows).
 */
export function userCacheDir(env: Readonly<Record<string, string | undefined>> = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.WANDB_CACHE_DIR) return env.WANDB_CACHE_DIR
  const home = env.HOME || homedir()
  if (platform === 'darwin') return join(home, 'Library', 'Caches', 'wandb')
  if (platform === 'win32') return join(env.LocalAppData || join(home, 'AppData', 'Local'), 'wandb')
  return join(env.XDG_CACHE_HOME || join(home, '.cache'), 'wandb')
}

/**
 * The modification time (seconds) nexus gives a cache object whose bytes it has checked against
 * its MD5: a second in 2001–2002 picked by the digest. Any write to the object moves its mtime off
 * the mark (the SDK's cache cleanup goes by atime, so the date costs nothing there), and an object
 * copied over another with its times kept still fails the check unless the digests match.
 */
export function verifiedMtime(hex: string): number {
  return 1_000_000_000 + Number.parseInt(hex.slice(0, 6), 16)
}

const isMarked = (st: {mtimeMs: number; size: number}, hex: string, size: number) => st.size === size && st.mtimeMs === verifiedMtime(hex) * 1000

/** A temporary name next to `path` (same folder, so a rename is atomic). */
export function tempPathNear(path: string): string {
  return join(dirname(path), `.${randomBytes(8).toString('hex')}.nexus-tmp`)
}

/**
 * Copies `src` to `dst` through a temporary file and hashes the copy, so the MD5 returned is that
 * of the bytes that land; when `expectedB64` is given and differs, nothing appears at `dst` and
 * DigestMismatchError is thrown. The temporary file never outlives the call.
 */
export async function copyVerified(src: string, dst: string, expectedB64?: string): Promise<string> {
  await mkdir(dirname(dst), {recursive: true, mode: 0o777})
  const tmp = tempPathNear(dst)
  try {
    let actual: string
    if ((await stat(src)).size <= SMALL_FILE) {
      // one read and one write: fewer system calls than a kernel copy and a second read
      const bytes = await readFile(src)
      actual = md5B64(bytes)
      await writeFile(tmp, bytes, {mode: 0o666, flag: 'wx'})
    } else {
      await kernelCopy(src, tmp)
      actual = (await fileMd5(tmp)).b64
    }
    if (expectedB64 !== undefined && actual !== expectedB64) throw new DigestMismatchError(src, expectedB64, actual)
    await rename(tmp, dst)
    return actual
  } finally {
    await rm(tmp, {force: true}).catch(() => {})
  }
}

/**
 * Copies `src` to the new file `tmp` by the kernel (a clone where the file system can); it gets
 * 0666 less the umask, as a written file does (a copy would keep the source's mode).
 */
async function kernelCopy(src: string, tmp: string): Promise<void> {
  await copyFile(src, tmp, constants.COPYFILE_FICLONE)
  await chmod(tmp, 0o666 & ~process.umask())
}

/** Copies `src` to `dst` through a temporary file beside it, unhashed. */
async function copyThrough(src: string, dst: string): Promise<void> {
  await mkdir(dirname(dst), {recursive: true, mode: 0o777})
  const tmp = tempPathNear(dst)
  try {
    await kernelCopy(src, tmp)
    await rename(tmp, dst)
  } finally {
    await rm(tmp, {force: true}).catch(() => {})
  }
}

const exists = (p: string) =>
  stat(p).then(
    (s) => s.isFile(),
    () => false,
  )

/** The content-addressed cache under `<cacheDir>/artifacts`. Safe to use concurrently. */
export class ArtifactFileCache {
  readonly root: string
  readonly #io = new Semaphore(MAX_CACHE_IO)

  constructor(cacheDir: string = userCacheDir()) {
    this.root = join(cacheDir, 'artifacts')
  }

  /** Where content with this base64 MD5 lives. Throws for a digest that is not base64. */
  md5Path(b64: string): string {
    const hex = b64ToHex(b64)
    return join(this.root, 'obj', 'md5', hex.slice(0, 2), hex.slice(2))
  }

  /** Where a reference's object with this ETag lives: hex(sha256(sha256(ref) ‖ sha256(etag))). */
  etagPath(ref: string, etag: string): string {
    const sha = (d: Uint8Array | string) => new Bun.CryptoHasher('sha256').update(d).digest()
    const hex = new Bun.CryptoHasher('sha256').update(Buffer.concat([sha(ref), sha(etag)])).digest('hex')
    return join(this.root, 'obj', 'etag', hex.slice(0, 2), hex.slice(2))
  }

  /**
   * Copies `path` into the cache (checked against `expectedB64` when given) and returns its base64
   * MD5. Content already cached is left as it is.
   */
  addFile(path: string, expectedB64?: string): Promise<string> {
    return this.#io.run(async () => {
      const staged = await this.#stagingPath()
      try {
        const b64 = await copyVerified(path, staged, expectedB64)
        await this.#install(staged, b64)
        return b64
      } finally {
        await rm(staged, {force: true}).catch(() => {})
      }
    })
  }

  /**
   * Copies `path`, whose base64 MD5 the caller has just computed as `b64` from a file only it
   * writes, into the cache without hashing it again (the kernel copies; a clone where the file
   * system can). Content already cached is left as it is.
   */
  addVerified(path: string, b64: string): Promise<void> {
    return this.#io.run(async () => {
      if (await exists(this.md5Path(b64))) return
      const staged = await this.#stagingPath()
      try {
        await kernelCopy(path, staged)
        await this.#install(staged, b64)
      } finally {
        await rm(staged, {force: true}).catch(() => {})
      }
    })
  }

  async #stagingPath(): Promise<string> {
    const tmpDir = join(this.root, 'tmp')
    await mkdir(tmpDir, {recursive: true, mode: 0o777})
    return join(tmpDir, randomBytes(8).toString('hex'))
  }

  /** Moves a staged, verified object into place, marked (unless that content is cached already). */
  async #install(staged: string, b64: string): Promise<void> {
    const dst = this.md5Path(b64)
    if (await exists(dst)) return
    await mkdir(dirname(dst), {recursive: true, mode: 0o777})
    await chmod(staged, 0o666)
    await utimes(staged, new Date(), verifiedMtime(b64ToHex(b64)))
    await rename(staged, dst)
  }

  /**
   * Makes `dst` hold the entry's content if it can without the network: true when `dst` already
   * has the right MD5, or the cached copy (verified) was copied there; false otherwise (a corrupt
   * cache entry is removed). Reference entries are restored from the etag cache unverified, as Go.
   */
  restoreTo(entry: ManifestEntry, dst: string): Promise<boolean> {
    return this.#io.run(async () => {
      if (entry.ref !== undefined) {
        const cached = this.etagPath(entry.ref, entry.digest)
        if (!(await exists(cached))) return false
        return copyVerified(cached, dst).then(
          () => true,
          () => false,
        )
      }
      if (await hasDigest(dst, entry.digest)) return true
      let cached: string
      let hex: string
      try {
        cached = this.md5Path(entry.digest)
        hex = b64ToHex(entry.digest)
      } catch {
        return false
      }
      const st = await stat(cached).catch(() => null)
      if (!st?.isFile()) return false
      if (isMarked(st, hex, entry.size)) {
        await copyThrough(cached, dst)
        return true
      }
      try {
        await copyVerified(cached, dst, entry.digest)
      } catch (err) {
        if (err instanceof DigestMismatchError) await rm(cached, {force: true}).catch(() => {})
        return false
      }
      // checked now: mark it, where this user may (an object another user wrote keeps its time)
      await utimes(cached, new Date(), verifiedMtime(hex)).catch(() => {})
      return true
    })
  }
}

/** True when `path` is a file whose base64 MD5 is `b64`. */
export async function hasDigest(path: string, b64: string): Promise<boolean> {
  if (!(await exists(path))) return false
  try {
    return (await fileMd5(path)).b64 === b64
  } catch {
    return false
  }
}

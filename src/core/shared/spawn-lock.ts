import {closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync} from 'node:fs'
import {pidAlive} from './pid-alive.ts'

/** A lock older than this was left by a stand-in that hung or died while starting the node. */
const STALE_AFTER_MS = 10_000

/**
 * An O_EXCL lock file holding the owner's pid: whoever creates it starts the node service, the
 * others wait for the socket. A lock whose pid is gone, or that is older than 10 s, is taken over.
 */
export class SpawnLock {
  #path: string

  private constructor(path: string) {
    this.#path = path
  }

  /** The lock, or undefined when a live process holds it. */
  static tryTake(path: string): SpawnLock | undefined {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(path, 'wx', 0o600)
        writeSync(fd, String(process.pid))
        closeSync(fd)
        return new SpawnLock(path)
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') return undefined
        if (!isStale(path)) return undefined
        try {
          unlinkSync(path)
        } catch {
          // another stand-in removed it first
        }
      }
    }
    return undefined
  }

  release(): void {
    try {
      unlinkSync(this.#path)
    } catch {
      // already gone
    }
  }
}

function isStale(path: string): boolean {
  try {
    const pid = Number(readFileSync(path, 'utf8'))
    const age = Date.now() - statSync(path).mtimeMs
    return age > STALE_AFTER_MS || !Number.isInteger(pid) || pid <= 0 || !pidAlive(pid)
  } catch {
    return false
  }
}

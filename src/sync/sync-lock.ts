import {closeSync, openSync, readFileSync, rmSync, writeSync} from 'node:fs'
import {hostname} from 'node:os'
import {ExitCode} from '../core/exit-codes.ts'
import {SyncError} from './sync-errors.ts'

/** Another process holds the run: `pid` on `host`. */
export class SyncBusyError extends SyncError {
  override name = 'SyncBusyError'
  readonly pid: number
  constructor(file: string, pid: number, host: string, lockPath: string) {
    const where = host === hostname() ? `pid ${pid}` : `pid ${pid} on ${host}`
    super(`sync: ${file} is locked by ${where}`, `${file} is being synced by ${where}, skipped (if that process is gone, delete ${lockPath}).`, {exitCode: ExitCode.BUSY})
    this.pid = pid
  }
}

interface LockBody {
  pid: number
  host: string
}

/**
 * One sync per .wandb file at a time: an O_EXCL lock file holding `{pid, host}`. A lock left by
 * a process of this host that is gone is stale and taken over; one from another host is honoured.
 */
export class SyncLock {
  readonly #path: string
  #held = false

  private constructor(path: string) {
    this.#path = path
  }

  /** Takes the lock at `path` for `file`; throws SyncBusyError when a live process holds it (or the fs error). */
  static acquire(path: string, file: string): SyncLock {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const fd = openSync(path, 'wx', 0o644)
        try {
          writeSync(fd, JSON.stringify({pid: process.pid, host: hostname()} satisfies LockBody))
        } finally {
          closeSync(fd)
        }
        const lock = new SyncLock(path)
        lock.#held = true
        return lock
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      }
      const holder = readHolder(path)
      if (holder && (holder.host !== hostname() || alive(holder.pid))) throw new SyncBusyError(file, holder.pid, holder.host, path)
      // stale (or half-written by a process that died at once): take it over
      rmSync(path, {force: true})
    }
    const holder = readHolder(path)
    throw new SyncBusyError(file, holder?.pid ?? 0, holder?.host ?? hostname(), path)
  }

  /** Releases the lock if this process still holds it. Idempotent, never throws. */
  release(): void {
    if (!this.#held) return
    this.#held = false
    const holder = readHolder(this.#path)
    if (holder?.pid === process.pid && holder.host === hostname()) rmSync(this.#path, {force: true})
  }
}

function readHolder(path: string): LockBody | undefined {
  try {
    const body = JSON.parse(readFileSync(path, 'utf8')) as LockBody
    return typeof body.pid === 'number' && typeof body.host === 'string' ? body : undefined
  } catch {
    return undefined
  }
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

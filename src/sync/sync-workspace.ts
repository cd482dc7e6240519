import {accessSync, constants, copyFileSync, existsSync, writeFileSync} from 'node:fs'
import {dirname} from 'node:path'
import {CursorStore} from './sync-cursor.ts'
import {FilesOverlay} from './files-overlay.ts'
import {LocalIoError, localIoCode} from './local-io.ts'
import {SyncLock} from './sync-lock.ts'
import {SyncStateDir} from './sync-state-dir.ts'

const SYNCED_MARKER = 'synced'

/** Whether `file` is marked synced: `<file>.synced` (as Go writes it) or the marker in its state folder. */
export function isMarkedSynced(file: string, env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  return existsSync(`${file}.synced`) || existsSync(new SyncStateDir(file, env).file(SYNCED_MARKER))
}

/**
 * What one sync of one .wandb file holds while it runs: the lock (one sync per run), the cursors,
 * the files overlay the sender writes into, and where `.syncstate` lives — all in the file's
 * SyncStateDir, except `.syncstate` and `.synced`, which stay next to the file (where Go keeps
 * them) when the run directory is writable. close() releases everything.
 */
export class SyncWorkspace {
  readonly file: string
  readonly cursors: CursorStore
  /** The run's sync_dir for the sender (the overlay). */
  readonly syncDir: string
  /** The path whose `.syncstate` pins the starting step (the .wandb file, or a stand-in). */
  readonly syncStateFile: string
  /** The run directory cannot be written (read-only mount, permissions). */
  readonly readOnlyRun: boolean
  readonly #state: SyncStateDir
  readonly #lock: SyncLock
  readonly #overlay: FilesOverlay

  private constructor(file: string, state: SyncStateDir, lock: SyncLock, overlay: FilesOverlay, readOnlyRun: boolean, syncStateFile: string) {
    this.file = file
    this.#state = state
    this.#lock = lock
    this.#overlay = overlay
    this.cursors = new CursorStore(state)
    this.syncDir = overlay.syncDir
    this.readOnlyRun = readOnlyRun
    this.syncStateFile = syncStateFile
  }

  /**
   * Opens the workspace of `file` (a real path): throws SyncBusyError when another sync holds it,
   * LocalIoError when the state folder cannot be written (full disk, read-only cache).
   */
  static open(file: string, env: Readonly<Record<string, string | undefined>> = process.env): SyncWorkspace {
    const state = new SyncStateDir(file, env)
    try {
      state.ensure()
    } catch (err) {
      throw new LocalIoError(`create the sync state folder ${state.path}`, err)
    }
    let lock: SyncLock
    try {
      lock = SyncLock.acquire(state.file('lock'), file)
    } catch (err) {
      if (localIoCode(err)) throw new LocalIoError(`write the lock ${state.file('lock')}`, err)
      throw err
    }
    try {
      const readOnlyRun = !writable(dirname(file))
      const overlay = new FilesOverlay(state.file('run'), dirname(file))
      let syncStateFile = file
      if (readOnlyRun) {
        syncStateFile = state.file('run.wandb')
        if (existsSync(`${file}.syncstate`) && !existsSync(`${syncStateFile}.syncstate`)) copyFileSync(`${file}.syncstate`, `${syncStateFile}.syncstate`)
      }
      return new SyncWorkspace(file, state, lock, overlay, readOnlyRun, syncStateFile)
    } catch (err) {
      lock.release()
      throw localIoCode(err) ? new LocalIoError(`prepare the sync of ${file} in ${state.path}`, err) : err
    }
  }

  /**
   * Marks the file synced: `<file>.synced`, or, when the run directory is read-only, a marker in
   * the state folder (returned as a note for the user). Throws LocalIoError when neither works.
   */
  markSynced(): string | undefined {
    if (!this.readOnlyRun) {
      try {
        writeFileSync(`${this.file}.synced`, '')
        return undefined
      } catch (err) {
        if (!localIoCode(err) || localIoCode(err) === 'ENOSPC' || localIoCode(err) === 'EIO') throw new LocalIoError(`write ${this.file}.synced`, err)
      }
    }
    try {
      writeFileSync(this.#state.file(SYNCED_MARKER), '')
    } catch (err) {
      throw new LocalIoError(`write the synced marker ${this.#state.file(SYNCED_MARKER)}`, err)
    }
    return `the run directory is read-only: marked synced in ${this.#state.path} instead of ${this.file}.synced`
  }

  /** Releases the lock and removes the overlay; the cursors stay. Idempotent, never throws. */
  close(): void {
    this.#overlay.remove()
    this.#lock.release()
  }
}

function writable(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK)
    return true
  } catch {
    return false
  }
}

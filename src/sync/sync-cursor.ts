import {createHash} from 'node:crypto'
import {existsSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import type {SyncStateDir} from './sync-state-dir.ts'

/** Where a sync uploads to: a cursor is only valid for the destination it was made for. */
export interface SyncDestination {
  baseUrl: string
  entity: string
  project: string
  runId: string
}

/**
 * Progress of a sync of one .wandb file to one destination, so an interrupted sync continues
 * where it stopped: `offset` is where the first record not yet known to be on the server starts;
 * `uploaded` maps run files to the base64 MD5 uploaded. Written atomically.
 */
export interface SyncCursor {
  version: 2
  destination: SyncDestination
  /** Size of the .wandb file when the cursor was written (a shrunk file invalidates it). */
  fileSize: number
  offset: number
  uploaded: Record<string, string>
}

/**
 * The cursors of one .wandb file, one per destination (server, entity, project, run id), in its
 * SyncStateDir: syncing to B never reuses A's progress, and A→B→A still resumes A.
 */
export class CursorStore {
  readonly #dir: SyncStateDir

  constructor(dir: SyncStateDir) {
    this.#dir = dir
  }

  /** The cursor file of a destination. */
  path(dest: SyncDestination): string {
    const key = createHash('sha256')
      .update(JSON.stringify([normalizeUrl(dest.baseUrl), dest.entity, dest.project, dest.runId]))
      .digest('hex')
      .slice(0, 16)
    return this.#dir.file(`cursor-${key}.json`)
  }

  /** The saved cursor for `dest`, or undefined when there is none or it does not fit the file. */
  load(dest: SyncDestination, fileSize: number): SyncCursor | undefined {
    const path = this.path(dest)
    if (!existsSync(path)) return undefined
    try {
      const c = JSON.parse(readFileSync(path, 'utf8')) as SyncCursor
      if (c.version !== 2 || typeof c.offset !== 'number' || c.fileSize > fileSize) return undefined
      if (!sameDestination(c.destination, dest)) return undefined
      return {...c, uploaded: c.uploaded ?? {}}
    } catch {
      return undefined
    }
  }

  /** Writes atomically (temp file + rename); throws the fs error. */
  save(cursor: SyncCursor): void {
    const path = this.path(cursor.destination)
    writeFileSync(`${path}.tmp`, JSON.stringify(cursor))
    renameSync(`${path}.tmp`, path)
  }

  /** Forgets the progress for `dest` (its sync completed). */
  remove(dest: SyncDestination): void {
    rmSync(this.path(dest), {force: true})
  }
}

function normalizeUrl(url: string): string {
  return url.replace(/\/+$/, '').toLowerCase()
}

function sameDestination(a: SyncDestination | undefined, b: SyncDestination): boolean {
  return !!a && normalizeUrl(a.baseUrl) === normalizeUrl(b.baseUrl) && a.entity === b.entity && a.project === b.project && a.runId === b.runId
}

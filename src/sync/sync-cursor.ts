import {existsSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs'

/**
 * Progress of a sync, persisted next to the .wandb file as `<file>.nexus-sync` so an interrupted
 * sync continues where it stopped: `offset` is where the first record not yet known to be on the
 * server starts; `uploaded` maps run files to the base64 MD5 uploaded. Written atomically.
 */
export interface SyncCursor {
  version: 1
  /** Size of the .wandb file when the cursor was written (a shrunk file invalidates it). */
  fileSize: number
  offset: number
  uploaded: Record<string, string>
}

export function cursorPath(file: string): string {
  return `${file}.nexus-sync`
}

/** The saved cursor, or undefined when there is none or it does not fit the file any more. */
export function loadCursor(file: string, fileSize: number): SyncCursor | undefined {
  const path = cursorPath(file)
  if (!existsSync(path)) return undefined
  try {
    const c = JSON.parse(readFileSync(path, 'utf8')) as SyncCursor
    if (c.version !== 1 || typeof c.offset !== 'number' || c.fileSize > fileSize) return undefined
    return {...c, uploaded: c.uploaded ?? {}}
  } catch {
    return undefined
  }
}

export function saveCursor(file: string, cursor: SyncCursor): void {
  const path = cursorPath(file)
  writeFileSync(`${path}.tmp`, JSON.stringify(cursor))
  renameSync(`${path}.tmp`, path)
}

export function removeCursor(file: string): void {
  rmSync(cursorPath(file), {force: true})
}

import {createHash} from 'node:crypto'
import {mkdirSync} from 'node:fs'
import {homedir} from 'node:os'
import {basename, join} from 'node:path'

/**
 * Where `nexus sync` keeps what it needs between attempts for one .wandb file — cursors (one per
 * destination), the lock, the relocated `.synced` marker of a read-only run directory, the
 * files the sender writes (config.yaml, output.log …) — outside the run directory, so a sync
 * never changes what a later sync (nexus or `wandb sync`) reads there, and works on read-only
 * runs. `$NEXUS_SYNC_STATE_DIR`, else `$XDG_CACHE_HOME/nexus/sync` (default ~/.cache), one
 * folder per .wandb file named after a hash of its real path.
 */
export class SyncStateDir {
  readonly path: string

  /** `file` is the real path of the .wandb file. Creates nothing (see ensure()). */
  constructor(file: string, env: Readonly<Record<string, string | undefined>> = process.env) {
    this.path = join(syncStateRoot(env), `${basename(file, '.wandb')}-${createHash('sha256').update(file).digest('hex').slice(0, 16)}`)
  }

  /** Creates the folder (throws the fs error, e.g. ENOSPC or EROFS). Idempotent. */
  ensure(): string {
    mkdirSync(this.path, {recursive: true})
    return this.path
  }

  /** A file in the folder. */
  file(name: string): string {
    return join(this.path, name)
  }
}

/** The folder holding every run's sync state. */
export function syncStateRoot(env: Readonly<Record<string, string | undefined>> = process.env): string {
  if (env.NEXUS_SYNC_STATE_DIR) return env.NEXUS_SYNC_STATE_DIR
  return join(env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache'), 'nexus', 'sync')
}

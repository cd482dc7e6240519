import {copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, symlinkSync} from 'node:fs'
import {join} from 'node:path'

/** Run files the sender (re)writes during a sync: copied, so the run directory's own stay as they are. */
const REWRITTEN = new Set(['config.yaml', 'wandb-summary.json', 'wandb-metadata.json'])
/** Console logs: the sender regenerates them from the console records (never linked: it truncates first). */
const isConsoleLog = (name: string) => name === 'logs' || /^output(_.*)?\.log$/.test(name)

/**
 * The files/ directory a replayed sender works in: a folder outside the run directory whose
 * entries are symlinks to the run's files/ (media, saved files — read in place, never copied),
 * except the files the sender writes itself (config.yaml, wandb-summary.json, wandb-metadata.json
 * are copies; console logs are left to be regenerated). So a sync never rewrites anything in the
 * run directory, and a read-only run directory syncs too.
 */
export class FilesOverlay {
  /** The folder to use as the run's sync_dir (its `files/` is the overlay). */
  readonly syncDir: string

  /** Builds the overlay of `runDir`/files under `root` (emptied first). Throws the fs error. */
  constructor(root: string, runDir: string) {
    this.syncDir = root
    rmSync(root, {recursive: true, force: true})
    const files = join(root, 'files')
    mkdirSync(files, {recursive: true})
    const source = join(runDir, 'files')
    if (!existsSync(source)) return
    for (const entry of readdirSync(source, {withFileTypes: true})) {
      const from = join(source, entry.name)
      const to = join(files, entry.name)
      if (isConsoleLog(entry.name)) continue
      if (REWRITTEN.has(entry.name) && entry.isFile()) copyFileSync(from, to)
      else symlinkSync(from, to)
    }
  }

  /** Removes the overlay (the run directory is untouched). Never throws. */
  remove(): void {
    rmSync(this.syncDir, {recursive: true, force: true})
  }
}

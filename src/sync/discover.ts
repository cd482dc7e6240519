import {existsSync, readdirSync, realpathSync, statSync} from 'node:fs'
import {basename, dirname, join, resolve} from 'node:path'
import {Glob} from 'bun'
import {ExitCode} from '../core/exit-codes.ts'
import {SyncError} from './sync-errors.ts'
import {isMarkedSynced} from './sync-workspace.ts'

/** One .wandb file to sync, with where it lives and whether it is already marked synced. */
export interface SyncTarget {
  /** Absolute path of the .wandb file. */
  file: string
  /** Its run directory. */
  runDir: string
  /** `<file>.synced` exists (or the marker of a read-only run in its sync state folder). */
  synced: boolean
}

const isWandbFile = (p: string) => p.endsWith('.wandb')
const hasGlob = (p: string) => /[*?[\]{}]/.test(p)

/** The .wandb files directly inside a run directory. */
function wandbFilesIn(dir: string): string[] {
  return readdirSync(dir).filter(isWandbFile).map((f) => join(dir, f))
}

/** The run directories of a wandb/ directory: offline runs only (online ones were uploaded live). */
function offlineRunsIn(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true})
    .filter((e) => e.isDirectory() && e.name.startsWith('offline-run-'))
    .map((e) => join(dir, e.name))
}

function expand(path: string, cwd: string): string[] {
  const abs = resolve(cwd, path)
  if (hasGlob(path) && !existsSync(abs)) {
    return [...new Glob(path).scanSync({cwd, absolute: true, onlyFiles: false})].sort()
  }
  if (!existsSync(abs)) {
    throw new SyncError(`sync: ${abs} does not exist`, `Nothing to sync at ${path}: no such file or directory.`, {exitCode: ExitCode.USAGE})
  }
  return [abs]
}

/**
 * Turns the user's paths (run dirs, .wandb files, globs, wandb/ dirs) into .wandb files, in
 * order, each once (duplicates by real path are dropped). A wandb/ directory contributes its
 * offline-run-* directories. Throws SyncError for a path that does not exist or holds no run.
 */
export function discoverTargets(paths: string[], cwd: string = process.cwd()): SyncTarget[] {
  const files: string[] = []
  for (const path of paths) {
    const matches = expand(path, cwd)
    const found: string[] = []
    for (const m of matches) {
      const st = statSync(m)
      if (st.isFile() && isWandbFile(m)) found.push(m)
      else if (st.isDirectory()) {
        const direct = wandbFilesIn(m)
        if (direct.length > 0) found.push(...direct)
        else for (const run of offlineRunsIn(m)) found.push(...wandbFilesIn(run))
      }
    }
    if (found.length === 0) {
      throw new SyncError(`sync: no .wandb files under ${path}`, `No runs found at ${path}: expected a run directory, a .wandb file, or a wandb/ directory with offline-run-* directories.`, {exitCode: ExitCode.USAGE})
    }
    files.push(...found)
  }
  const seen = new Set<string>()
  const targets: SyncTarget[] = []
  for (const f of files) {
    const real = realpathSync(f)
    if (seen.has(real)) continue
    seen.add(real)
    targets.push({file: real, runDir: dirname(real), synced: isMarkedSynced(real)})
  }
  return targets
}

/** The run id a file name carries (`run-<id>.wandb`), for messages before the file is read. */
export function runIdFromFileName(file: string): string {
  return basename(file).replace(/^run-/, '').replace(/\.wandb$/, '')
}

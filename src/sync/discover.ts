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
  /** Made online (its directory is `run-…`, not `offline-run-…`): skipped unless --include-online, as by `wandb sync`. */
  online: boolean
}

const isWandbFile = (p: string) => p.endsWith('.wandb')
const hasGlob = (p: string) => /[*?[\]{}]/.test(p)

/** The .wandb files directly inside a run directory. */
function wandbFilesIn(dir: string): string[] {
  return readdirSync(dir)
    .filter(isWandbFile)
    .map((f) => join(dir, f))
}

/** The run directories of a wandb/ directory, offline and online (not the latest-run link). */
function runsIn(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true})
    .filter((e) => e.isDirectory() && /^(offline-)?run-/.test(e.name))
    .map((e) => join(dir, e.name))
    .sort()
}

/**
 * The wandb/ directory `nexus sync` without paths looks in, as `wandb sync` does: under WANDB_DIR
 * (else the current directory), `wandb/`, or `.wandb/` where only that exists.
 */
export function defaultWandbDir(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): string {
  const root = resolve(cwd, env.WANDB_DIR || '.')
  const hidden = join(root, '.wandb')
  const plain = join(root, 'wandb')
  return !existsSync(plain) && existsSync(hidden) ? hidden : plain
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
 * offline-run-* and run-* directories. Throws SyncError for a path that does not exist or holds no run.
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
        else for (const run of runsIn(m)) found.push(...wandbFilesIn(run))
      }
    }
    if (found.length === 0) {
      throw new SyncError(`sync: no .wandb files under ${path}`, `No runs found at ${path}: expected a run directory, a .wandb file, or a wandb/ directory with offline-run-* or run-* directories.`, {
        exitCode: ExitCode.USAGE,
      })
    }
    files.push(...found)
  }
  const seen = new Set<string>()
  const targets: SyncTarget[] = []
  for (const f of files) {
    const real = realpathSync(f)
    if (seen.has(real)) continue
    seen.add(real)
    const runDir = dirname(real)
    targets.push({file: real, runDir, synced: isMarkedSynced(real), online: !basename(runDir).startsWith('offline-')})
  }
  return targets
}

/** The run id a file name carries (`run-<id>.wandb`), for messages before the file is read. */
export function runIdFromFileName(file: string): string {
  return basename(file)
    .replace(/^run-/, '')
    .replace(/\.wandb$/, '')
}

/** Parses --replace-tags `old1=new1,old2=new2` (an empty new name deletes the tag), as `wandb sync` does. */
export function parseTagReplacements(text: string | undefined): {[oldTag: string]: string} | undefined {
  if (!text) return undefined
  const out: {[oldTag: string]: string} = {}
  for (const pair of text.split(',')) {
    const eq = pair.indexOf('=')
    if (eq < 0) throw new SyncError(`sync: bad --replace-tags pair ${pair}`, `Invalid --replace-tags pair "${pair}": expected old=new (several separated by commas).`, {exitCode: ExitCode.USAGE})
    out[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim()
  }
  return out
}

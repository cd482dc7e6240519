/**
 * `clean` without Python (`wandb clean`): which run folders of the wandb directory may go, and
 * removing them. As wandb 0.31 decides:
 *
 * - `run-*` folders (runs made online) go once older than `minHours`, judged by the
 *   `YYYYMMDD_HHMMSS` stamp in the name (local wall-clock time; a name without a valid stamp has
 *   no age and always qualifies);
 * - `offline-run-*` folders go only when synced (unless `includeUnsynced`), and old enough.
 *
 * Synced means wandb's rule (exactly one `*.wandb.synced` marker in the folder) or nexus's own:
 * every .wandb file in it is marked synced, which includes the marker `nexus sync` keeps in its
 * state folder for read-only runs (isMarkedSynced).
 *
 * Where nexus differs on purpose: a `run-*` entry that is a symbolic link is skipped with a
 * warning, never followed (wandb lists it and then fails to remove it); runs are listed sorted by
 * name (wandb: directory order); removal never follows links inside a run folder.
 */
import {existsSync, lstatSync, readdirSync, realpathSync, rmSync, statSync} from 'node:fs'
import {homedir} from 'node:os'
import {isAbsolute, join, normalize, relative, resolve, sep} from 'node:path'
import {isMarkedSynced} from './sync-workspace.ts'

type Env = Readonly<Record<string, string | undefined>>

/** The lines wandb prints, as its termwarn / termerror. */
export interface CleanTerm {
  warn(line: string): void
  error(line: string): void
}

/** The wandb directory as wandb's settings name it, and how it is shown. */
export interface WandbDirLocation {
  /** Absolute path. */
  path: string
  /** As wandb prints it: relative to the current directory when inside it, '/' separators. */
  display: string
}

/** A run folder chosen for removal. */
export interface CleanCandidate {
  path: string
  display: string
  unsynced: boolean
}

/** What the wandb directory holds, judged by the options. */
export interface CleanSelection {
  runs: CleanCandidate[]
  skippedTooNew: number
  skippedUnsynced: number
  /** `run-*` / `offline-run-*` entries that are not folders (warned about). */
  notDirectories: string[]
  /** `run-*` / `offline-run-*` entries that are symbolic links (warned about, left alone). */
  links: string[]
}

/**
 * The wandb directory of `wandb clean`: `$WANDB_DIR` (else the current directory) + `.wandb`
 * when that exists, else `wandb` (wandb's `settings.wandb_dir`), or `override` (--path) itself.
 */
export function cleanWandbDir(o: {env?: Env; cwd?: string; override?: string} = {}): WandbDirLocation {
  const env = o.env ?? process.env
  const cwd = o.cwd ?? process.cwd()
  const expand = (p: string) => (p === '~' || p.startsWith(`~${sep}`) || p.startsWith('~/') ? join(env.HOME || homedir(), p.slice(1)) : p)
  let dir: string
  if (o.override !== undefined) dir = expand(o.override)
  else {
    const root = expand(env.WANDB_DIR || cwd)
    dir = join(root, existsSync(resolve(cwd, root, '.wandb')) ? '.wandb' : 'wandb')
  }
  const path = resolve(cwd, dir)
  let display = normalize(dir)
  if (isAbsolute(dir)) {
    const rel = relative(cwd, path)
    if (rel === '') display = '.'
    else if (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel)) display = rel
  }
  return {path, display: display.split(sep).join('/').replace(/\/$/, '') || '/'}
}

/** Problems with the wandb directory itself, in wandb's words (printed as errors, exit 1). */
export function wandbDirProblem(dir: WandbDirLocation): string | null {
  try {
    if (!existsSync(dir.path)) return 'No wandb directory found.'
    if (!statSync(dir.path).isDirectory()) return `Not a directory: ${pyRepr(dir.display)}`
    readdirSync(dir.path)
    return null
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'EACCES' || code === 'EPERM') return `Permission error accessing ${pyRepr(dir.display)}`
    throw err
  }
}

/** Chooses the runs to remove; warns (through `term`) about entries that are not run folders. */
export function selectRunsToClean(o: {dir: WandbDirLocation; includeUnsynced: boolean; minHours: number; now?: Date; env?: Env; term: CleanTerm}): CleanSelection {
  const now = o.now ?? new Date()
  const sel: CleanSelection = {runs: [], skippedTooNew: 0, skippedUnsynced: 0, notDirectories: [], links: []}
  const names = readdirSync(o.dir.path).sort()
  const show = (name: string) => (o.dir.display === '.' ? name : `${o.dir.display}/${name}`)
  const folders = (prefix: string) => {
    const out: {name: string; path: string; display: string}[] = []
    for (const name of names.filter((n) => n.startsWith(prefix))) {
      const path = join(o.dir.path, name)
      const display = show(name)
      const st = lstatSync(path, {throwIfNoEntry: false})
      if (st?.isSymbolicLink()) {
        sel.links.push(display)
        o.term.warn(`Skipping symbolic link: ${display} (not followed, not removed)`)
      } else if (!st?.isDirectory()) {
        sel.notDirectories.push(display)
        o.term.warn(`Not a directory: ${display}`)
      } else out.push({name, path, display})
    }
    return out
  }
  const tooNew = (name: string) => {
    const age = runAgeHours(now, name)
    return age !== null && age < o.minHours
  }
  for (const run of folders('run-')) {
    if (tooNew(run.name)) sel.skippedTooNew++
    else sel.runs.push({path: run.path, display: run.display, unsynced: false})
  }
  for (const run of folders('offline-run-')) {
    const synced = isSyncedRunDir(run.path, o.env)
    if (!synced && !o.includeUnsynced) sel.skippedUnsynced++
    else if (tooNew(run.name)) sel.skippedTooNew++
    else sel.runs.push({path: run.path, display: run.display, unsynced: !synced})
  }
  return sel
}

/** Whether an offline run folder counts as synced (see the module comment). */
export function isSyncedRunDir(dir: string, env?: Env): boolean {
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return false // unreadable: no marker can be seen (wandb's glob finds none either)
  }
  if (names.filter((n) => n.endsWith('.wandb.synced')).length === 1) return true
  // The state folder is keyed by the file's real path, as `nexus sync` names it.
  const files = names.filter((n) => n.endsWith('.wandb')).map((n) => realOr(join(dir, n)))
  return files.length > 0 && files.every((f) => isMarkedSynced(f, env))
}

function realOr(path: string): string {
  try {
    return realpathSync(path)
  } catch {
    return path
  }
}

/**
 * Removes the chosen folders (links inside them are removed, not followed). A folder that turned
 * into a link or a file since it was chosen is not touched. Reports each failure through `term`.
 */
export function removeRuns(runs: readonly CleanCandidate[], term: CleanTerm): {removed: string[]; failed: {path: string; error: string}[]} {
  const removed: string[] = []
  const failed: {path: string; error: string}[] = []
  for (const run of runs) {
    try {
      const st = lstatSync(run.path)
      if (!st.isDirectory()) throw Object.assign(new Error('no longer a run folder'), {code: 'ENOTDIR'})
      rmSync(run.path, {recursive: true})
      removed.push(run.display)
    } catch (err) {
      const reason = strerror(err)
      failed.push({path: run.display, error: reason})
      term.error(`Failed to remove ${pyRepr(run.display)}: ${reason}`)
    }
  }
  return {removed, failed}
}

/**
 * The age in whole hours (truncated) of the run whose folder name holds `YYYYMMDD_HHMMSS`, as
 * naive local wall-clock times (so no DST correction, like Python's naive datetimes); null
 * without a valid stamp.
 */
export function runAgeHours(now: Date, name: string): number | null {
  const m = /(\d{4})(\d{2})(\d{2})_(\d{2})(\d{2})(\d{2})/.exec(name)
  if (!m) return null
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number)
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) || h > 23 || mi > 59 || s > 59) return null
  const wall = (year: number, month: number, day: number, hour: number, minute: number, second: number, ms = 0) => {
    const t = new Date(0)
    t.setUTCFullYear(year, month - 1, day)
    t.setUTCHours(hour, minute, second, ms)
    return t.getTime()
  }
  const nowWall = wall(now.getFullYear(), now.getMonth() + 1, now.getDate(), now.getHours(), now.getMinutes(), now.getSeconds(), now.getMilliseconds())
  return Math.trunc((nowWall - wall(y, mo, d, h, mi, s)) / 3_600_000)
}

function daysIn(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
}

/** Python's `repr()` of a path string, as wandb quotes paths in its messages. */
export function pyRepr(s: string): string {
  const body = s.replace(/\\/g, '\\\\')
  if (s.includes("'") && !s.includes('"')) return `"${body}"`
  return `'${body.replace(/'/g, "\\'")}'`
}

const STRERROR: Record<string, string> = {
  EACCES: 'Permission denied',
  EPERM: 'Operation not permitted',
  EBUSY: 'Device or resource busy',
  ENOTEMPTY: 'Directory not empty',
  EROFS: 'Read-only file system',
  ENOENT: 'No such file or directory',
  ENOTDIR: 'Not a directory',
  EIO: 'Input/output error',
}

/** The C library's text for an errno code, as Python's `OSError.strerror` shows it. */
function strerror(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code
  if (code && STRERROR[code]) return STRERROR[code]
  return err instanceof Error ? err.message : String(err)
}

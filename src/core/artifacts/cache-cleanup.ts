/**
 * `artifact cache cleanup` without Python: shrinks the artifact cache (`<cache dir>/artifacts`,
 * see file-cache.ts) the way the SDK's `ArtifactFileCache.cleanup` does, so the same files go:
 *
 * 1. Every file under `tmp/` counts toward the cache size; with `removeTemp` each is deleted
 *    (and its bytes reclaimed), otherwise a warning names their total.
 * 2. Every file under `obj/` counts too. They are deleted least recently accessed first (atime),
 *    until the total is at or below the target; ties keep the directory walk order.
 * 3. If everything was deleted and the cache is still above the target, an error line says so.
 *
 * As in the SDK, temporary files deleted in step 1 still count in the total of step 2.
 * Where nexus differs on purpose: a file that could not be deleted is not counted as reclaimed
 * and stays in the total (so the next file goes instead), with a warning; symbolic links and
 * other non-regular files below `artifacts/` are never followed, counted or deleted (the SDK
 * follows links to folders and deletes what they point into); a missing cache is not created.
 */
import {lstatSync, readdirSync, realpathSync, unlinkSync, type BigIntStats} from 'node:fs'
import {isAbsolute, join, relative, sep} from 'node:path'
import {errorMessage} from '../errors.ts'
import {ArtifactError} from './errors.ts'
import {toHumanSize} from './human-size.ts'

/** The lines the command prints, as the SDK's termlog / termwarn / termerror. */
export interface CleanupTerm {
  warn(line: string): void
  error(line: string): void
}

/** What to clean. */
export interface CacheCleanupOptions {
  /** The W&B cache folder (userCacheDir()); the artifact cache is its `artifacts` folder. */
  cacheDir: string
  /** Bytes the cache may keep. */
  targetSize: number
  removeTemp?: boolean
  term?: CleanupTerm
}

/** What was removed; paths are relative to the artifact cache, with '/' separators. */
export interface CacheCleanupResult {
  /** The artifact cache folder (`<cacheDir>/artifacts`). */
  root: string
  reclaimedBytes: number
  /** The cache size before (temporary files included). */
  sizeBefore: number
  /** What the total ended at, as the algorithm counts it (see the module comment). */
  sizeAfter: number
  /** Bytes of temporary files left in place (without removeTemp). */
  tempBytes: number
  removed: string[]
  failed: {path: string; error: string}[]
  /** Symbolic links and special files left alone. */
  skipped: string[]
  /** False when the cache could not be brought down to the target. */
  reachedTarget: boolean
}

interface Entry {
  path: string
  size: number
  atimeNs: bigint
}

/**
 * Cleans the cache. Synchronous: it runs alone in the command and the SDK's own order of stat
 * and delete calls is easiest to keep that way. Throws ArtifactError when the cache folder exists
 * but cannot be read.
 */
export function cleanupArtifactCache(o: CacheCleanupOptions): CacheCleanupResult {
  if (!Number.isFinite(o.targetSize) || o.targetSize < 0) throw new ArtifactError(`artifacts: invalid target size ${o.targetSize}`)
  const term = o.term ?? {warn: () => {}, error: () => {}}
  const root = join(o.cacheDir, 'artifacts')
  const result: CacheCleanupResult = {
    root,
    reclaimedBytes: 0,
    sizeBefore: 0,
    sizeAfter: 0,
    tempBytes: 0,
    removed: [],
    failed: [],
    skipped: [],
    reachedTarget: true,
  }
  const base = realRoot(root)
  if (base === null) return result
  const rel = (p: string) => relative(base, p).split(sep).join('/')
  const walk = (dir: string) => filesIn(dir, base, (p) => result.skipped.push(rel(p)))
  const remove = (e: Entry): boolean => {
    try {
      unlinkSync(e.path)
      result.removed.push(rel(e.path))
      return true
    } catch (err) {
      result.failed.push({path: rel(e.path), error: errorMessage(err)})
      term.warn(`Could not remove ${join(root, rel(e.path))}: ${errorMessage(err)}`)
      return false
    }
  }

  let total = 0
  for (const e of walk(join(base, 'tmp'))) {
    total += e.size
    if (!o.removeTemp) result.tempBytes += e.size
    else if (remove(e)) result.reclaimedBytes += e.size
  }
  if (result.tempBytes > 0) {
    term.warn(`Cache contains ${toHumanSize(result.tempBytes)} of temporary files. Run \`wandb artifact cache cleanup --remove-temp\` to remove them.`)
  }
  const objects = walk(join(base, 'obj'))
  for (const e of objects) total += e.size
  result.sizeBefore = total
  // Array.prototype.sort is stable: equal access times keep the walk order, as Python's sorted().
  objects.sort((a, b) => (a.atimeNs < b.atimeNs ? -1 : a.atimeNs > b.atimeNs ? 1 : 0))
  for (const e of objects) {
    if (total <= o.targetSize) break
    if (!remove(e)) continue
    total -= e.size
    result.reclaimedBytes += e.size
  }
  result.sizeAfter = total
  if (total > o.targetSize) {
    result.reachedTarget = false
    term.error(`Failed to reclaim enough space in ${root}. Try running \`wandb artifact cache cleanup --remove-temp\` to remove temporary files.`)
  }
  return result
}

/** The real path of the artifact cache, or null when there is none (nothing to clean). */
function realRoot(root: string): string | null {
  try {
    return realpathSync(root)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw new ArtifactError(`artifacts: cannot open the artifact cache ${root}: ${errorMessage(err)}`, {cause: err})
  }
}

/**
 * The regular files below `dir`, depth first in directory order (as the SDK's `files_in`), never
 * following a symbolic link; links and special files go to `skip`. A missing `dir` has none.
 */
function filesIn(dir: string, base: string, skip: (path: string) => void): Entry[] {
  const out: Entry[] = []
  const visit = (d: string) => {
    let names: string[]
    try {
      names = readdirSync(d)
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      if (d === dir && (code === 'ENOENT' || code === 'ENOTDIR')) return
      throw new ArtifactError(`artifacts: cannot read the cache folder ${d}: ${errorMessage(err)}`, {cause: err})
    }
    for (const name of names) {
      const p = join(d, name)
      if (!isInside(base, p)) throw new ArtifactError(`artifacts: refusing ${p}: outside the artifact cache ${base}`)
      let st: BigIntStats
      try {
        st = lstatSync(p, {bigint: true})
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue
        throw new ArtifactError(`artifacts: cannot read ${p}: ${errorMessage(err)}`, {cause: err})
      }
      if (st.isDirectory()) visit(p)
      else if (st.isFile()) out.push({path: p, size: Number(st.size), atimeNs: st.atimeNs})
      else skip(p)
    }
  }
  try {
    if (!lstatSync(dir).isDirectory()) {
      skip(dir)
      return out
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return out
    throw new ArtifactError(`artifacts: cannot read ${dir}: ${errorMessage(err)}`, {cause: err})
  }
  visit(dir)
  return out
}

/** Whether `p` lies strictly below `base`. */
function isInside(base: string, p: string): boolean {
  const r = relative(base, p)
  return r !== '' && r !== '..' && !r.startsWith(`..${sep}`) && !isAbsolute(r)
}

/**
 * The root of TensorBoard log directories (Go core: rootdirguesser.go, filenamer.go). Writers put
 * each run's events in `<root>/<namespace>` ("train", "validation"…); the namespace prefixes the
 * metric keys and the root is cut from the paths under which tfevents files are saved with the run.
 * The root is given by the tbrecord, or guessed as the longest common path of the log directories
 * seen so far (which needs at least two), or, failing that, the working directory.
 */
import {basename, posix, resolve, sep} from 'node:path'
import {WandbError} from '../errors.ts'
import type {Clock} from '../runtime/index.ts'

/** A path is not under the root directory, or a run path is not local. */
export class RootDirError extends WandbError {
  override name = 'RootDirError'
}

/** A prefix to remove from tfevents paths (slash-separated). */
export class RootDir {
  readonly prefix: string

  constructor(prefix: string) {
    this.prefix = prefix
  }

  /** An explicit root (tbrecord.root_dir), made absolute against `cwd`. */
  static explicit(path: string, cwd: string): RootDir {
    return new RootDir(toSlash(resolve(cwd, path)))
  }

  /** `path` without the prefix and leading slashes; throws RootDirError when it does not start with the prefix. */
  trimFrom(path: string): string {
    const slashPath = toSlash(path)
    if (this.prefix !== '' && !slashPath.startsWith(this.prefix)) throw new RootDirError(`${JSON.stringify(slashPath)} does not start with ${JSON.stringify(this.prefix)}`)
    return slashPath.slice(this.prefix.length).replace(/^\/+/, '')
  }
}

/**
 * Guesses the root as the longest common path prefix of the log directories, once there are two.
 * The first guess is final, as in Go.
 */
export class RootDirGuesser {
  readonly #clock: Clock
  readonly #paths: string[] = []
  #root: RootDir | undefined
  #settled = false
  readonly #waiters = new Set<() => void>()

  constructor(clock: Clock) {
    this.#clock = clock
  }

  /** Registers a log directory (absolute). */
  add(logDir: string): void {
    if (this.#root) return
    this.#paths.push(toSlash(logDir))
    if (this.#paths.length > 1) {
      this.#root = new RootDir(longestCommonPrefix(this.#paths))
      this.#wake()
    }
  }

  /**
   * The guessed root once it is known; undefined after `timeoutMs` without a guess, or at once
   * after `giveUp()`.
   */
  async root(timeoutMs: number): Promise<RootDir | undefined> {
    if (this.#root || this.#settled) return this.#root
    const stopTimer = new AbortController()
    let wake!: () => void
    const woken = new Promise<void>((r) => (wake = r))
    this.#waiters.add(wake)
    try {
      await Promise.race([woken, this.#clock.sleep(timeoutMs, stopTimer.signal).catch(() => undefined)])
    } finally {
      this.#waiters.delete(wake)
      stopTimer.abort()
    }
    return this.#root
  }

  /** No more log directories will come: waiting callers get the answer now. */
  giveUp(): void {
    this.#settled = true
    this.#wake()
  }

  #wake(): void {
    for (const w of this.#waiters) w()
    this.#waiters.clear()
  }
}

/** Decides the run path under which a tfevents file is saved; throws RootDirError. */
export type FileNamer = (path: string) => string

/** Saves files as `<prefix>/<file name>` (tbrecord.save_path). */
export function prefixFileNamer(prefix: string): FileNamer {
  return (path) => posix.join(prefix, basename(path))
}

/** Saves files at their path relative to the root. */
export function rootDirFileNamer(root: RootDir | undefined): FileNamer {
  return (path) => {
    if (!root) throw new RootDirError('no root directory')
    return root.trimFrom(path)
  }
}

/** Whether a run path stays inside the files directory (Go's filepath.IsLocal on Unix). */
export function isLocalPath(path: string): boolean {
  if (path === '' || path.startsWith('/')) return false
  const clean = posix.normalize(path)
  return clean !== '..' && !clean.startsWith('../')
}

/** The longest sequence of whole path components every path starts with. */
export function longestCommonPrefix(paths: string[]): string {
  let prefix: string[] | undefined
  for (const path of paths) {
    const parts = path.split('/')
    if (!prefix) {
      prefix = parts
      continue
    }
    let i = 0
    while (i < prefix.length && i < parts.length && prefix[i] === parts[i]) i++
    prefix = prefix.slice(0, i)
  }
  return (prefix ?? []).join('/')
}

function toSlash(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/')
}

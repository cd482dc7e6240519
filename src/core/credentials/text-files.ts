/**
 * Reading and replacing the small text files of this folder (netrc, settings). A replacement is
 * atomic: readers see either the old or the new content, never a torn one. The text goes to a
 * temporary file beside the target (through a symlink, beside its target), is flushed, and is
 * renamed over it.
 */
import {chmodSync, closeSync, fsyncSync, openSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync, writeSync} from 'node:fs'
import {basename, dirname, join} from 'node:path'
import {CredentialsFileError} from './errors.ts'

/** The file's text, or undefined when it does not exist; CredentialsFileError when unreadable. */
export function readTextIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new CredentialsFileError('read', path, err)
  }
}

/**
 * Writes `text` to `path` atomically. `mode` is the new file's permission bits; when undefined,
 * an existing file keeps its mode and a new one gets 0666 less the umask. When the folder does
 * not allow a temporary file (but the file itself is writable), the file is rewritten in place,
 * as the SDK always does. Throws the fs error.
 */
export function writeFileAtomic(path: string, text: string, mode?: number): void {
  let target = path
  try {
    target = realpathSync(path)
  } catch {
    // does not exist yet (or a dangling link): write the path itself
  }
  let finalMode = mode
  if (finalMode === undefined) {
    try {
      finalMode = statSync(target).mode & 0o7777
    } catch {
      finalMode = 0o666 & ~process.umask()
    }
  }
  const tmp = join(dirname(target), `.${basename(target)}.nexus-${process.pid}-${Date.now()}.tmp`)
  let fd: number
  try {
    fd = openSync(tmp, 'wx', 0o600)
  } catch (err) {
    if (!['EACCES', 'EPERM', 'EROFS'].includes((err as NodeJS.ErrnoException).code ?? '')) throw err
    writeFileSync(target, text, {mode: finalMode})
    chmodSync(target, finalMode)
    return
  }
  try {
    try {
      writeSync(fd, text)
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    chmodSync(tmp, finalMode)
    renameSync(tmp, target)
  } catch (err) {
    rmSync(tmp, {force: true})
    throw err
  }
}

import {lstatSync, mkdirSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {WandbError} from '../errors.ts'

/** The node directory is not private to this user: the shared service is not used. */
export class SharedDirError extends WandbError {
  override name = 'SharedDirError'
}

/**
 * The user-private directory of the shared node services: `$XDG_RUNTIME_DIR/nexus` when that is
 * set, else `<tmp>/nexus-<uid>`. Created 0700; refused unless it is a real directory (not a
 * link) owned by this user with no group or other permission bits, so another user can neither
 * plant a service for us nor reach ours.
 */
export function sharedNodeDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const uid = process.getuid?.()
  if (uid === undefined) throw new SharedDirError('shared: no user id on this platform')
  const runtime = env.XDG_RUNTIME_DIR
  const dir = runtime ? join(runtime, 'nexus') : join(tmpdir(), `nexus-${uid}`)
  try {
    mkdirSync(dir, {mode: 0o700})
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new SharedDirError(`shared: cannot create ${dir}`, {cause: err})
  }
  checkPrivateDir(dir, uid)
  return dir
}

/** Throws SharedDirError unless `dir` is a directory (not a link) owned by `uid` with mode 0700 or stricter. */
export function checkPrivateDir(dir: string, uid: number): void {
  let st
  try {
    st = lstatSync(dir)
  } catch (err) {
    throw new SharedDirError(`shared: cannot stat ${dir}`, {cause: err})
  }
  if (!st.isDirectory()) throw new SharedDirError(`shared: ${dir} is not a directory`)
  if (st.uid !== uid) throw new SharedDirError(`shared: ${dir} belongs to uid ${st.uid}, not ${uid}`)
  if ((st.mode & 0o077) !== 0) throw new SharedDirError(`shared: ${dir} has mode ${(st.mode & 0o777).toString(8)}, not 700`)
}

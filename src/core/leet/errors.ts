/** Errors of `leet inspect`: their message is the text Go wandb-core prints after "Error: ". */
import {WandbError} from '../errors.ts'

export class LeetInspectError extends WandbError {
  override name = 'LeetInspectError'
}

const ERRNO_TEXT: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'not a directory',
  EISDIR: 'is a directory',
  EINVAL: 'invalid argument',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'file name too long',
  EIO: 'input/output error',
}

/** Go's *PathError text for a failed file operation: "stat /x: no such file or directory". */
export function pathErrorText(op: string, path: string, err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code
  const text = (code && ERRNO_TEXT[code]) ?? (err instanceof Error ? err.message : String(err))
  return `${op} ${path}: ${text}`
}

/**
 * Where a manifest path may be written: strictly inside the download root. Manifests come from the
 * server, so a path like "../../.bashrc" or "/etc/passwd" must never be honoured.
 */
import {isAbsolute, resolve, sep} from 'node:path'
import {UnsafePathError} from './errors.ts'

/**
 * The local path of artifact path `path` under `root`. Throws UnsafePathError for an empty path,
 * a NUL, an absolute or drive path, a `..` segment (either slash counts as a separator, so a
 * manifest cannot escape on Windows either) or a result outside `root`.
 */
export function safeJoin(root: string, path: string): string {
  if (path === '') throw new UnsafePathError(path, 'empty path')
  if (path.includes('\0')) throw new UnsafePathError(path, 'contains NUL')
  if (isAbsolute(path) || path.startsWith('/') || path.startsWith('\\') || /^[A-Za-z]:/.test(path)) throw new UnsafePathError(path, 'absolute path')
  const segments = path.split(/[/\\]/)
  if (segments.some((s) => s === '..')) throw new UnsafePathError(path, 'contains ".."')
  if (segments.some((s) => s === '')) throw new UnsafePathError(path, 'contains an empty segment')
  const base = resolve(root)
  const full = resolve(base, path)
  if (!full.startsWith(base.endsWith(sep) ? base : base + sep)) throw new UnsafePathError(path, 'leaves the download root')
  return full
}

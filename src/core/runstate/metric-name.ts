/**
 * How metric names map to tree paths. The rules differ by use, as in Go core:
 * - configuring a metric's summary splits its name on unescaped dots (`a.b` → a → b, `a\.b` → the
 *   one label "a.b"; a backslash before anything else is kept, a trailing one dropped, empty
 *   trailing parts dropped);
 * - step metrics are looked up by splitting on every dot;
 * - history leaves are matched against metric names and globs by joining their labels with dots.
 */
import type {TreePath} from './path-tree.ts'

/** Splits a metric name on dots that are not escaped by a backslash (see the module comment). */
export function splitEscapedDottedName(name: string): string[] {
  const parts: string[] = []
  let current = ''
  let escaped = false
  for (const ch of name) {
    if (escaped) {
      current += ch === '.' ? '.' : `\\${ch}`
      escaped = false
    } else if (ch === '.') {
      parts.push(current)
      current = ''
    } else if (ch === '\\') {
      escaped = true
    } else {
      current += ch
    }
  }
  if (current !== '') parts.push(current)
  return parts
}

/** The path of a step metric: its name split on every dot. */
export function stepMetricPath(name: string): TreePath {
  return name.split('.')
}

/** The metric name of a history leaf: its labels joined with dots. */
export function leafMetricName(path: TreePath): string {
  return path.join('.')
}

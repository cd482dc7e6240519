/**
 * `leet inspect --summary` as text: an aligned header (run, project, file, state, started, step),
 * then the summary and config as sorted dotted keys, then the last console lines.
 */
import {compactJson, goSprint, sortedKeys, truncateValue} from './go-format.ts'
import {clockLocal, rfc3339Local} from './go-time.ts'
import {type GoObject, type GoValue, isGoObject} from './go-value.ts'
import type {RunDigest} from './run-digest.ts'
import {runState} from './run-state.ts'

/** How many console lines the summary shows. */
export const SUMMARY_CONSOLE_LINES = 20
/** Widest key column; longer keys push their own value right. */
const KEY_WIDTH = 40
/** Lists are shown inline as JSON, cut to this many cells. */
const LIST_WIDTH = 80

/** W&B media values ({"_type": ..., "path": ...}) become "type path"; lists become JSON text. */
function compact(v: GoValue): GoValue {
  if (isGoObject(v)) {
    const type = v.get('_type')
    if (typeof type === 'string') {
      const path = v.get('path')
      return `${type} ${typeof path === 'string' ? path : ''}`.trim()
    }
    return new Map([...v].map(([k, e]) => [k, compact(e)]))
  }
  if (Array.isArray(v)) return truncateValue(compactJson(v), LIST_WIDTH)
  return v
}

interface KeyValue {
  key: string
  value: string
  top: string
}

function flatten(tree: GoObject, prefix: string, top: string, out: KeyValue[]): void {
  for (const k of sortedKeys(tree)) {
    const v = tree.get(k)!
    const key = prefix ? `${prefix}.${k}` : k
    const first = prefix ? top : k
    if (isGoObject(v)) flatten(v, key, first, out)
    else out.push({key, value: goSprint(v), top: first})
  }
}

/** %-*s: pads to `width` code points (Go counts runes when padding). */
function padRight(s: string, width: number): string {
  const n = [...s].length
  return n >= width ? s : s + ' '.repeat(width - n)
}

function section(title: string, tree: GoObject): string {
  const items: KeyValue[] = []
  flatten(compact(tree) as GoObject, '', '', items)
  const shown = items.filter((kv) => kv.top !== '_wandb')
  if (shown.length === 0) return ''
  // The column width counts bytes, as Go's len() does.
  const width = Math.min(Math.max(0, ...shown.map((kv) => Buffer.byteLength(kv.key))), KEY_WIDTH)
  return `\n${title}\n${shown.map((kv) => `  ${padRight(kv.key, width)}  ${kv.value}\n`).join('')}`
}

export function summaryText(digest: RunDigest, nowMs: number): string {
  const {state, detail} = runState(digest, nowMs)
  const run = digest.run
  const header: [string, string][] = [
    ['run', run.displayName ? `${run.displayName} (${run.id})` : run.id],
    ['project', `${run.entity}/${run.project}`.replace(/^\/+|\/+$/g, '')],
    ['file', digest.path],
    ['state', `${state} (${detail})`],
  ]
  if (run.startTime) header.push(['started', rfc3339Local(run.startTime)])
  if (digest.lastStep !== undefined) header.push(['step', String(digest.lastStep)])
  let out = header.map(([k, v]) => `${padRight(k, 8)} ${v}\n`).join('')
  out += section('summary', digest.summary.toNested())
  out += section('config', digest.config.toNested())
  const lines = digest.console.lines
  const tail = lines.slice(Math.max(lines.length - SUMMARY_CONSOLE_LINES, 0))
  if (lines.length > 0) out += `\nconsole (last ${tail.length} of ${lines.length} lines)\n`
  for (const line of tail) out += `  ${clockLocal(line.time)}  ${line.isStderr ? '[stderr] ' : ''}${line.content}\n`
  return out
}

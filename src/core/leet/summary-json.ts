/**
 * `leet inspect --summary --json`: one indented object with Go's key order (sorted), times in
 * RFC3339 with nanoseconds (UTC), NaN and infinities as strings, and null for what is unknown.
 */
import {encodeGoJson, type JsonOut, RawJson} from './go-format.ts'
import {rfc3339NanoUtc} from './go-time.ts'
import type {GoObject} from './go-value.ts'
import type {RunDigest} from './run-digest.ts'
import {runState} from './run-state.ts'
import {SUMMARY_CONSOLE_LINES} from './summary-text.ts'

function withoutWandb(tree: GoObject): GoObject {
  tree.delete('_wandb')
  return tree
}

const time = (t: Parameters<typeof rfc3339NanoUtc>[0]) => new RawJson(JSON.stringify(rfc3339NanoUtc(t)))

export function summaryJson(digest: RunDigest, nowMs: number): string {
  const run = digest.run
  const lines = digest.console.lines
  const tail = lines.slice(Math.max(lines.length - SUMMARY_CONSOLE_LINES, 0))
  const out = new Map<string, JsonOut>([
    ['file', digest.path],
    ['run_id', run.id],
    ['name', run.displayName],
    ['entity', run.entity],
    ['project', run.project],
    ['notes', run.notes],
    ['tags', run.tags],
    ['state', runState(digest, nowMs).state],
    ['last_write', time(digest.lastWrite)],
    ['summary', withoutWandb(digest.summary.toNested())],
    ['config', withoutWandb(digest.config.toNested())],
    [
      'console',
      tail.map(
        (line) =>
          new Map<string, JsonOut>([
            ['time', time(line.time)],
            ['stream', line.isStderr ? 'stderr' : 'stdout'],
            ['line', line.content],
          ]),
      ),
    ],
    ['console_lines', BigInt(lines.length)],
    ['start_time', run.startTime ? time(run.startTime) : null],
    ['exit_code', digest.exit ? BigInt(digest.exit.exit_code) : null],
    ['step', digest.lastStep ?? null],
  ])
  return encodeGoJson(out, '  ')
}

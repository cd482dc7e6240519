/**
 * A run's state as `leet inspect --summary` reports it: from the exit record when there is one
 * (0 finished, 254 crashed, anything else failed), else "running" until the file has gone
 * RUN_CRASH_TIMEOUT_S without a write, then "crashed".
 */
import {goDurationSeconds} from './go-format.ts'
import type {RunDigest} from './run-digest.ts'

/** How long a run without an exit record may go without writing before it counts as crashed (Go leet: 10m). */
export const RUN_CRASH_TIMEOUT_S = 600

export interface RunStateLine {
  state: 'finished' | 'failed' | 'crashed' | 'running' | 'unknown'
  detail: string
}

export function runState(digest: RunDigest, nowMs: number): RunStateLine {
  if (digest.exit) {
    const code = digest.exit.exit_code
    const state = code === 0 ? 'finished' : code === 254 ? 'crashed' : 'failed'
    return {state, detail: `exit code ${code}`}
  }
  if (digest.run.id === '') return {state: 'unknown', detail: 'no run record yet'}
  const writeMs = Number(digest.lastWrite.seconds) * 1000 + digest.lastWrite.nanos / 1e6
  // time.Duration.Round(time.Second): halves round away from zero.
  const ageMs = nowMs - writeMs
  const age = Math.sign(ageMs) * Math.floor(Math.abs(ageMs) / 1000 + 0.5)
  if (age > RUN_CRASH_TIMEOUT_S) return {state: 'crashed', detail: `no exit record, last write ${goDurationSeconds(age)} ago`}
  return {state: 'running', detail: `last write ${goDurationSeconds(age)} ago`}
}

/**
 * Run states and configs between the backend's form and the protocol's: lower-case state
 * strings ↔ SweepRunState, the backend's `{param: {"value": v}}` configs ↔ the protocol's flat
 * `{param: v}`, and whether a summary carries every objective.
 */
import {SweepRunState} from './protocol.ts'
import {parseObject, sortedJson} from './sorted-json.ts'

const STATES: Record<string, SweepRunState> = {
  running: SweepRunState.RUNNING,
  pending: SweepRunState.PENDING,
  preempting: SweepRunState.PREEMPTING,
  preempted: SweepRunState.PREEMPTED,
  finished: SweepRunState.FINISHED,
  failed: SweepRunState.FAILED,
  crashed: SweepRunState.CRASHED,
  killed: SweepRunState.KILLED,
}

/** The backend's state string as the protocol enum; UNKNOWN for one this build does not know. */
export function runStateOf(state: string): SweepRunState {
  return STATES[state] ?? SweepRunState.UNKNOWN
}

/**
 * Whether the run stopped for good. UNKNOWN (an adopted run before its first poll) is not: this
 * must stay the complement of the client's RunState.is_alive.
 */
export function isTerminal(state: SweepRunState): boolean {
  return state === SweepRunState.FINISHED || state === SweepRunState.FAILED || state === SweepRunState.CRASHED || state === SweepRunState.KILLED || state === SweepRunState.PREEMPTED
}

/** `{param: {"value": v}}` JSON → `{param: v}` JSON (keys sorted); "{}" for anything unreadable. */
export function flattenWireConfig(wireJson: string): string {
  if (wireJson === '') return '{}'
  const wire = parseObject(wireJson)
  if (!wire) return '{}'
  const flat: Record<string, unknown> = {}
  for (const [name, param] of Object.entries(wire)) {
    flat[name] = param !== null && typeof param === 'object' && !Array.isArray(param) && 'value' in param ? (param as {value: unknown}).value : param
  }
  return sortedJson(flat)
}

/** `{param: v}` JSON → `{param: {"value": v}}` JSON; throws when the text is not a JSON object. */
export function wrapFlatConfig(flatJson: string): string {
  let flat: unknown
  try {
    flat = JSON.parse(flatJson)
  } catch (err) {
    throw new Error(`scheduler: parsing suggestion config: ${(err as Error).message}`)
  }
  if (flat === null || typeof flat !== 'object' || Array.isArray(flat)) {
    throw new Error('scheduler: parsing suggestion config: not a JSON object')
  }
  const wire: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(flat)) wire[name] = {value}
  return sortedJson(wire)
}

/** Whether the summary JSON has a non-null value for every key in `metricKeys`. */
export function summaryHasAllMetrics(summaryJson: string, metricKeys: string[]): boolean {
  if (summaryJson === '') return false
  const summary = parseObject(summaryJson)
  if (!summary) return false
  return metricKeys.every((k) => k in summary && summary[k] !== null)
}

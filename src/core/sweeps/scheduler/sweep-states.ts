/**
 * The sweep states the scheduler acts on. upsertSweep stores whatever state a client sends, so
 * others are possible; a state this build does not know keeps the loop going.
 */
import {DoneReason, doneTask, type Task} from './protocol.ts'

export const SWEEP_PAUSED = 'PAUSED'
export const SWEEP_FINISHED = 'FINISHED'
const DONE_STATES = new Set(['FINISHED', 'CANCELED', 'ERROR', 'FLAPPING', 'CRASHED'])
const FAILED_STATES = new Set(['ERROR', 'FLAPPING', 'CRASHED'])

/** Whether the scheduler can no longer schedule under this sweep state. */
export function sweepIsDone(state: string): boolean {
  return DONE_STATES.has(state)
}

/** The Done task for a sweep that completed, was stopped by the user, or failed. */
export function doneForSweepState(state: string): Task {
  const reason = state === SWEEP_FINISHED ? DoneReason.SWEEP_FINISHED : FAILED_STATES.has(state) ? DoneReason.FATAL_ERROR : DoneReason.TERMINATED
  return doneTask(reason, `the sweep is ${state}`)
}

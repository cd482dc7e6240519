/**
 * One read of a sweep as its local controller sees it (wandb_controller.py
 * `_sweep_object_read_from_backend`): the config parsed from its YAML, the `controller` and
 * `scheduler` JSON objects, and each run as the search functions take it.
 */
import type {SweepWithRunsData} from '../documents.ts'
import {SweepConfigError} from '../errors.ts'
import {toJsonValue} from '../py-value.ts'
import type {SweepRun, RunState} from '../search/index.ts'
import {parseSweepConfig} from '../sweep-config.ts'

/** The controller's commands to the server (wandb_controller.py's docstring). */
export interface ControllerState {
  schedule?: {id: string; data: {args: Record<string, {value: unknown}> | null}}[]
  earlystop?: string[]
  [other: string]: unknown
}

/** The server's feedback: the schedule entries it turned into runs. */
export interface SchedulerState {
  scheduled?: {id?: string; runid?: string}[]
}

/** A run of the sweep, with the flags the controller reads besides what the search sees. */
export interface SnapshotRun extends SweepRun {
  stopped: boolean
  shouldStop: boolean
}

/** The sweep at one step. */
export interface SweepSnapshot {
  /** The server's object id (for UpsertSweep). */
  objId: string
  name: string
  state: string
  /** The config as a plain JSON object. */
  config: Record<string, unknown>
  controller: ControllerState
  scheduler: SchedulerState
  runs: SnapshotRun[]
}

const RUN_STATES: readonly RunState[] = ['pending', 'running', 'finished', 'killed', 'crashed', 'failed', 'preempted', 'preempting']

/** The snapshot of a SweepWithRuns answer, or null when the server has no such sweep. */
export function snapshotOf(data: SweepWithRunsData): SweepSnapshot | null {
  const sweep = data.project?.sweep
  if (!sweep?.id || !sweep.name) return null
  const config = toJsonValue(parseSweepConfig(sweep.config ?? '')) as Record<string, unknown>
  const runs = (sweep.runs?.edges ?? [])
    .flatMap((e) => (e.node?.name ? [e.node] : []))
    .map((node): SnapshotRun => {
      const state = (node.state ?? 'pending') as RunState
      return {
        name: node.name as string,
        state: RUN_STATES.includes(state) ? state : 'pending',
        config: jsonObject(node.config, `the config of run ${node.name}`) as SweepRun['config'],
        summaryMetrics: jsonObject(node.summaryMetrics, `the summary of run ${node.name}`),
        // wandb joins the lists of each spec into one history
        history: (node.sampledHistory ?? []).flat().filter((row): row is Record<string, unknown> => row !== null && typeof row === 'object'),
        stopped: node.stopped === true,
        shouldStop: node.shouldStop === true,
      }
    })
  return {
    objId: sweep.id,
    name: sweep.name,
    state: sweep.state ?? '',
    config,
    controller: jsonObject(sweep.controller, 'the sweep controller state') as ControllerState,
    scheduler: jsonObject(sweep.scheduler, 'the sweep scheduler state') as SchedulerState,
    runs,
  }
}

/** JSON text of an object (empty or null: {}). */
function jsonObject(text: string | null | undefined, what: string): Record<string, unknown> {
  if (!text) return {}
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    throw new SweepConfigError(`The server sent ${what} as malformed JSON.`, {cause: err})
  }
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {}
}

/**
 * Every run one scheduler touches, with where it stands (Go's trackedRun / TrackingState): a
 * suggestion is InFlight once enqueued, TerminalDelivered when its last update went out, then
 * Dormant (ended without success: still read, so a resume can be reported, but never told
 * again and holding no batch slot) or Retired (ignored). Pruned-and-stopped runs, runs the
 * optimizer could not ingest and suggestions that never got scheduled go straight to Retired.
 * Records are never removed, so an optimizer run id stays reserved for the session.
 */
import {SweepRunState} from './protocol.ts'
import {isTerminal} from './run-states.ts'

export enum Tracking {
  InFlight,
  TerminalDelivered,
  Dormant,
  Retired,
}

export interface TrackedRun {
  tracking: Tracking
  /** The id the optimizer knows the run by ('' for a prior run seen only at warm start). */
  optimizerRunId: string
  /** The W&B run name ('' until the enqueue minted it). */
  name: string
  /** The run's GraphQL node id (for StopRun), from the latest poll. */
  storageId: string
  runState: SweepRunState
  /** Already counted toward the finished runs (run_cap). */
  finishedCounted: boolean
  /** The "changed state after its result was reported" warning was logged. */
  warnedResumed: boolean
  /** Stop it until the backend accepts; never a prune candidate again. */
  pruned: boolean
}

/** A record with defaults. */
export function trackedRun(fields: Partial<TrackedRun>): TrackedRun {
  return {
    tracking: Tracking.Retired,
    optimizerRunId: '',
    name: '',
    storageId: '',
    runState: SweepRunState.UNSPECIFIED,
    finishedCounted: false,
    warnedResumed: false,
    pruned: false,
    ...fields,
  }
}

/** Reported to the optimizer: its terminal update has not been acknowledged yet. */
export function isTracked(run: TrackedRun): boolean {
  return run.tracking === Tracking.InFlight || run.tracking === Tracking.TerminalDelivered
}

/** The scheduler's table of runs: by optimizer id in creation order, and prior runs by name. */
export class TrackedRuns {
  readonly #byId = new Map<string, TrackedRun>()
  readonly #order: string[] = []
  /** Prior runs warm start walked (and adopted ones), by W&B name. */
  readonly byName = new Map<string, TrackedRun>()

  /** Registers a run under its optimizer id. */
  track(run: TrackedRun): void {
    this.#byId.set(run.optimizerRunId, run)
    this.#order.push(run.optimizerRunId)
  }

  get(optimizerRunId: string): TrackedRun | undefined {
    return this.#byId.get(optimizerRunId)
  }

  /** Every run with an optimizer id, in creation order. */
  all(): TrackedRun[] {
    return this.#order.map((id) => this.#byId.get(id) as TrackedRun)
  }

  /** The runs read on the next poll (all but retired ones), in creation order. */
  watched(): TrackedRun[] {
    return this.all().filter((r) => r.tracking !== Tracking.Retired)
  }

  /** How many runs the optimizer is still told about. */
  trackedCount(): number {
    return this.all().filter(isTracked).length
  }

  /** How many tracked runs hold a batch slot (not terminal). */
  occupiedSlots(): number {
    return this.all().filter((r) => isTracked(r) && !isTerminal(r.runState)).length
  }
}

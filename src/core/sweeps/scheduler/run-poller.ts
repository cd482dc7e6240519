/**
 * Reads the sweep's runs for the scheduler: warm start's pages of every run in the sweep, and each
 * generation's read of just the runs the scheduler still watches (the rest of a sweep can run to
 * thousands of runs it neither owns nor acts on), paged through to the end.
 */
import type {Clock} from '../../runtime/index.ts'
import type {PollPage, PollRun, SchedulerBackend} from './scheduler-api.ts'

/** Runs per page of a watched-runs poll. */
export const RUNS_PAGE_SIZE = 200

/** Prior runs the optimizer ingests per warm-start task. */
export const WARM_START_PAGE_SIZE = 100

/** One read of the watched runs: the sweep's state and the rows by run name. */
export interface PollSnapshot {
  sweepState: string
  /** A watched name missing here was not returned by the backend. */
  rows: Map<string, PollRun>
}

export class RunPoller {
  /** When the latest backend poll of the sweep started (ms), 0 before the first. */
  lastPollMs = 0

  constructor(
    private readonly backend: SchedulerBackend,
    private readonly clock: Clock,
    private readonly metricKeys: string[],
  ) {}

  /** One warm-start page after `cursor`. */
  warmStartPage(cursor: string | null, signal: AbortSignal): Promise<PollPage> {
    return this.backend.warmStartPage(WARM_START_PAGE_SIZE, cursor, this.metricKeys, signal)
  }

  /** The sweep's state and every watched run; with nothing watched, only the sweep. */
  async pollWatched(names: string[], signal: AbortSignal): Promise<PollSnapshot> {
    const snapshot: PollSnapshot = {sweepState: '', rows: new Map()}
    if (names.length === 0) {
      this.lastPollMs = this.clock.now()
      snapshot.sweepState = (await this.backend.fetchSweep(signal)).state
      return snapshot
    }
    let cursor: string | null = null
    for (;;) {
      this.lastPollMs = this.clock.now()
      const page: PollPage = await this.backend.fetchWatchedRuns(names, RUNS_PAGE_SIZE, cursor, this.metricKeys, signal)
      snapshot.sweepState = page.sweepState
      for (const run of page.runs) snapshot.rows.set(run.name, run)
      if (page.nextCursor === null) return snapshot
      cursor = page.nextCursor
    }
  }
}

/**
 * A fingerprint of what a poll observed (sweep state; each row's name, state and summary, in
 * name order), so an unchanged sweep can be told apart from one that moves.
 */
export function snapshotFingerprint(snapshot: PollSnapshot): string {
  const names = [...snapshot.rows.keys()].sort()
  return JSON.stringify([
    snapshot.sweepState,
    ...names.map((n) => {
      const row = snapshot.rows.get(n) as PollRun
      return [n, row.state, row.summaryJson]
    }),
  ])
}

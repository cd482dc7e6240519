/**
 * One sweep's scheduling loop (Go core's Scheduler, the TaskResolver of a session). Each `step`
 * applies the client's result for the previous task and computes the next one: warm-start pages
 * of the runs already in the sweep, then generation tasks, each after waiting out the poll
 * interval (plus the backoff's slowdown): poll the watched runs, report their updates, and ask
 * the optimizer for enough suggestions to keep `batchSize` runs in flight; suggestions are
 * enqueued on the backend (agents run them). The sweep is marked FINISHED when the search space
 * is exhausted (once its runs reported), the run cap is hit, or the optimizer ends it.
 * Steps are serialized by the caller (SessionStateMachine); `stop()` may come at any time.
 */
import {errorMessage} from '../../errors.ts'
import type {Logger} from '../../observability/index.ts'
import type {Clock} from '../../runtime/index.ts'
import {Backoff, TrackedBackend} from './backoff.ts'
import {SchedulerApiError} from './errors.ts'
import {
  AskOutcome,
  DoneReason,
  SweepRunState,
  doneTask,
  generationTask,
  runData,
  warmStartTask,
  type GenerationResult,
  type RunSuggestion,
  type RunUpdate,
  type Task,
  type TaskResult,
  type WarmStartResult,
  type WarmStartTask,
} from './protocol.ts'
import {RunPoller, snapshotFingerprint, type PollSnapshot} from './run-poller.ts'
import {flattenWireConfig, isTerminal, runStateOf, summaryHasAllMetrics, wrapFlatConfig} from './run-states.ts'
import type {PollRun, SchedulerBackend} from './scheduler-api.ts'
import {SWEEP_FINISHED, SWEEP_PAUSED, doneForSweepState, sweepIsDone} from './sweep-states.ts'
import {Tracking, TrackedRuns, isTracked, trackedRun, type TrackedRun} from './tracked-runs.ts'

/** Used when the client asks for no interval. */
export const DEFAULT_POLL_INTERVAL_MS = 5000
/** Intervals below this are raised to it. */
export const MIN_POLL_INTERVAL_MS = 5000
/** How often an unchanged sweep is logged. */
const STAGNANT_LOG_MS = 60_000

export interface SchedulerOptions {
  backend: SchedulerBackend
  logger: Logger
  clock: Clock
  sweepNodeId: string
  metricKeys: string[]
  /** Runs kept in flight; 0 or less = 1. */
  batchSize: number
  /** Finished runs after which the sweep is done; 0 = uncapped. */
  runCap: number
  /** 0 or less = DEFAULT_POLL_INTERVAL_MS; clamped to at least MIN_POLL_INTERVAL_MS. */
  pollIntervalMs: number
}

/** Why the loop ends, kept apart from the Done task so bookkeeping can finish first. */
type End = {reason: DoneReason; message: string}

export class Scheduler {
  readonly #backend: TrackedBackend
  readonly #backoff = new Backoff()
  readonly #poller: RunPoller
  readonly #logger: Logger
  readonly #clock: Clock
  readonly #sweepNodeId: string
  readonly #metricKeys: string[]
  readonly #batchSize: number
  readonly #runCap: number
  readonly #pollIntervalMs: number
  readonly #stop = new AbortController()
  readonly #runs = new TrackedRuns()

  #warmCursor: string | null = null
  #warmDone = false
  #finishedRunCount = 0
  /** Ids of suggestions accepted but never scheduled; reported with the next task. */
  #discards: string[] = []
  /** Updates of runs enqueued since the last task. */
  #enqueued: RunUpdate[] = []
  /** The prune candidates offered by the latest generation task. */
  #lastPruneCandidates = new Set<string>()
  /** No more asks; the loop waits out the runs already scheduled. */
  #exhausted = false
  readonly #warnedUnrecognized = new Set<string>()
  #lastFingerprint = ''
  #lastChangeMs = 0
  #lastStagnantLogMs = 0

  constructor(o: SchedulerOptions) {
    this.#logger = o.logger
    this.#clock = o.clock
    this.#backend = new TrackedBackend(o.backend, this.#backoff)
    this.#poller = new RunPoller(this.#backend, o.clock, o.metricKeys)
    this.#sweepNodeId = o.sweepNodeId
    this.#metricKeys = o.metricKeys
    this.#batchSize = o.batchSize > 0 ? Math.trunc(o.batchSize) : 1
    this.#runCap = o.runCap > 0 ? o.runCap : 0
    if (o.pollIntervalMs <= 0) this.#pollIntervalMs = DEFAULT_POLL_INTERVAL_MS
    else if (o.pollIntervalMs < MIN_POLL_INTERVAL_MS) {
      o.logger.warn('scheduler: poll interval below the floor, clamping', {requested_ms: o.pollIntervalMs, floor_ms: MIN_POLL_INTERVAL_MS})
      this.#pollIntervalMs = MIN_POLL_INTERVAL_MS
    } else this.#pollIntervalMs = o.pollIntervalMs
  }

  /** Asks the current (or next) step to return a Done task. Idempotent. */
  stop(): void {
    this.#stop.abort(new Error('scheduler: stop requested'))
  }

  /**
   * Applies `result` (undefined on the first step) and returns the next task, waiting up to one
   * poll interval. When `signal` (the poll) or stop() ends the wait, the task is Done(SHUTDOWN).
   */
  async step(signal: AbortSignal, result: TaskResult | undefined): Promise<Task> {
    const ctl = AbortSignal.any([signal, this.#stop.signal])
    if (result) {
      const done = await this.#applyResult(ctl, result)
      if (done) return done
    }
    if (!this.#warmDone) return this.#warmStartStep(ctl)
    if (ctl.aborted) return doneTask(DoneReason.SHUTDOWN)
    // runs just enqueued are reported at once, not after the poll interval
    if (this.#sleepMs() > 0 && this.#enqueued.length > 0) return this.#reportTask()
    return this.#generationStep(ctl)
  }

  // ---- results ----

  async #applyResult(signal: AbortSignal, result: TaskResult): Promise<Task | undefined> {
    const r = result.result
    switch (r.oneofKind) {
      case 'error':
        this.#logger.error('scheduler: the optimizer failed', {error: r.error.message, traceback: r.error.traceback})
        // the sweep is left as it is, so a fixed client can resume it
        return doneTask(DoneReason.OPTIMIZER_ERROR, r.error.message)
      case 'warm_start':
        this.#applyWarmStartResult(r.warm_start)
        return undefined
      case 'generation':
        return this.#applyGenerationResult(signal, r.generation)
      default:
        // a result with nothing to report, e.g. for an empty generation task
        return undefined
    }
  }

  #applyWarmStartResult(result: WarmStartResult): void {
    // sorted, so the run order (and every later task) does not depend on map order
    for (const wandbRunId of Object.keys(result.adoptions).sort()) {
      const optimizerRunId = result.adoptions[wandbRunId]
      if (this.#runs.get(optimizerRunId)) {
        // never reported as a discard: that would drop the run already holding this id
        this.#logger.warn('scheduler: dropping an adoption whose optimizer run id is already in use', {run: wandbRunId, id: optimizerRunId})
        continue
      }
      const known = this.#runs.byName.get(wandbRunId)
      if (known && isTracked(known)) continue
      const run = trackedRun({tracking: Tracking.InFlight, name: wandbRunId, optimizerRunId, runState: SweepRunState.UNKNOWN})
      this.#runs.track(run)
      this.#runs.byName.set(wandbRunId, run)
    }
    for (const skipped of result.skipped) {
      let run = this.#runs.byName.get(skipped.wandb_run_id)
      if (!run) {
        run = trackedRun({name: skipped.wandb_run_id})
        this.#runs.byName.set(skipped.wandb_run_id, run)
      }
      run.tracking = Tracking.Retired
      this.#logger.warn('scheduler: the optimizer could not ingest a prior run; excluding it', {run: skipped.wandb_run_id, error: skipped.error})
    }
  }

  async #applyGenerationResult(signal: AbortSignal, result: GenerationResult): Promise<Task | undefined> {
    this.#settleDeliveredTerminals()
    for (const tellError of result.tell_errors) {
      const run = this.#runs.get(tellError.optimizer_run_id)
      if (!run || !isTracked(run)) continue
      this.#logger.warn("scheduler: the optimizer could not ingest a run's update; excluding the run", {run: run.name, error: tellError.message})
      // retired without a report: frees the batch slot so the search can replace it
      run.tracking = Tracking.Retired
    }
    await this.#applyPrunes(signal, result.prune)

    if (result.terminate) {
      await this.#finishSweep(signal)
      return doneTask(DoneReason.SWEEP_FINISHED, 'the optimizer ended the sweep')
    }
    switch (result.ask_outcome) {
      case AskOutcome.EXHAUSTED: {
        // finishing now would stop the backend handing the scheduled runs to agents
        this.#exhausted = true
        const remaining = this.#runs.trackedCount()
        if (remaining > 0) {
          this.#logger.info('scheduler: search space exhausted; waiting for runs', {runs: remaining})
          return undefined
        }
        return this.#finish(signal, 'the search space is exhausted')
      }
      case AskOutcome.SUGGESTED:
        return this.#enqueueSuggestions(signal, result.suggestions)
      default:
        return undefined
    }
  }

  /** Runs whose terminal update was acknowledged: a finished one is done with, any other goes dormant. */
  #settleDeliveredTerminals(): void {
    for (const run of this.#runs.all()) {
      if (run.tracking !== Tracking.TerminalDelivered) continue
      run.tracking = run.runState === SweepRunState.FINISHED ? Tracking.Retired : Tracking.Dormant
    }
  }

  async #applyPrunes(signal: AbortSignal, pruneIds: string[]): Promise<void> {
    for (const id of pruneIds) {
      if (!this.#lastPruneCandidates.has(id)) continue
      const run = this.#runs.get(id)
      if (run && isTracked(run) && !isTerminal(run.runState)) run.pruned = true
    }
    // every unstopped pruned run is retried: the optimizer never prunes one twice
    for (const run of this.#runs.all()) {
      if (!run.pruned || !isTracked(run) || isTerminal(run.runState)) continue
      let stopped: boolean
      try {
        stopped = await this.#backend.stopRun(run.storageId, signal)
      } catch (err) {
        this.#logger.error('scheduler: failed to stop a pruned run; will retry', {run: run.name, error: errorMessage(err)})
        continue
      }
      if (!stopped) {
        this.#logger.warn('scheduler: the backend refused to stop a pruned run; will retry', {run: run.name})
        continue
      }
      this.#logger.info('scheduler: stopped pruned run; retiring it', {run: run.name})
      run.tracking = Tracking.Retired
    }
  }

  async #enqueueSuggestions(signal: AbortSignal, suggestions: RunSuggestion[]): Promise<Task | undefined> {
    if (suggestions.length === 0) return undefined
    // the sweep may have ended while the optimizer was thinking
    try {
      const facts = await this.#backend.fetchSweep(signal)
      if (sweepIsDone(facts.state)) return doneForSweepState(facts.state)
      if (facts.state === SWEEP_PAUSED) {
        // not terminal, but no new runs may start: the optimizer gets these back as discards
        this.#discards.push(...suggestions.map((s) => s.optimizer_run_id))
        return undefined
      }
    } catch (err) {
      if (err instanceof SchedulerApiError && err.disposition === 'not-found') return doneTask(DoneReason.SWEEP_NOT_FOUND, 'the sweep was deleted')
      // the enqueues themselves surface a lasting problem
      this.#logger.error('scheduler: could not re-check the sweep before enqueueing', {error: errorMessage(err)})
    }
    for (const suggestion of suggestions) {
      const end = await this.#enqueueOne(signal, suggestion)
      if (end) return doneTask(end.reason, end.message)
    }
    return undefined
  }

  /** Enqueues one suggestion, discarding it when the loop goes on without it. */
  async #enqueueOne(signal: AbortSignal, suggestion: RunSuggestion): Promise<End | undefined> {
    const id = suggestion.optimizer_run_id
    if (this.#runs.get(id)) {
      // never reported as a discard: that would retire the run already holding this id
      this.#logger.warn('scheduler: dropping suggestion with a duplicate optimizer run id', {id})
      return undefined
    }
    // retired until the enqueue proves otherwise; the record reserves the id
    const run = trackedRun({optimizerRunId: id})
    this.#runs.track(run)
    let wire: string
    try {
      wire = wrapFlatConfig(suggestion.config_json)
    } catch (err) {
      this.#logger.warn('scheduler: dropping suggestion with an unusable config', {id, error: errorMessage(err)})
      this.#discards.push(id)
      return undefined
    }
    let minted: string
    try {
      minted = await this.#backend.enqueueRun(this.#sweepNodeId, wire, signal)
    } catch (err) {
      this.#logger.error('scheduler: failed to enqueue a suggestion', {id, error: errorMessage(err)})
      // a rate limit costs only this suggestion; anything else ends the scheduler
      const end = this.#endFromError(signal, err)
      if (!end) this.#discards.push(id)
      return end
    }
    this.#logger.info('scheduler: enqueued run', {id, run: minted})
    run.tracking = Tracking.InFlight
    run.name = minted
    run.runState = SweepRunState.PENDING
    this.#enqueued.push({run: runData({wandb_run_id: minted, optimizer_run_id: id, state: SweepRunState.PENDING, config_json: suggestion.config_json}), pruned: false})
    return undefined
  }

  // ---- tasks ----

  async #warmStartStep(signal: AbortSignal): Promise<Task> {
    if (signal.aborted) return doneTask(DoneReason.SHUTDOWN)
    let page
    try {
      page = await this.#poller.warmStartPage(this.#warmCursor, signal)
    } catch (err) {
      const end = this.#endFromError(signal, err)
      if (end) return doneTask(end.reason, end.message)
      // rate limited: keep the cursor and retry this page after a wait
      this.#logger.warn('scheduler: warm-start page rate limited; retrying it', {error: errorMessage(err)})
      this.#poller.lastPollMs = this.#clock.now()
      const done = await this.#sleep(signal)
      return done ?? warmStartTask({finished_runs: [], active_runs: [], has_more: true})
    }
    if (sweepIsDone(page.sweepState)) return doneForSweepState(page.sweepState)
    const task: WarmStartTask = {finished_runs: [], active_runs: [], has_more: page.nextCursor !== null}
    for (const row of page.runs) this.#appendWarmRun(task, row)
    this.#warmCursor = page.nextCursor
    if (page.nextCursor === null) this.#warmDone = true
    return warmStartTask(task)
  }

  /** Files a prior run as finished (a result to learn from) or active (still producing one). */
  #appendWarmRun(task: WarmStartTask, row: PollRun): void {
    let run = this.#runs.byName.get(row.name)
    if (!run) {
      run = trackedRun({name: row.name})
      this.#runs.byName.set(row.name, run)
    }
    let state = this.#stateOrFailed(row.state)
    // a prior run that finished without every objective is a failure, not a sample
    if (state === SweepRunState.FINISHED && this.#metricKeys.length > 0 && !summaryHasAllMetrics(row.summaryJson, this.#metricKeys)) {
      state = SweepRunState.FAILED
    }
    this.#noteFinished(run, state)
    const data = runData({wandb_run_id: row.name, state, config_json: flattenWireConfig(row.configJson)})
    if (!isTerminal(state)) {
      task.active_runs.push(data)
      return
    }
    data.summary_json = row.summaryJson
    data.history_json = row.historyJson
    task.finished_runs.push(data)
  }

  #reportTask(): Task {
    const enqueued = this.#enqueued
    this.#enqueued = []
    return this.#generationTask(enqueued, [], 0)
  }

  async #generationStep(signal: AbortSignal): Promise<Task> {
    const slept = await this.#sleep(signal)
    if (slept) return slept
    // the poll reports the enqueued runs itself
    this.#enqueued = []
    let snapshot: PollSnapshot
    try {
      snapshot = await this.#poller.pollWatched(
        this.#runs.watched().map((r) => r.name),
        signal,
      )
    } catch (err) {
      const end = this.#endFromError(signal, err)
      if (end) return doneTask(end.reason, end.message)
      // rate limited: an empty task, and another try next poll
      return this.#generationTask([], [], 0)
    }
    this.#noteBackendState(snapshot)
    if (sweepIsDone(snapshot.sweepState)) return doneForSweepState(snapshot.sweepState)
    if (snapshot.sweepState === SWEEP_PAUSED) return this.#generationTask([], [], 0)
    if (this.#runCap > 0 && this.#finishedRunCount >= this.#runCap) return this.#finish(signal, 'the run cap was hit')

    const {updates, candidates} = await this.#buildUpdates(signal, snapshot)
    if (this.#exhausted) {
      // every scheduled run has reported: the sweep is done
      if (this.#runs.trackedCount() === 0) return this.#finish(signal, 'the search space is exhausted')
      return this.#generationTask(updates, candidates, 0)
    }
    return this.#generationTask(updates, candidates, this.#batchSize - this.#runs.occupiedSlots())
  }

  /** The poll's rows as updates for the optimizer, and the runs it may prune. */
  async #buildUpdates(signal: AbortSignal, snapshot: PollSnapshot): Promise<{updates: RunUpdate[]; candidates: string[]}> {
    const updates: RunUpdate[] = []
    const candidates: string[] = []
    for (const run of this.#runs.watched()) {
      const wasReportedAs = run.runState
      const row = snapshot.rows.get(run.name)
      if (row && row.state !== '') {
        this.#updateFromPoll(run, row)
      } else if (row) {
        // a row without a state: the backend's and this client's schemas disagree
        run.storageId = row.storageId
        this.#logger.captureError('scheduler', new Error(`scheduler: run "${run.name}" returned no readable state; likely a backend/SDK GQL schema mismatch`), {run: run.name})
      } else {
        if (!(await this.#reapIfGone(signal, run))) continue
        if (run.tracking === Tracking.Dormant) {
          // ended badly and is now deleted: it will never resume
          run.tracking = Tracking.Retired
          continue
        }
      }
      if (run.tracking === Tracking.Dormant) {
        this.#noteResumed(run, wasReportedAs)
        continue
      }
      const terminal = isTerminal(run.runState)
      updates.push({
        run: runData({
          wandb_run_id: run.name,
          optimizer_run_id: run.optimizerRunId,
          state: run.runState,
          config_json: flattenWireConfig(row?.configJson ?? ''),
          summary_json: row?.summaryJson ?? '',
          history_json: row?.historyJson ?? '',
        }),
        pruned: false,
      })
      if (terminal) run.tracking = Tracking.TerminalDelivered
      else if (!run.pruned && (run.runState === SweepRunState.RUNNING || run.runState === SweepRunState.PENDING)) candidates.push(run.optimizerRunId)
    }
    return {updates, candidates}
  }

  #updateFromPoll(run: TrackedRun, row: PollRun): void {
    run.storageId = row.storageId
    let state = this.#stateOrFailed(row.state)
    if (state === SweepRunState.FINISHED && this.#metricKeys.length > 0 && !summaryHasAllMetrics(row.summaryJson, this.#metricKeys)) {
      // reported failed, so a missing objective never looks like a great one
      this.#logger.warn('scheduler: run finished without the sweep metric; reporting it as failed', {run: run.name, metrics: this.#metricKeys})
      state = SweepRunState.FAILED
    }
    run.runState = state
    this.#noteFinished(run, state)
  }

  /** A dormant run moved on from the state it was reported in: warned once, never told again. */
  #noteResumed(run: TrackedRun, wasReportedAs: SweepRunState): void {
    if (run.runState === wasReportedAs || run.warnedResumed) return
    run.warnedResumed = true
    this.#logger.warn('scheduler: run changed state after its result was reported; the optimizer will not receive further updates for it', {
      run: run.name,
      reported: SweepRunState[wasReportedAs],
      now: SweepRunState[run.runState],
    })
  }

  /** Confirms (strongly consistent) that a run missing from the poll is gone; then it is failed. */
  async #reapIfGone(signal: AbortSignal, run: TrackedRun): Promise<boolean> {
    let exists: boolean
    try {
      exists = await this.#backend.confirmRunExists(run.name, signal)
    } catch (err) {
      this.#logger.warn("scheduler: could not confirm a missing run's deletion", {run: run.name, error: errorMessage(err)})
      return false
    }
    if (exists) return false
    this.#logger.warn('scheduler: run was deleted; reporting it as failed', {run: run.name})
    run.runState = SweepRunState.FAILED
    return true
  }

  #noteFinished(run: TrackedRun, state: SweepRunState): void {
    if (run.finishedCounted || state !== SweepRunState.FINISHED) return
    run.finishedCounted = true
    this.#finishedRunCount++
  }

  /** The backend's state, with one this build does not know reported as FAILED (logged once). */
  #stateOrFailed(state: string): SweepRunState {
    const mapped = runStateOf(state)
    if (mapped !== SweepRunState.UNKNOWN) return mapped
    if (!this.#warnedUnrecognized.has(state)) {
      this.#warnedUnrecognized.add(state)
      this.#logger.error('scheduler: unrecognized run state; reporting the run as failed', {state})
    }
    return SweepRunState.FAILED
  }

  /** Logs, once a minute, that nothing the poll sees has changed (a heartbeat for a stuck sweep). */
  #noteBackendState(snapshot: PollSnapshot): void {
    const fingerprint = snapshotFingerprint(snapshot)
    const now = this.#clock.now()
    if (fingerprint !== this.#lastFingerprint) {
      this.#lastFingerprint = fingerprint
      this.#lastChangeMs = now
      this.#lastStagnantLogMs = now
      return
    }
    if (now - this.#lastStagnantLogMs < STAGNANT_LOG_MS) return
    this.#lastStagnantLogMs = now
    this.#logger.info('scheduler: no change in the sweep detected by polling', {since_s: Math.round((now - this.#lastChangeMs) / 1000), runs: snapshot.rows.size})
  }

  #generationTask(updates: RunUpdate[], candidates: string[], askUpTo: number): Task {
    this.#lastPruneCandidates = new Set(candidates)
    const discards = this.#discards
    this.#discards = []
    return generationTask(updates, candidates, askUpTo, discards)
  }

  // ---- waiting and ending ----

  /** What is left of the poll interval (plus slowdown) since the latest poll. */
  #sleepMs(): number {
    return this.#pollIntervalMs + this.#backoff.slowdownMs - (this.#clock.now() - this.#poller.lastPollMs)
  }

  /** Waits out #sleepMs; a Done(SHUTDOWN) task when the signal ends the wait. */
  async #sleep(signal: AbortSignal): Promise<Task | undefined> {
    if (signal.aborted) return doneTask(DoneReason.SHUTDOWN)
    try {
      await this.#clock.sleep(Math.max(0, this.#sleepMs()), signal)
      return undefined
    } catch {
      return doneTask(DoneReason.SHUTDOWN)
    }
  }

  /** Marks the sweep FINISHED and ends with `message`. */
  async #finish(signal: AbortSignal, message: string): Promise<Task> {
    await this.#finishSweep(signal)
    return doneTask(DoneReason.SWEEP_FINISHED, message)
  }

  /** Best effort: a failed upsert only costs the state label. */
  async #finishSweep(signal: AbortSignal): Promise<void> {
    try {
      await this.#backend.upsertSweepState(this.#sweepNodeId, SWEEP_FINISHED, signal)
    } catch (err) {
      this.#logger.warn('scheduler: failed to mark the sweep finished', {error: errorMessage(err)})
    }
  }

  /** Why a failed call ends the loop, or undefined when it goes on (rate limited). */
  #endFromError(signal: AbortSignal, err: unknown): End | undefined {
    if (signal.aborted) return {reason: DoneReason.SHUTDOWN, message: ''}
    const disposition = err instanceof SchedulerApiError ? err.disposition : 'fatal'
    if (disposition === 'not-found') return {reason: DoneReason.SWEEP_NOT_FOUND, message: 'the sweep was deleted'}
    if (disposition === 'rate-limited') {
      // the backoff already widened the next wait
      this.#logger.warn('scheduler: rate limited by the backend', {error: errorMessage(err)})
      return undefined
    }
    this.#logger.error('scheduler: fatal error', {error: errorMessage(err)})
    return {reason: DoneReason.FATAL_ERROR, message: errorMessage(err)}
  }
}

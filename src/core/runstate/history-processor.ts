/**
 * The Handler's history logic: turns `partial_history` requests into derived history, summary and
 * metric state, and answers history_step, get_summary and sampled_history.
 *
 * Steps (non-shared runs). The step counter is seeded lazily: at the first partial_history it
 * becomes run_start's starting_step (0 without run_start); before that, history_step is 0.
 * - `step` greater than the current step: the accumulated row is flushed at the current step, then
 *   the current step becomes `step`;
 * - `step` smaller: the WHOLE request is dropped with a user warning;
 * - then the items are accumulated; the row is flushed (and the step advanced by one) when the
 *   request's `action.flush` is true, or, without an `action`, when it has no `step`.
 * Shared runs ignore `step`, never write `_step`, and flush when `action` is absent or says flush.
 *
 * A flush of a non-empty row: `_runtime` (float seconds) and `_step` (int, non-shared) are set;
 * step metrics are tracked and glob metrics expanded (the new definitions take effect at once);
 * step-synced metrics get their step metric inserted; the row is sampled; unless the server derives
 * summaries, a runtime summary record and a summary record of the row's changed values are
 * emitted; then the history record.
 */
import {build, Record, SummaryItem, SummaryRecord, type MetricRecord, type PartialHistoryRequest, type SampledHistoryItem} from '../proto.ts'
import {MetricRecordError, type RunStateError} from './errors.ts'
import {RunHistorySampler} from './history-sampler.ts'
import {fromInt64} from './history-value.ts'
import {MetricHandler} from './metric-handler.ts'
import type {RandomSource} from './reservoir-sampler.ts'
import {RunHistory} from './run-history.ts'
import {RunSummary} from './run-summary.ts'

/** Options of a HistoryProcessor. */
export interface HistoryProcessorOptions {
  /** Shared mode (`_shared` setting): steps come from the server; no `_step`. */
  shared?: boolean
  /** `x_server_side_derived_summary`: no runtime or derived summary records, the summary is not fed. */
  serverSideDerivedSummary?: boolean
  /**
   * Also forward the metric records created by glob expansion (marked expanded_from_glob), first
   * in each flush's output, as Go core up to 0.28 did. wandb-core 0.31.0 applies them without
   * forwarding them (its .wandb files hold none), which is the default.
   */
  forwardExpandedMetrics?: boolean
  /** Random source of the sampled_history reservoirs (default Math.random). */
  random?: RandomSource
}

/** What handling one request produced. */
export interface HistoryOutput {
  /** Derived records to forward, in order (record_type only; the caller numbers and routes them). */
  records: Record[]
  /** Messages for the user (printed by the SDK), e.g. the "Tried to log to step …" warning. */
  warnings: string[]
  /** Problems to log; the data they concern was skipped, the rest was processed. */
  errors: RunStateError[]
}

/** The Handler's history, metric and summary state for one run (see the module comment). */
export class HistoryProcessor {
  /** See HistoryProcessorOptions.shared. */
  readonly shared: boolean
  /** See HistoryProcessorOptions.serverSideDerivedSummary. */
  readonly serverSideDerivedSummary: boolean
  /** See HistoryProcessorOptions.forwardExpandedMetrics. */
  readonly forwardExpandedMetrics: boolean
  /** The metric definitions of the run. */
  readonly metrics = new MetricHandler()
  /** The Handler's summary: up to date with every request handled so far. */
  readonly summary = new RunSummary()
  readonly #runtimeSeconds: () => number
  readonly #sampler: RunHistorySampler
  #row: RunHistory | undefined
  #step = 0n
  #startingStep = 0n

  /** `runtimeSeconds` is the run timer: seconds of run time so far (resume offset included, pauses excluded). */
  constructor(runtimeSeconds: () => number, options: HistoryProcessorOptions = {}) {
    this.#runtimeSeconds = runtimeSeconds
    this.shared = options.shared ?? false
    this.serverSideDerivedSummary = options.serverSideDerivedSummary ?? false
    this.forwardExpandedMetrics = options.forwardExpandedMetrics ?? false
    this.#sampler = new RunHistorySampler(options.random)
  }

  /** Records run_start's `run.starting_step`; it seeds the step counter at the first partial_history. */
  onRunStart(startingStep: bigint): void {
    this.#startingStep = startingStep
  }

  /** The current step (history_step's answer; Go refuses that request in shared mode). */
  historyStep(): bigint {
    return this.#step
  }

  /** Handles one partial_history request (rules in the module comment). */
  handlePartialHistory(request: PartialHistoryRequest): HistoryOutput {
    const out: HistoryOutput = {records: [], warnings: [], errors: []}
    if (!this.#row) {
      this.#row = new RunHistory()
      if (!this.shared) this.#step = this.#startingStep
    }
    if (!this.shared && request.step) {
      const step = request.step.num
      if (step > this.#step) {
        this.#flush(out, true, step)
      } else if (step < this.#step) {
        out.warnings.push(
          `Tried to log to step ${step} that is less than the current step ${this.#step}.` +
            ' Steps must be monotonically increasing, so this data will be ignored.' +
            ' See https://wandb.me/define-metric to log data out of order.',
        )
        return out
      }
    }
    for (const item of request.item) {
      const err = this.#row.setFromItem(item)
      if (err) out.errors.push(err)
    }
    const flush = request.action ? request.action.flush : this.shared || !request.step
    if (flush) this.#flush(out, !this.shared, this.#step + 1n)
    return out
  }

  /** A client metric record: merges the definition and configures its summary. Returns the error, if any. */
  handleMetricRecord(record: MetricRecord): MetricRecordError | undefined {
    try {
      this.metrics.processRecord(record)
    } catch (err) {
      if (err instanceof MetricRecordError) return err
      throw err
    }
    if (record.name !== '') this.metrics.updateSummary(record.name, this.summary)
    return undefined
  }

  /** A summary record (explicit `run.summary` changes, replayed records): applied to the Handler summary. */
  handleSummaryRecord(record: SummaryRecord): RunStateError[] {
    return this.summary.applyRecord(record)
  }

  /** The exit flow's records: the runtime summary (unless server-derived), then the final flush. */
  finish(): HistoryOutput {
    const out: HistoryOutput = {records: [], warnings: [], errors: []}
    if (!this.serverSideDerivedSummary) out.records.push(this.#runtimeSummary())
    this.#flush(out, !this.shared, this.#step + 1n)
    return out
  }

  /** get_summary's items. */
  getSummaryItems(): SummaryItem[] {
    return this.summary.toSummaryItems()
  }

  /** sampled_history's items. */
  sampledHistory(): SampledHistoryItem[] {
    return this.#sampler.items()
  }

  #flush(out: HistoryOutput, useStep: boolean, nextStep: bigint): void {
    const row = this.#row
    if (!row || row.isEmpty()) {
      if (useStep) this.#step = nextStep
      return
    }
    row.setNumber(['_runtime'], this.#runtimeSeconds())
    if (!this.shared && useStep) row.setNumber(['_step'], fromInt64(this.#step))

    for (const metric of this.metrics.updateMetrics(row)) {
      const err = this.handleMetricRecord(metric)
      if (err) out.errors.push(err)
      if (this.forwardExpandedMetrics) out.records.push(Record.create({record_type: {oneofKind: 'metric', metric}}))
    }
    this.metrics.insertStepMetrics(row)
    this.#sampler.sampleNext(row)

    if (!this.serverSideDerivedSummary) {
      out.records.push(this.#runtimeSummary())
      const items = this.summary.toUpdateItems(this.summary.updateFromHistory(row))
      if (items.length > 0) out.records.push(summaryRecord(items))
    }

    const history = row.toRecord(useStep ? this.#step : undefined)
    this.#row = new RunHistory()
    if (useStep) this.#step = nextStep
    out.records.push(build(Record, {record_type: {oneofKind: 'history', history}}))
  }

  /** `_wandb.runtime` and `_runtime` as whole seconds; also applied to the Handler summary. */
  #runtimeSummary(): Record {
    const seconds = String(Math.trunc(this.#runtimeSeconds()))
    const record = build(SummaryRecord, {
      update: [build(SummaryItem, {nested_key: ['_wandb', 'runtime'], value_json: seconds}), build(SummaryItem, {key: '_runtime', value_json: seconds})],
    })
    this.summary.applyRecord(record)
    return build(Record, {record_type: {oneofKind: 'summary', summary: record}})
  }
}

function summaryRecord(items: SummaryItem[]): Record {
  return build(Record, {record_type: {oneofKind: 'summary', summary: build(SummaryRecord, {update: items})}})
}

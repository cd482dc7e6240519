/**
 * Metric definitions (`define_metric`) and what they do to history and summary:
 * - definitions by name and by glob (`glob_name`, only a trailing `*`), merged per target;
 * - glob expansion: a history key that is not defined, does not start with "_" and starts with a
 *   glob's text before the `*` gets that glob's definition (the first matching glob in definition
 *   order; Go picks an unspecified one);
 * - step sync: the latest value of every step metric, inserted into rows that log a step-synced
 *   metric without its step metric;
 * - summary configuration and the `_wandb.m` config encoding.
 */
import {MetricRecord} from '../proto.ts'
import {MetricRecordError} from './errors.ts'
import {EMPTY_METRIC, mergeMetric, metricToRecord, type DefinedMetric} from './metric-definition.ts'
import {leafMetricName, splitEscapedDottedName, stepMetricPath} from './metric-name.ts'
import {encodeMetricsForConfig} from './metrics-config.ts'
import type {RunHistory} from './run-history.ts'
import type {RunSummary} from './run-summary.ts'

/** The metric definitions of a run and their effects (see the module comment). */
export class MetricHandler {
  #defined = new Map<string, DefinedMetric>()
  #globs = new Map<string, DefinedMetric>()
  #latestStep = new Map<string, number>()

  /**
   * Merges a metric record into the definitions (replacing instead with `_control.overwrite`).
   * A record with only `step_metric` just registers that step metric. Throws MetricRecordError for
   * a record with no name, glob_name or step_metric.
   */
  processRecord(record: MetricRecord): void {
    if (record.step_metric !== '' && !this.#latestStep.has(record.step_metric)) {
      this.#latestStep.set(record.step_metric, 0)
    }
    let table: Map<string, DefinedMetric>
    let key: string
    if (record.name !== '') [table, key] = [this.#defined, record.name]
    else if (record.glob_name !== '') [table, key] = [this.#globs, record.glob_name]
    else if (record.step_metric !== '') return
    else throw new MetricRecordError('runstate: metric record needs a name, glob_name or step_metric')

    const previous = record._control?.overwrite ? EMPTY_METRIC : (table.get(key) ?? EMPTY_METRIC)
    table.set(key, mergeMetric(previous, record))
  }

  /** True when a metric is defined by this exact name (globs do not count until expanded). */
  exists(name: string): boolean {
    return this.#defined.has(name)
  }

  /** The merged definition of a named metric, if any. */
  definition(name: string): DefinedMetric | undefined {
    return this.#defined.get(name)
  }

  /** The latest value seen for a step metric (0 until it is logged), if it is one. */
  latestStepValue(name: string): number | undefined {
    return this.#latestStep.get(name)
  }

  /**
   * Configures the summary of the named metric per its definition: the path is the name split on
   * unescaped dots. Does nothing for an undefined metric.
   */
  updateSummary(name: string, summary: RunSummary): void {
    const metric = this.#defined.get(name)
    if (!metric || name === '') return
    const path = splitEscapedDottedName(name)
    if (path.length === 0) return
    summary.configureMetric(path, metric.noSummary, metric.summaryFlags)
  }

  /**
   * Before a row is flushed: records the latest value of every step metric present in it, and
   * defines every key that matches a glob. Returns the new definitions as complete MetricRecords
   * marked expanded_from_glob (the Handler processes them like client records).
   */
  updateMetrics(history: RunHistory): MetricRecord[] {
    for (const name of this.#latestStep.keys()) {
      if (name === '') continue
      const value = history.getNumber(stepMetricPath(name))
      if (value !== undefined) this.#latestStep.set(name, value)
    }
    return this.#expandGlobs(history)
  }

  /**
   * For every leaf of the row whose metric has a step metric and step_sync, inserts the step
   * metric's latest value (a number) when the row does not log it. Only the row's own leaves are
   * considered, not the inserted ones (Go's map walk may or may not visit them).
   */
  insertStepMetrics(history: RunHistory): void {
    for (const [path] of [...history.leaves()]) {
      const metric = this.#defined.get(leafMetricName(path))
      if (!metric || metric.stepMetric === '' || !metric.stepSync) continue
      const stepPath = stepMetricPath(metric.stepMetric)
      if (history.contains(stepPath)) continue
      const latest = this.#latestStep.get(metric.stepMetric)
      if (latest !== undefined) history.setNumber(stepPath, latest)
    }
  }

  /**
   * The `_wandb.m` config value: named metrics then globs, in definition order, each with its step
   * metric's 1-based index (see metrics-config.ts).
   */
  toRunConfigData(): Record<string, unknown>[] {
    return encodeMetricsForConfig(this.#defined, this.#globs)
  }

  #expandGlobs(history: RunHistory): MetricRecord[] {
    const created: MetricRecord[] = []
    if (this.#globs.size === 0) return created
    for (const [path] of history.leaves()) {
      const key = leafMetricName(path)
      if (key.startsWith('_') || this.#defined.has(key)) continue
      const metric = this.#matchGlob(key)
      if (!metric) continue
      this.#defined.set(key, metric)
      const record = metricToRecord(key, metric, false)
      record.expanded_from_glob = true
      created.push(record)
    }
    return created
  }

  #matchGlob(key: string): DefinedMetric | undefined {
    for (const [glob, metric] of this.#globs) {
      const prefix = glob.endsWith('*') ? glob.slice(0, -1) : glob
      if (key.startsWith(prefix)) return metric
    }
    return undefined
  }
}

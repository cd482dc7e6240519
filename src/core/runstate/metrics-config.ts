/**
 * The `_wandb.m` run-config value: a list with one entry per metric definition, each the
 * field-number dict of its MetricRecord (protoEncodeToDict): "1" name or "2" glob_name, "5" the
 * 1-based index of its step metric's entry in this same list (the step metric gets an entry of its
 * own, placed after the metric that first needs it), "6" the true MetricOptions fields, "7" the true
 * MetricSummary fields, "8" the goal when set.
 *
 * Go walks its maps in random order; we use definition order, named metrics before globs.
 */
import {MetricRecord} from '../proto.ts'
import {EMPTY_METRIC, metricToRecord, type DefinedMetric} from './metric-definition.ts'
import {protoEncodeToDict} from './proto-dict.ts'

/** Encodes the definitions for `_wandb.m` (see the module comment). */
export function encodeMetricsForConfig(defined: ReadonlyMap<string, DefinedMetric>, globs: ReadonlyMap<string, DefinedMetric>): Record<string, unknown>[] {
  const encoded: Record<string, unknown>[] = []
  const indexByName = new Map<string, number>()

  const encode = (name: string, metric: DefinedMetric, isGlob: boolean): void => {
    if (indexByName.has(name)) return
    const index = encoded.length
    indexByName.set(name, index)
    encoded.push({})
    const record = metricToRecord(name, metric, isGlob)
    if (metric.stepMetric !== '') {
      encode(metric.stepMetric, defined.get(metric.stepMetric) ?? EMPTY_METRIC, false)
      record.step_metric = ''
      record.step_metric_index = indexByName.get(metric.stepMetric)! + 1
    }
    encoded[index] = protoEncodeToDict(MetricRecord, record)
  }

  for (const [name, metric] of defined) encode(name, metric, false)
  for (const [name, metric] of globs) encode(name, metric, true)
  return encoded
}

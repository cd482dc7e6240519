/**
 * The merged state of one `define_metric` target, and its conversion back to a MetricRecord.
 *
 * Merging a record into a definition (unless the record says `_control.overwrite`, which starts
 * from an empty definition): step_sync and hidden are OR-ed (they cannot be turned off), a
 * non-empty step_metric replaces the old one, a present `summary` sets "none" and OR-s
 * min/max/mean/last/first into the tracked set (best and copy are ignored), a goal is stored, and
 * a record with a name marks the definition explicit.
 */
import {MetricControl, MetricOptions, MetricRecord, MetricRecord_MetricGoal, MetricSummary as MetricSummaryProto} from '../proto.ts'
import {SummaryFlag, type SummaryFlags} from './metric-summary.ts'

/** A metric definition after merging every record for it (see the module comment). */
export interface DefinedMetric {
  /** Insert the latest step-metric value into rows that log this metric without it. */
  readonly stepSync: boolean
  /** Name of the step (x-axis) metric, or "". */
  readonly stepMetric: string
  /** Hidden from automatic charts. */
  readonly hidden: boolean
  /** Defined by name (client `define_metric` or a glob expansion), not only as a glob. */
  readonly explicit: boolean
  /** summary="none". */
  readonly noSummary: boolean
  /** The aggregates its summary shows (SummaryFlag bits; 0: the latest value). */
  readonly summaryFlags: SummaryFlags
  /** Minimize / maximize (only written to `_wandb.m`). */
  readonly goal: MetricRecord_MetricGoal
}

/** The definition of a metric nobody defined. */
export const EMPTY_METRIC: DefinedMetric = {
  stepSync: false,
  stepMetric: '',
  hidden: false,
  explicit: false,
  noSummary: false,
  summaryFlags: 0,
  goal: MetricRecord_MetricGoal.GOAL_UNSET,
}

/** `previous` with `record` merged in (the merge rules are in the module comment). */
export function mergeMetric(previous: DefinedMetric, record: MetricRecord): DefinedMetric {
  let {noSummary, summaryFlags, goal} = previous
  const summary = record.summary
  if (summary) {
    noSummary = summary.none
    if (summary.min) summaryFlags |= SummaryFlag.Min
    if (summary.max) summaryFlags |= SummaryFlag.Max
    if (summary.mean) summaryFlags |= SummaryFlag.Mean
    if (summary.last) summaryFlags |= SummaryFlag.Last
    if (summary.first) summaryFlags |= SummaryFlag.First
  }
  if (record.goal === MetricRecord_MetricGoal.GOAL_MINIMIZE || record.goal === MetricRecord_MetricGoal.GOAL_MAXIMIZE) {
    goal = record.goal
  }
  return {
    stepSync: previous.stepSync || record.options?.step_sync === true,
    hidden: previous.hidden || record.options?.hidden === true,
    stepMetric: record.step_metric !== '' ? record.step_metric : previous.stepMetric,
    explicit: previous.explicit || record.name !== '',
    noSummary,
    summaryFlags,
    goal,
  }
}

/** The complete MetricRecord of a definition (`_control.overwrite` set): `name`, or `glob_name` for a glob. */
export function metricToRecord(name: string, metric: DefinedMetric, isGlob: boolean): MetricRecord {
  const flags = metric.summaryFlags
  return MetricRecord.create({
    name: isGlob ? '' : name,
    glob_name: isGlob ? name : '',
    step_metric: metric.stepMetric,
    options: MetricOptions.create({step_sync: metric.stepSync, hidden: metric.hidden, defined: metric.explicit}),
    summary: MetricSummaryProto.create({
      none: metric.noSummary,
      min: (flags & SummaryFlag.Min) !== 0,
      max: (flags & SummaryFlag.Max) !== 0,
      mean: (flags & SummaryFlag.Mean) !== 0,
      last: (flags & SummaryFlag.Last) !== 0,
      first: (flags & SummaryFlag.First) !== 0,
    }),
    goal: metric.goal,
    _control: MetricControl.create({overwrite: true}),
  })
}

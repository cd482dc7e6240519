/**
 * Errors of the run-state models. None of them is fatal to a run: the caller logs them and goes on
 * with the rest of the data, as Go core does (a bad history item drops only that item).
 */
import {WandbError} from '../errors.ts'

/** Base class of every error raised or returned by `src/core/runstate`. */
export class RunStateError extends WandbError {
  override name = 'RunStateError'
}

/** A history item that cannot be used: no key, or a value that is not (extended) JSON. */
export class HistoryItemError extends RunStateError {
  override name = 'HistoryItemError'
}

/** A summary or config value that is not (extended) JSON. */
export class ValueJsonError extends RunStateError {
  override name = 'ValueJsonError'
}

/** A metric definition that names nothing (no name, glob_name or step_metric). */
export class MetricRecordError extends RunStateError {
  override name = 'MetricRecordError'
}

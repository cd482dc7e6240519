/**
 * Errors of the sweep scheduler. `message` is what Go core's scheduler reports (the SDK prints
 * it after "failed to initialize:" or inside a Done task), so it is worded as Go words it.
 */
import {WandbError} from '../../errors.ts'

/** What the loop does about a failed backend call (Go's Disposition). */
export type Disposition = 'rate-limited' | 'fatal' | 'not-found'

/** A failed call to the W&B backend, classified. */
export class SchedulerApiError extends WandbError {
  override name = 'SchedulerApiError'
  constructor(
    readonly disposition: Disposition,
    message: string,
    options?: {cause?: unknown},
  ) {
    super(message, options)
  }
}

/** The sweep (or its project) does not exist. */
export class SchedulerSweepNotFoundError extends SchedulerApiError {
  override name = 'SchedulerSweepNotFoundError'
  constructor() {
    super('not-found', 'scheduler: sweep not found')
  }
}

/** The server lacks the SWEEPS_LOCAL_SCHEDULER feature (enqueueSweepRun). */
export class UnsupportedServerError extends WandbError {
  override name = 'UnsupportedServerError'
  constructor() {
    super('scheduler: this W&B server does not support the local sweep scheduler')
  }
}

/** The sweep config cannot drive a scheduler (no objective metric, unreadable YAML …). */
export class SchedulerConfigError extends WandbError {
  override name = 'SchedulerConfigError'
}

/** A second scheduler for a sweep that already has a live one in this service. */
export class AlreadyScheduledError extends WandbError {
  override name = 'AlreadyScheduledError'
  constructor() {
    super('scheduler: this sweep already has a running scheduler in this wandb-core process; stop it before starting another')
  }
}

/** The init request is unusable (no settings, a bad base URL, unreadable credentials). */
export class SchedulerInitError extends WandbError {
  override name = 'SchedulerInitError'
}

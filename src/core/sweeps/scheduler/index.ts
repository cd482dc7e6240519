/**
 * The sweep scheduler of the service (Go core's internal/sweeps/scheduler): the client's
 * `wandb sweep-scheduler` optimizes; this side drives the sweep on the W&B backend.
 */
export {SessionBroker} from './session-broker.ts'
export type {ResolverFactory} from './session-broker.ts'
export {SessionStateMachine} from './session-state-machine.ts'
export type {TaskResolver} from './session-state-machine.ts'
export {Scheduler, DEFAULT_POLL_INTERVAL_MS, MIN_POLL_INTERVAL_MS} from './scheduler.ts'
export type {SchedulerOptions} from './scheduler.ts'
export {SchedulerApi, historySpecs, httpErrorText, retriesExhaustedText} from './scheduler-api.ts'
export type {PollPage, PollRun, SchedulerBackend, SweepFacts} from './scheduler-api.ts'
export {backendFor, openScheduler} from './open-scheduler.ts'
export type {OpenSchedulerOptions} from './open-scheduler.ts'
export {
  AlreadyScheduledError,
  SchedulerApiError,
  SchedulerConfigError,
  SchedulerInitError,
  SchedulerSweepNotFoundError,
  UnsupportedServerError,
} from './errors.ts'
export type {Disposition} from './errors.ts'

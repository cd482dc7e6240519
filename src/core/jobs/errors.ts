/**
 * Errors of the job builder. Messages are for developers ("jobs: …"); a job that cannot be built
 * never fails the run: the sender logs the error and finishes without a job, as wandb-core does.
 */
import {WandbError} from '../errors.ts'

/** The run's files do not describe a job the builder can make (bad metadata, a missing path). */
export class JobBuildError extends WandbError {
  override name = 'JobBuildError'
}

/** A job input (config file, schema) that cannot be read or parsed. */
export class JobInputError extends WandbError {
  override name = 'JobInputError'
}

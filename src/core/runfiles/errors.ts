import {WandbError} from '../errors.ts'

/** CreateRunFiles answered but broke the protocol (no result, a wrong number of files, a missing name or URL). */
export class CreateRunFilesError extends WandbError {
  override name = 'CreateRunFilesError'
}

/** Files were to be uploaded before the run's entity, project and id were known (no upsert yet). */
export class RunNotReadyError extends WandbError {
  override name = 'RunNotReadyError'
}

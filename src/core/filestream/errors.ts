import {WandbError} from '../errors.ts'

/**
 * The stream gave up: retries ran out, the server refused a request, or the run's uploads were
 * cancelled. `cause` holds the HTTP-level error. Nothing is sent after it.
 */
export class FileStreamFatalError extends WandbError {
  override name = 'FileStreamFatalError'
}

/** The stream was finished without ever being started, so none of its data was sent. */
export class FileStreamNotStartedError extends WandbError {
  override name = 'FileStreamNotStartedError'
}

/** What users are shown once when the stream dies (Go core's wording). */
export const FATAL_ERROR_TEXT = 'Fatal error while uploading data. Some run data will not be synced, but it will still be written to disk. Use `wandb sync` at the end of the run to try uploading.'

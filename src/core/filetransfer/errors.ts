import {WandbError} from '../errors.ts'

/** A transfer was requested after FileTransferManager.close() (or after its signal aborted). */
export class FileTransferClosedError extends WandbError {
  override name = 'FileTransferClosedError'
}

/** A local file could not be uploaded or a download could not be stored (missing, a directory, bad range, disk). */
export class LocalFileError extends WandbError {
  override name = 'LocalFileError'
  readonly path: string
  constructor(message: string, path: string, options?: {cause?: unknown}) {
    super(message, options)
    this.path = path
  }
}

import {WandbError} from '../errors.ts'

/**
 * A console log file (output.log or a multipart chunk) could not be created, read back or written.
 * The writer that hit it stops touching the file for the rest of the run; captured lines still go
 * to file_stream.
 */
export class ConsoleFileError extends WandbError {
  override name = 'ConsoleFileError'
}

/** An OutputRawRecord whose output_type is neither STDOUT nor STDERR; the record is dropped. */
export class InvalidOutputTypeError extends WandbError {
  override name = 'InvalidOutputTypeError'
  readonly outputType: number
  constructor(outputType: number) {
    super(`console: invalid OutputRawRecord output_type ${outputType}`)
    this.outputType = outputType
  }
}

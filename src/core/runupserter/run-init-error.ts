import {WandbError} from '../errors.ts'
import {ErrorInfo_ErrorCode} from '../proto.ts'

export {ErrorInfo_ErrorCode as ErrorCode}

/**
 * Why a run could not be initialised, as the SDK shows it (RunUpdateResult.error): a code and a
 * user-facing message. `errorInfo` is what the run unit puts in run_result.
 */
export class RunInitError extends WandbError {
  override name = 'RunInitError'
  readonly errorInfo: {message: string; code: ErrorInfo_ErrorCode}
  constructor(code: ErrorInfo_ErrorCode, userMessage: string, options?: {cause?: unknown}) {
    super(`runupserter: ${userMessage}`, options)
    this.errorInfo = {message: userMessage, code}
  }
}

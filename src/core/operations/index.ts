/** Progress reporting of long operations (the SDK's "uploading…" display), as Go core's wboperation. */
export {shortBytes} from './byte-text.ts'
export {currentOperation, withOperation} from './operation-context.ts'
export type {RetryReporter} from './operation-context.ts'
export {Operation, Operations} from './operations.ts'
export {errorFromWbResponse, errorRetryStatus, httpRetryStatus} from './retry-status.ts'

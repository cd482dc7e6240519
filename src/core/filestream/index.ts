/** The file_stream client: history, system metrics, summary and console lines streamed to the server. */
export {FATAL_ERROR_TEXT, FileStreamFatalError, FileStreamNotStartedError} from './errors.ts'
export {EVENTS_FILE, HISTORY_FILE, OUTPUT_FILE, SUMMARY_FILE} from './file-stream.ts'
export type {ConsoleRun, FileStream, FileStreamOffsets, FileStreamRequestBody, FileStreamTarget, FileStreamUpdate} from './file-stream.ts'
export {HttpFileStream} from './http-file-stream.ts'
export {
  DEFAULT_HEARTBEAT_PERIOD_MS,
  DEFAULT_MAX_LINE_BYTES,
  DEFAULT_MAX_REQUEST_BYTES,
  DEFAULT_TRANSMIT_INTERVAL_MS,
  resolveTuning,
} from './options.ts'
export type {FileStreamOptions, FileStreamSettings, Printer, ResolvedTuning} from './options.ts'
export {ResponseRateLimiter} from './rate-limiter.ts'
export type {RateLimitParams} from './rate-limiter.ts'
export {eventsLineFromStats} from './stats-line.ts'
export {uploadDescription} from './upload-description.ts'

/** Developer logs (JSON lines like Go's slog) and user-facing messages, kept apart. */
export {FileLogSink, JsonLogger, LogLevel, nullLogger} from './logger.ts'
export type {Attrs, Logger} from './logger.ts'
export {Printer} from './printer.ts'

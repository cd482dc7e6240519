/** One run's pipeline: handler → writer (.wandb) → flow control → sender. */
export {createStream} from './create-stream.ts'
export type {StreamDeps} from './create-stream.ts'
export type {HandlerContext, SenderContext, UploadStats} from './contexts.ts'
export type {ConsolePort, Delivery, HistoryPort, MonitorPort, RunFilesPort, RunPort, SenderSummaryPort} from './ports.ts'
export {RunTimer} from './run-timer.ts'
export {Stream, runUrl} from './stream.ts'
export type {Work} from './work.ts'

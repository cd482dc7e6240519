/**
 * Console capture for the Sender: terminal emulation of captured stdout/stderr, the run's
 * output.log (single file or multipart chunks) and its console lines in file_stream, as Go
 * wandb-core's runconsolelogs and terminalemulator packages do.
 */
export {ConsoleLogs, EDITABLE_LINES} from './console-logs.ts'
export type {ConsoleLogsOptions} from './console-logs.ts'
export {ConsoleLine, MAX_LINE_LENGTH, STDERR_PREFIX, STDOUT_PREFIX} from './console-line.ts'
export type {LineIdentity} from './console-line.ts'
export {ConsoleFileError, InvalidOutputTypeError} from './errors.ts'
export {CHUNKS_DIR, CONSOLE_FILE_NAME, chunkPath, consoleFileName, sanitizeFileName} from './file-names.ts'
export {FILE_STREAM_PERIOD_MS, FileStreamWriter} from './file-stream-writer.ts'
export type {ConsoleSink, ConsoleUpdate, FileStreamWriterOptions} from './file-stream-writer.ts'
export {LineDebouncer} from './line-debouncer.ts'
export type {FlushBatch, LineDebouncerOptions} from './line-debouncer.ts'
export {LineFile} from './line-file.ts'
export {formatLineTimestamp, legacyFormat, structuredFormat} from './line-format.ts'
export {ConsoleLineModel} from './line-model.ts'
export type {LineChangeListener, LineModelOptions} from './line-model.ts'
export {OUTPUT_FILE_PERIOD_MS, OutputFileWriter} from './output-file-writer.ts'
export type {OutputFileWriterOptions} from './output-file-writer.ts'
export {Terminal} from './terminal.ts'
export type {LineSupplier, TerminalLine} from './terminal.ts'

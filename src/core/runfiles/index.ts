/** Uploads of the files in a run's files directory: CreateRunFiles batches, signed-URL PUTs, live files. */
export {CREATE_RUN_FILES_DOCUMENT, createRunFiles} from './create-run-files.ts'
export type {CreateRunFilesResult} from './create-run-files.ts'
export {CreateRunFilesError, RunNotReadyError} from './errors.ts'
export {IgnoreGlobs, globToRegExp} from './ignore-globs.ts'
export {DEFAULT_BATCH_DELAY_MS, DEFAULT_LIVE_POLL_MS, RunFilesUploader} from './run-files-uploader.ts'
export type {RunFilesSummary, RunFilesUploaderOptions, SkipReason} from './run-files-uploader.ts'
export {fileB64Md5} from './saved-file.ts'

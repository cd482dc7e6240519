/** The run on the W&B server: init (resume/fork/rewind + UpsertBucket), debounced updates. */
export {RunInitError} from './run-init-error.ts'
export {RunParams} from './run-params.ts'
export type {FileStreamOffsets} from './run-params.ts'
export {RunUpserter} from './run-upserter.ts'
export type {RunUpserterOptions} from './run-upserter.ts'
export {ServerFeatures} from './server-features.ts'
export {getOrInitStartingStep} from './sync-state.ts'

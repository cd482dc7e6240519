/** The run on the W&B server: init (resume/fork/rewind + UpsertBucket), debounced updates. */
export {
  COREWEAVE_METADATA_BASE_URL,
  COREWEAVE_METADATA_ENDPOINT,
  CoreWeaveProbe,
  ORGANIZATION_COREWEAVE_ORGANIZATION_ID,
  metadataUrl,
  parseCoreWeaveMetadata,
} from './coreweave-probe.ts'
export type {CoreWeaveProbeOptions} from './coreweave-probe.ts'
export {coreWeaveLookup, registerCoreWeaveLookup} from './coreweave-lookups.ts'
export {RunInitError} from './run-init-error.ts'
export {RunParams} from './run-params.ts'
export type {FileStreamOffsets} from './run-params.ts'
export {RunUpserter} from './run-upserter.ts'
export type {RunUpserterOptions} from './run-upserter.ts'
export {ServerFeatures} from './server-features.ts'
export {getOrInitStartingStep} from './sync-state.ts'

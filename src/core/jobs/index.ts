/**
 * Launch jobs: the `job` artifact a finished run leaves (wandb-job.json, requirements.frozen.txt,
 * diff.patch) from its git repository, code artifact or docker image, and the job inputs declared
 * with `wandb.sdk.launch.manage_config_file` / `manage_wandb_config`.
 */
export {filterTree, readConfigFile} from './config-filter.ts'
export type {ConfigPath, ConfigTree} from './config-filter.ts'
export {JobBuildError, JobInputError} from './errors.ts'
export {buildJobArtifact, DIFF_FILE, FROZEN_REQUIREMENTS_FILE, JOB_FILE, randomAlphanumeric, REQUIREMENTS_FILE} from './job-artifact.ts'
export type {JobArtifact, JobArtifactSpec} from './job-artifact.ts'
export {JobBuilder} from './job-builder.ts'
export type {JobBuilderOptions, JobPlan, RunState} from './job-builder.ts'
export {JobInputs, MANAGED_CONFIGS_DIR, WANDB_CONFIG_KEY} from './job-inputs.ts'
export {asGoMaps, jobJson} from './job-json.ts'
export {jobSettingsOf} from './job-settings.ts'
export type {JobSettings} from './job-settings.ts'
export {artifactSafeName, detectSourceType, entrypoint, namedSource, pathFromRoot, programRelpath} from './job-source.ts'
export type {CodeArtifact, JobSource, NamedSource, SourceContext, SourceType} from './job-source.ts'
export {METADATA_FILE, parseRunMetadata, readRunMetadata} from './run-metadata.ts'
export type {GitInfo, RunMetadata} from './run-metadata.ts'
export {RunJob} from './run-job.ts'
export type {JobOutcome, RunJobOptions} from './run-job.ts'
export {resolveTypes} from './type-representation.ts'
export type {TypeName, TypeRepresentation} from './type-representation.ts'

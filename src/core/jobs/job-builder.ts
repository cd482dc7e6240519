/**
 * Decides whether a finished run makes a Launch job and builds it (wandb-core launch.JobBuilder).
 * No job when: job creation is disabled (disable_job_creation, x_disable_machine_info, or the run
 * itself used a complete job), files/requirements.txt is missing, the metadata has no Python
 * version, the run has no git remote+commit, code artifact or docker image, or the program path is
 * unknown. A run that used a partial job (from `wandb job create`) instead completes that job's
 * metadata.
 */
import {existsSync} from 'node:fs'
import {join} from 'node:path'
import type {Logger} from '../observability/index.ts'
import type {JobInputRequest} from '../proto.ts'
import type {ConfigTree} from './config-filter.ts'
import {buildJobArtifact, REQUIREMENTS_FILE, type JobArtifact} from './job-artifact.ts'
import {JobInputs} from './job-inputs.ts'
import {jobJson} from './job-json.ts'
import type {JobSettings} from './job-settings.ts'
import {detectSourceType, namedSource, programRelpath, type CodeArtifact, type SourceContext} from './job-source.ts'
import {readRunMetadata} from './run-metadata.ts'
import {resolveTypes, type TypeRepresentation} from './type-representation.ts'

/** The run state a build reads at the end of the run. */
export interface RunState {
  config: ConfigTree
  summary: ConfigTree | undefined
  entity: string
  project: string
  runId: string
}

/** What the end of the run does about a job. */
export type JobPlan =
  | {kind: 'none'; reason: string}
  | {kind: 'artifact'; artifact: JobArtifact}
  /** Set the metadata of the partial job the run used (UpdateArtifact). */
  | {kind: 'partial'; artifactId: string; metadata: string}

export interface JobBuilderOptions {
  settings: JobSettings
  logger: Logger
  /** The service's working directory (notebook checks); default process.cwd(). */
  cwd?: string
}

const BASE_JOB_VERSION = 'v0'

/** One run's job builder. The sender feeds it in record order; build() runs once, at the end. */
export class JobBuilder {
  readonly #o: JobBuilderOptions
  readonly #inputs: JobInputs
  #disabled: boolean
  #partialJobId: string | undefined
  #codeArtifact: CodeArtifact | undefined

  constructor(o: JobBuilderOptions) {
    this.#o = o
    this.#inputs = new JobInputs(o.logger)
    this.#disabled = o.settings.disabled
  }

  get disabled(): boolean {
    return this.#disabled
  }

  /** A JobInputRequest (manage_config_file / manage_wandb_config). */
  addInput(request: JobInputRequest): void {
    this.#inputs.add(request)
  }

  /** The run used an artifact: a complete job turns the builder off; a partial one is completed instead of building a new job. */
  useArtifact(use: {type: string; id: string; partial?: {job_name: string}}): void {
    if (use.type !== 'job') return
    if (use.partial === undefined) {
      this.#o.logger.debug('jobs: the run comes from a complete job, no job is built')
      this.#disabled = true
    } else if (use.partial.job_name === '') {
      this.#o.logger.debug('jobs: partial job without a name, no job is built')
      this.#disabled = true
    } else {
      this.#partialJobId = use.id
    }
  }

  /** The run's code artifact (a log_artifact of type "code" ended; id "" if its save failed). */
  setCodeArtifact(id: string, name: string): void {
    this.#codeArtifact = {id, name}
  }

  /**
   * What to do for the finished run. Throws JobBuildError / JobInputError when the run's files
   * describe a job that cannot be built (the caller logs it; the run is not affected).
   */
  async build(run: RunState): Promise<JobPlan> {
    const none = (reason: string): JobPlan => {
      this.#o.logger.info(`jobs: no job artifact: ${reason}`)
      return {kind: 'none', reason}
    }
    if (this.#disabled) return none('job creation is disabled')
    const {settings, logger} = this.#o
    if (this.#partialJobId !== undefined) {
      return {kind: 'partial', artifactId: this.#partialJobId, metadata: this.#inputs.metadata(settings.filesDir, run.config)}
    }
    if (!existsSync(join(settings.filesDir, REQUIREMENTS_FILE))) {
      logger.warn('No requirements.txt found, not creating job artifact. See https://docs.wandb.ai/platform/launch/create-job')
      return none('no requirements.txt')
    }
    const metadata = readRunMetadata(settings.filesDir)
    if (metadata.python === undefined) {
      logger.warn('No python version found in metadata, not creating job artifact. See https://docs.wandb.ai/platform/launch/create-job')
      return none('no python version in the metadata')
    }
    const ctx: SourceContext = {settings, logger, metadata, codeArtifact: this.#codeArtifact, cwd: this.#o.cwd}
    const type = detectSourceType(ctx)
    if (type === undefined) return none('no source (git remote and commit, code artifact or docker image)')
    const program = programRelpath(ctx, type)
    if (type !== 'image' && program === undefined) {
      logger.warn('No program path found, not creating job artifact. See https://docs.wandb.ai/platform/launch/create-job')
      return none('no program path')
    }
    const named = namedSource(ctx, type, program)
    if (named === undefined) return none('the program is not in the working directory')
    const outputTypes: TypeRepresentation = run.summary === undefined ? {wb_type: ''} : resolveTypes(run.summary)
    const declared = this.#inputs.declared
    const sourceInfo = {
      _version: BASE_JOB_VERSION,
      source: named.source,
      source_type: type,
      input_types: resolveTypes(declared ? {} : run.config),
      output_types: outputTypes,
      runtime: metadata.python,
      _partial: metadata.partial,
    }
    const artifact = await buildJobArtifact({
      entity: run.entity,
      project: run.project,
      runId: run.runId,
      name: named.name,
      aliases: named.aliases,
      metadata: declared ? this.#inputs.metadata(settings.filesDir, run.config) : '',
      jobJson: jobJson(sourceInfo),
      filesDir: settings.filesDir,
      withDiff: type === 'repo',
    })
    return {kind: 'artifact', artifact}
  }
}

/**
 * The job inputs a script declares with `wandb.sdk.launch.manage_config_file(...)` and
 * `manage_wandb_config(...)` (JobInputRequest): config files (copied by the SDK to
 * files/_wandb_configs/<path>) and the run config, each with include/exclude key paths and an
 * optional JSON Schema. Once any input is declared, the job stores them in its artifact metadata
 * (`input_types`, `output_types`, `input_schemas`) instead of wandb-job.json's `input_types`.
 */
import {join} from 'node:path'
import type {Logger} from '../observability/index.ts'
import type {JobInputRequest} from '../proto.ts'
import {filterTree, readConfigFile, type ConfigPath, type ConfigTree} from './config-filter.ts'
import {JobInputError} from './errors.ts'
import {asGoMaps, jobJson} from './job-json.ts'
import {resolveTypes, type TypeRepresentation} from './type-representation.ts'

/** Where the SDK puts copies of managed config files, under the run's files directory. */
export const MANAGED_CONFIGS_DIR = '_wandb_configs'
/** The input_types / input_schemas key of the run config. */
export const WANDB_CONFIG_KEY = '@wandb.config'

interface Selection {
  include: ConfigPath[]
  exclude: ConfigPath[]
  /** The JSON Schema text, if one was given. */
  schema: string | undefined
}

/** The declared inputs of one run. Not safe for concurrent use (the sender calls it in order). */
export class JobInputs {
  readonly #files: Array<Selection & {path: string}> = []
  #runConfig: Selection | undefined
  #declared = false
  readonly #logger: Logger

  constructor(logger: Logger) {
    this.#logger = logger
  }

  /** True once any input request arrived (even one that could not be used). */
  get declared(): boolean {
    return this.#declared
  }

  /** Adds the input a JobInputRequest declares. Run-config requests accumulate paths; the last schema wins. */
  add(request: JobInputRequest): void {
    this.#declared = true
    const include = request.include_paths.map((p) => [...p.path])
    const exclude = request.exclude_paths.map((p) => [...p.path])
    const schema = request.input_schema === '' ? undefined : request.input_schema
    const source = request.input_source?.source
    if (source?.oneofKind === 'file') {
      this.#files.push({path: source.file.path, include, exclude, schema})
    } else if (source?.oneofKind === 'run_config') {
      this.#runConfig ??= {include: [], exclude: [], schema: undefined}
      this.#runConfig.include.push(...include)
      this.#runConfig.exclude.push(...exclude)
      this.#runConfig.schema = schema
    } else {
      this.#logger.warn('jobs: job input request without a source, ignored')
    }
  }

  /**
   * The artifact metadata text (Go's JSON, keys sorted). `output_types` is "unknown", as wandb-core
   * writes it. Throws JobInputError when a schema is not a JSON object.
   */
  metadata(filesDir: string, config: ConfigTree): string {
    const inputTypes = new Map<string, unknown>()
    const inputSchemas = new Map<string, unknown>()
    if (this.#files.length > 0) {
      const files = new Map<string, TypeRepresentation>()
      const schemas = new Map<string, unknown>()
      for (const f of this.#files) {
        files.set(f.path, this.#fileTypes(filesDir, f))
        if (f.schema !== undefined) schemas.set(f.path, parseSchema(f.schema, f.path))
      }
      inputTypes.set('files', files)
      if (schemas.size > 0) inputSchemas.set('files', schemas)
    }
    if (this.#runConfig) {
      inputTypes.set(WANDB_CONFIG_KEY, resolveTypes(filterTree(config, this.#runConfig.include, this.#runConfig.exclude)))
      if (this.#runConfig.schema !== undefined) inputSchemas.set(WANDB_CONFIG_KEY, parseSchema(this.#runConfig.schema, 'wandb.config'))
    }
    const metadata = new Map<string, unknown>([
      ['input_types', inputTypes],
      ['output_types', {wb_type: 'unknown'}],
    ])
    if (inputSchemas.size > 0) metadata.set('input_schemas', inputSchemas)
    return jobJson(metadata)
  }

  /** A config file's filtered types; a file that cannot be read gives the empty type (logged), as in Go. */
  #fileTypes(filesDir: string, f: Selection & {path: string}): TypeRepresentation {
    try {
      return resolveTypes(filterTree(readConfigFile(join(filesDir, MANAGED_CONFIGS_DIR, f.path)), f.include, f.exclude))
    } catch (err) {
      this.#logger.error('jobs: cannot read a managed config file', {path: f.path, error: String(err)})
      return {wb_type: ''}
    }
  }
}

function parseSchema(text: string, what: string): unknown {
  let schema: unknown
  try {
    schema = JSON.parse(text)
  } catch (cause) {
    throw new JobInputError(`jobs: the input schema of ${what} is not valid JSON`, {cause})
  }
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) throw new JobInputError(`jobs: the input schema of ${what} is not a JSON object`)
  return asGoMaps(schema)
}

/**
 * `wandb sweep CONFIG` of wandb 0.31, without Python: read the YAML, apply the flags, resolve
 * entity and project, send UpsertSweep with the config as PyYAML writes it, and report the sweep
 * id, its URL and the `wandb agent` command, in wandb's words and order.
 */
import {ExitCode} from '../exit-codes.ts'
import {LocalControllerError, SweepConfigError, sweepServerError} from './errors.ts'
import {SweepSearchError, checkSearchConfig} from './search/index.ts'
import {agentPath, sweepUrl, violationLines} from './messages.ts'
import {toJsonValue, type PyDict} from './py-value.ts'
import {findSweep} from './find-sweep.ts'
import type {SweepApi} from './sweep-api.ts'
import {applyOverrides, checkMethod, configYaml, fillDistributions, loadSweepConfig, wantsLocalController} from './sweep-config.ts'
import {parseSweepPath, resolveDestination, type DestinationOptions, type SettingsDefaults} from './sweep-target.ts'

/** Where the engine's messages go: info lines (wandb's termlog) and warnings (termwarn). */
export interface SweepOutput {
  info(line: string): void
  warn(line: string): void
}

/** Options of createSweep. */
export interface CreateSweepOptions extends Pick<DestinationOptions, 'env' | 'cwd' | 'platform' | 'gitRoot'> {
  configPath: string
  /** --entity / --project. */
  entity?: string
  project?: string
  /** --name, --program, --controller. */
  name?: string
  program?: string
  controller?: boolean
  /** --prior_run: ids of existing runs to attach to the sweep. */
  priorRuns?: readonly string[]
  /** --update: the sweep (path) whose config is replaced instead of creating one. */
  update?: string
  /** The SDK's settings defaults (WANDB_ENTITY/WANDB_PROJECT, settings files). */
  defaults: SettingsDefaults
  /** Normalised base URL (for messages) and the UI URL (for the sweep's link). */
  baseUrl: string
  appUrl: string
  api: SweepApi
  out: SweepOutput
}

/** What createSweep did. */
export interface CreatedSweep {
  /** The sweep's id (its name on the server). */
  id: string
  /** The entity and project the server put it in (when it said so). */
  entity?: string
  project?: string
  url?: string
  /** `wandb agent …` as printed. */
  agentCommand: string
  /** The config text uploaded. */
  configYaml: string
  /** The server's config validation warnings. */
  warnings: string[]
}

/**
 * Creates (or with `update` updates) a sweep. Throws SweepFileError, SweepConfigError,
 * LocalControllerError (a local-controller config the search refuses), SweepNotFoundError or a
 * SweepServerError (exit codes on each).
 */
export async function createSweep(o: CreateSweepOptions): Promise<CreatedSweep> {
  let objId: string | null = null
  let entity = o.entity
  let project = o.project
  if (o.update) {
    const parts = parseSweepPath(o.update)
    entity = parts.entity || entity
    project = parts.project || project
    for (const [what, value] of [
      ['entity', entity || o.defaults.entity],
      ['project', project || o.defaults.project],
    ] as const) {
      if (!value) {
        throw new SweepConfigError(
          `Sweep lookup requires a valid ${what}, and none was specified. Either set a default ${what} in wandb/settings, or specify the full sweep path: --update {entity}/{project}/{sweepid}.`,
        )
      }
    }
    objId = (await findSweep(o, entity, project, parts.name)).id
  }
  const action = objId ? 'Updating' : 'Creating'
  o.out.info(`${action} sweep from: ${o.configPath}`)
  const config = loadSweepConfig(o.configPath)
  applyOverrides(config, {name: o.name, program: o.program, controller: o.controller})
  // a local controller runs the search here, so its config must be one the search takes (wandb: `tuner._validate`)
  if (wantsLocalController(config)) checkLocalConfig(config)

  const dest = resolveDestination(config, {...o, entity, project, defaults: o.defaults})
  const filled = fillDistributions(config)
  checkMethod(filled)
  const text = configYaml(filled)
  const priorRuns = o.priorRuns && o.priorRuns.length > 0 ? `{"$or": [${o.priorRuns.map((r) => `{"name": ${pyJsonString(r)}}`).join(', ')}]}` : null

  let data
  try {
    data = await o.api.upsertSweep({
      id: objId,
      config: text,
      description: toJsonValue(filled.get('description') ?? null),
      entityName: dest.entity ?? null,
      projectName: dest.project,
      controller: null,
      launchScheduler: null,
      templateVariableValues: 'null',
      scheduler: null,
      priorRunsFilters: priorRuns,
      displayName: null,
    })
  } catch (err) {
    throw sweepServerError(`${action === 'Creating' ? 'create' : 'update'} the sweep`, o.baseUrl, err, ExitCode.USAGE)
  }
  const sweep = data?.upsertSweep?.sweep
  if (!sweep?.name) throw sweepServerError('create the sweep', o.baseUrl, new Error('the server answered without a sweep'), ExitCode.INTERNAL)
  const serverProject = sweep.project?.name ?? undefined
  const serverEntity = sweep.project?.entity?.name ?? undefined
  const warnings = data?.upsertSweep?.configValidationWarnings ?? []
  for (const line of violationLines(warnings)) o.out.warn(line)

  o.out.info(`${action} sweep with ID: ${sweep.name}`)
  // wandb links with its settings after the upsert: the server's entity/project when it named them
  const urlEntity = serverEntity ?? o.defaults.entity ?? (await o.api.defaultEntity().catch(() => undefined))
  const url = sweepUrl(o.appUrl, urlEntity, serverProject ?? o.defaults.project, sweep.name)
  if (url) o.out.info(`View sweep at: ${url}`)
  const path = agentPath(dest.entity ?? serverEntity, dest.project, sweep.name)
  const agentCommand = `wandb agent ${path}`
  o.out.info(`Run sweep agent with: ${agentCommand}`)
  if (config.get('scheduler') !== undefined && config.get('scheduler') !== null) o.out.info(`Run scheduler with: wandb sweep-scheduler ${path}`)
  return {id: sweep.name, entity: serverEntity, project: serverProject, ...(url ? {url} : {}), agentCommand, configYaml: text, warnings}
}

/** Python's `json.dumps(str)` (ensure_ascii: non-ASCII as \\uXXXX). */
function pyJsonString(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/** The search's verdict on a local-controller config, as the error `wandb sweep` prints ("Error in sweep file: …"). */
function checkLocalConfig(config: PyDict): void {
  try {
    checkSearchConfig(toJsonValue(fillDistributions(config)) as Record<string, unknown>)
  } catch (err) {
    if (err instanceof SweepSearchError) throw new LocalControllerError(`Error in sweep file: ${err.userText ?? err.message}`, {cause: err})
    throw err
  }
}

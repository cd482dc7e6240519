/**
 * `nexus controller [ENTITY/PROJECT/]SWEEP_ID` and the controller of `nexus sweep --controller`:
 * resolve the sweep's path as wandb does (the path's parts, then --entity/--project, then the
 * settings defaults), then run the local controller against the server until the sweep ends.
 */
import {ExitCode} from '../../exit-codes.ts'
import {sweepServerError} from '../errors.ts'
import {nextRun, stopRuns} from '../search/index.ts'
import type {SweepApi} from '../sweep-api.ts'
import {parseSweepPath, type SettingsDefaults} from '../sweep-target.ts'
import {OnlineControllerBackend} from './controller-backend.ts'
import {LocalController, type ControllerEnd, type ControllerOutput, type SweepSearch} from './local-controller.ts'

export interface RunControllerOptions {
  /** `id`, `project/id` or `entity/project/id`. */
  target: string
  entity?: string
  project?: string
  defaults: SettingsDefaults
  baseUrl: string
  api: SweepApi
  out: ControllerOutput
  verbose?: boolean
  intervalSeconds?: number
  signal?: AbortSignal
  /** Default: the search of src/core/sweeps/search. */
  search?: SweepSearch
}

/** The search functions nexus ships. */
export const SWEEPS_SEARCH: SweepSearch = {nextRun: (config, runs) => nextRun(config, runs), stopRuns}

export async function runController(o: RunControllerOptions): Promise<ControllerEnd> {
  const parts = parseSweepPath(o.target)
  const entity = parts.entity || o.entity || o.defaults.entity || null
  const project = parts.project || o.project || o.defaults.project || null
  const path = `${entity ?? 'None'}/${project ?? 'None'}/${parts.name}`
  const backend = new OnlineControllerBackend({api: o.api, baseUrl: o.baseUrl, entity, project, sweepId: parts.name})
  const controller = new LocalController({
    backend,
    search: o.search ?? SWEEPS_SEARCH,
    out: o.out,
    path,
    verbose: o.verbose,
    intervalSeconds: o.intervalSeconds,
    signal: o.signal,
    finish: async (sweep) => {
      try {
        await o.api.setState(sweep.objId, 'FINISHED', entity, project)
      } catch (err) {
        throw sweepServerError('finish the sweep', o.baseUrl, err, ExitCode.INTERNAL)
      }
    },
  })
  return controller.run()
}

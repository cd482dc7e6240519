/**
 * Where a local controller reads its sweep and writes its commands. The online backend is the W&B
 * server: SweepWithRuns to read (with the sampled history of the metric, as wandb asks for it),
 * UpsertSweep with `controller` to write (wandb_controller.py `_sweep_object_sync_to_backend`).
 */
import {ExitCode} from '../../exit-codes.ts'
import {sweepServerError} from '../errors.ts'
import type {SweepApi} from '../sweep-api.ts'
import {configYaml, fillDistributions, parseSweepConfig} from '../sweep-config.ts'
import {snapshotOf, type ControllerState, type SweepSnapshot} from './sweep-snapshot.ts'

/** The controller's view of the server. */
export interface ControllerBackend {
  /** The sweep now, its runs' history limited to `_step` and `metric` when one is named; null when it is gone. */
  read(metric: string | undefined): Promise<SweepSnapshot | null>
  /** Replaces the sweep's controller state. */
  writeController(sweep: SweepSnapshot, controller: ControllerState): Promise<void>
}

/** A sweep on a W&B server, named by entity (null = default), project and id. */
export class OnlineControllerBackend implements ControllerBackend {
  readonly #api: SweepApi
  readonly #baseUrl: string
  readonly #entity: string | null
  readonly #project: string | null
  readonly #sweepId: string
  #configText = ''

  constructor(o: {api: SweepApi; baseUrl: string; entity: string | null; project: string | null; sweepId: string}) {
    this.#api = o.api
    this.#baseUrl = o.baseUrl
    this.#entity = o.entity
    this.#project = o.project
    this.#sweepId = o.sweepId
  }

  async read(metric: string | undefined): Promise<SweepSnapshot | null> {
    // wandb asks for all samples of the metric (and none of the history without one)
    const specs = metric ? JSON.stringify({keys: ['_step', metric], samples: 100000}) : '{}'
    let data
    try {
      data = await this.#api.sweepWithRuns(this.#entity, this.#project, this.#sweepId, specs)
    } catch (err) {
      throw sweepServerError('read the sweep', this.#baseUrl, err, ExitCode.INTERNAL)
    }
    const text = data.project?.sweep?.config
    if (typeof text === 'string') this.#configText = text
    return snapshotOf(data)
  }

  async writeController(sweep: SweepSnapshot, controller: ControllerState): Promise<void> {
    // wandb re-uploads the config it read (validated and filled) along with the controller
    const config = configYaml(fillDistributions(parseSweepConfig(this.#configText)))
    try {
      await this.#api.upsertSweep({
        id: sweep.objId,
        config,
        description: sweep.config.description ?? null,
        entityName: this.#entity,
        projectName: this.#project,
        controller: JSON.stringify(controller),
        launchScheduler: null,
        templateVariableValues: 'null',
        scheduler: null,
        priorRunsFilters: null,
        displayName: null,
      })
    } catch (err) {
      throw sweepServerError('update the sweep controller', this.#baseUrl, err, ExitCode.INTERNAL)
    }
  }
}

/**
 * `nexus sweep --offline CONFIG`: the sweep is checked as a local controller's would be, then
 * written to `<wandb dir>/offline-sweep-<id>/` instead of the server. The lines are the online
 * command's ("Creating sweep with ID: …"), with the agent command that runs it offline.
 */
import {randomId} from '../../runtime/index.ts'
import type {SweepOutput} from '../create-sweep.ts'
import {SweepConfigError} from '../errors.ts'
import {toJsonValue} from '../py-value.ts'
import {SweepSearchError, checkSearchConfig} from '../search/index.ts'
import {applyOverrides, checkMethod, configYaml, fillDistributions, loadSweepConfig} from '../sweep-config.ts'
import {resolveDestination, type DestinationOptions} from '../sweep-target.ts'
import {OfflineSweepStore} from './offline-sweep-store.ts'

export interface CreateOfflineSweepOptions extends Pick<DestinationOptions, 'env' | 'cwd' | 'platform' | 'gitRoot' | 'defaults'> {
  configPath: string
  entity?: string
  project?: string
  name?: string
  program?: string
  /** The wandb folder (`<WANDB_DIR or cwd>/wandb`). */
  wandbDir: string
  out: SweepOutput
  newId?: () => string
}

export interface CreatedOfflineSweep {
  id: string
  dir: string
  entity: string | null
  project: string
  agentCommand: string
}

export function createOfflineSweep(o: CreateOfflineSweepOptions): CreatedOfflineSweep {
  o.out.info(`Creating sweep from: ${o.configPath}`)
  const config = loadSweepConfig(o.configPath)
  applyOverrides(config, {name: o.name, program: o.program})
  const dest = resolveDestination(config, o)
  const filled = fillDistributions(config)
  checkMethod(filled)
  const plain = toJsonValue(filled) as Record<string, unknown>
  try {
    checkSearchConfig(plain)
  } catch (err) {
    if (err instanceof SweepSearchError) throw new SweepConfigError(`Error in sweep file: ${err.userText ?? err.message}`, {cause: err})
    throw err
  }
  const store = OfflineSweepStore.create(o.wandbDir, {config: plain, configYaml: configYaml(filled), entity: dest.entity ?? null, project: dest.project}, o.newId ?? (() => randomId(8)))
  o.out.info(`Creating sweep with ID: ${store.info.id}`)
  const agentCommand = `nexus agent --offline ${store.info.id}`
  o.out.info(`Offline sweep saved in: ${store.dir}`)
  o.out.info(`Run sweep agent with: ${agentCommand}`)
  return {id: store.info.id, dir: store.dir, entity: store.info.entity, project: store.info.project, agentCommand}
}

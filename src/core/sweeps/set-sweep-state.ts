/**
 * `wandb sweep --stop|--cancel|--pause|--resume [entity/project/]SWEEP_ID` of wandb 0.31: look
 * the sweep up, refuse what wandb refuses (pausing a sweep that is neither running nor paused;
 * stopping, cancelling or pausing one that already ended), then UpsertSweep with the new state.
 * Resuming is never refused, also for an ended sweep, as in wandb.
 */
import {ExitCode} from '../exit-codes.ts'
import type {SweepOutput} from './create-sweep.ts'
import {SweepStateError, sweepServerError} from './errors.ts'
import {findSweep} from './find-sweep.ts'
import type {SweepApi, SweepState} from './sweep-api.ts'
import {parseSweepPath, type SettingsDefaults} from './sweep-target.ts'

/** The state flags of `wandb sweep`. */
export type SweepStateAction = 'stop' | 'cancel' | 'pause' | 'resume'

/** The state each flag sets. */
export const ACTION_STATE: Readonly<Record<SweepStateAction, SweepState>> = {stop: 'FINISHED', cancel: 'CANCELED', pause: 'PAUSED', resume: 'RUNNING'}

const ACTION_VERB: Readonly<Record<SweepStateAction, string>> = {stop: 'Stopping', cancel: 'Cancelling', pause: 'Pausing', resume: 'Resuming'}

/** Options of setSweepState. */
export interface SetSweepStateOptions {
  /** The sweep: `id`, `project/id` or `entity/project/id`. */
  target: string
  action: SweepStateAction
  /** --entity / --project (parts of `target` win). */
  entity?: string
  project?: string
  defaults: SettingsDefaults
  baseUrl: string
  api: SweepApi
  out: SweepOutput
}

/**
 * Changes the sweep's state. Throws SweepIdError, SweepNotFoundError, SweepStateError (the
 * current state forbids it) or a SweepServerError.
 */
export async function setSweepState(o: SetSweepStateOptions): Promise<{entity: string | null; project: string | null; id: string; state: SweepState}> {
  const parts = parseSweepPath(o.target)
  const entity = parts.entity || o.entity
  const project = parts.project || o.project
  o.out.info(`${ACTION_VERB[o.action]} sweep ${entity || 'None'}/${project || 'None'}/${parts.name}`)
  const sweep = await findSweep(o, entity, project, parts.name)
  const state = ACTION_STATE[o.action]
  const current = sweep.state.toUpperCase()
  if (state === 'PAUSED' && !['PAUSED', 'RUNNING'].includes(current)) throw new SweepStateError(`Cannot pause ${current.toLowerCase()} sweep.`)
  if (state !== 'RUNNING' && !['RUNNING', 'PAUSED', 'PENDING'].includes(current)) throw new SweepStateError(`Sweep already ${current.toLowerCase()}.`)
  try {
    await o.api.setState(sweep.id, state, sweep.entity, sweep.project)
  } catch (err) {
    throw sweepServerError(`${o.action} the sweep`, o.baseUrl, err, ExitCode.INTERNAL)
  }
  o.out.info('Done.')
  return {entity: sweep.entity, project: sweep.project, id: parts.name, state}
}

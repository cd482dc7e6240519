/**
 * Looking an existing sweep up before changing it, as wandb's `_sweep_with_runs` does: the entity
 * and project fall back to the settings defaults (null = the server's default), and a missing
 * sweep is SweepNotFoundError naming the path as wandb does ("None" for what was not given).
 */
import {ExitCode} from '../exit-codes.ts'
import {SweepNotFoundError, sweepServerError} from './errors.ts'
import type {SweepApi, SweepRef} from './sweep-api.ts'
import type {SettingsDefaults} from './sweep-target.ts'

/** A sweep found on the server, with the entity and project the lookup used. */
export interface FoundSweep extends SweepRef {
  entity: string | null
  project: string | null
}

/** Finds sweep `name`; throws SweepNotFoundError, or a SweepServerError when the server fails. */
export async function findSweep(o: {api: SweepApi; baseUrl: string; defaults: SettingsDefaults}, entity: string | undefined, project: string | undefined, name: string): Promise<FoundSweep> {
  const e = entity || o.defaults.entity || null
  const p = project || o.defaults.project || null
  let ref: SweepRef | null
  try {
    ref = await o.api.sweepRef(e, p, name)
  } catch (err) {
    throw sweepServerError('read the sweep', o.baseUrl, err, ExitCode.INTERNAL)
  }
  if (!ref) throw new SweepNotFoundError(`${e ?? 'None'}/${p ?? 'None'}/${name}`)
  return {...ref, entity: e, project: p}
}

/**
 * Air-gapped sweeps: a sweep kept in the wandb folder (`nexus sweep --offline`), agents that run
 * its trials as offline runs with the search choosing their parameters (`nexus agent --offline`),
 * and what `nexus sync` needs to create the sweep on a server and link the trials to it.
 */
import {join, resolve} from 'node:path'
import {randomId} from '../../runtime/index.ts'
import {SWEEPS_SEARCH} from '../controller/index.ts'
import {OfflineCommandSource} from './offline-command-source.ts'
import {OfflineSweepStore} from './offline-sweep-store.ts'

export {createOfflineSweep} from './create-offline-sweep.ts'
export type {CreateOfflineSweepOptions, CreatedOfflineSweep} from './create-offline-sweep.ts'
export {OfflineSweepFileError, OfflineSweepNotFoundError} from './errors.ts'
export {OfflineCommandSource} from './offline-command-source.ts'
export type {OfflineSourceOptions} from './offline-command-source.ts'
export {OfflineSweepStore, SWEEP_DIR_PREFIX} from './offline-sweep-store.ts'
export type {OfflineSweepInfo, SyncedSweep, TrialRecord} from './offline-sweep-store.ts'
export {HistoryTail, offlineRunDir, readSummary} from './trial-results.ts'

/** The SDK's wandb folder: `$WANDB_DIR/wandb`, else `./wandb` of `cwd`. */
export function wandbDirOf(env: Readonly<Record<string, string | undefined>>, cwd: string): string {
  const root = env.WANDB_DIR ? resolve(cwd, env.WANDB_DIR) : cwd
  return join(root, 'wandb')
}

/** The agent's source for offline sweep `sweepId` of the wandb folder (OfflineSweepNotFoundError when there is none). */
export function offlineSource(o: {sweepId: string; env: Readonly<Record<string, string | undefined>>; cwd: string}): OfflineCommandSource {
  const wandbDir = wandbDirOf(o.env, o.cwd)
  const store = OfflineSweepStore.open(wandbDir, o.sweepId)
  return new OfflineCommandSource({store, wandbDir, search: SWEEPS_SEARCH, newRunId: () => randomId(8)})
}

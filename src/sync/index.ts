/** Offline-run sync: replays .wandb files through the core's sender. */
export {syncSessions} from './sync-sessions.ts'

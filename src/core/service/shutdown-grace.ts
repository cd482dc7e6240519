import type {Logger} from '../observability/index.ts'
import {envSecondsMs} from './env-seconds.ts'

/** Default grace period (seconds) for uploads after a signal or the client's death. */
export const DEFAULT_SHUTDOWN_GRACE_S = 5

/**
 * NEXUS_SHUTDOWN_GRACE: seconds the service keeps uploading after a signal or the client's death
 * (Slurm sends SIGKILL KillWait = 30 s after SIGTERM). A bad value is logged and the default used.
 */
export function shutdownGraceMs(env: NodeJS.ProcessEnv, logger: Logger): number {
  return envSecondsMs(env, 'NEXUS_SHUTDOWN_GRACE', DEFAULT_SHUTDOWN_GRACE_S, logger)
}

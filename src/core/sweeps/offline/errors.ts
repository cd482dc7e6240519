/** The errors of offline sweeps: a sweep folder that is missing, damaged or not writable. */
import {UserFacingError, errorMessage} from '../../errors.ts'
import {ExitCode} from '../../exit-codes.ts'

/** No offline sweep with this id in the wandb folder. */
export class OfflineSweepNotFoundError extends UserFacingError {
  override name = 'OfflineSweepNotFoundError'
  constructor(id: string, wandbDir: string, known: readonly string[]) {
    const hint = known.length > 0 ? ` Offline sweeps there: ${known.join(', ')}.` : ' Create one with `nexus sweep --offline CONFIG`.'
    super(`sweeps: no offline sweep ${id} in ${wandbDir}`, `No offline sweep ${JSON.stringify(id)} in ${wandbDir}.${hint}`, {exitCode: ExitCode.USAGE})
  }
}

/** The sweep folder could not be read or written (permissions, a full disk, a damaged file). */
export class OfflineSweepFileError extends UserFacingError {
  override name = 'OfflineSweepFileError'
  constructor(action: string, path: string, cause: unknown) {
    super(`sweeps: cannot ${action} ${path}: ${errorMessage(cause)}`, `Cannot ${action} ${path}: ${errorMessage(cause)}.`, {cause, exitCode: ExitCode.LOCAL_FILE})
  }
}

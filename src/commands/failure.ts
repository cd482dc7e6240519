import {UserFacingError, errorMessage} from '../core/errors.ts'
import {ExitCode} from './exit-codes.ts'

/**
 * What a command failure tells the user and which exit code it ends with: our errors carry both;
 * anything else is an internal error. Shared by every oclif command (NexusCommand) and by the
 * service's direct launch path in bin/run.ts, which runs without oclif.
 */
export function failureOf(err: unknown): {message: string; exit: number} {
  if (err instanceof UserFacingError) return {message: err.userText, exit: err.exitCode}
  return {message: `Internal error: ${errorMessage(err)}`, exit: ExitCode.INTERNAL}
}

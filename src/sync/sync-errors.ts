import {UserFacingError} from '../core/errors.ts'

/**
 * A failure that prevents syncing one run (or all of them): `message` for logs, `userText` for
 * people (capitalised, punctuated), and the CLI exit code it maps to.
 */
export class SyncError extends UserFacingError {
  override name = 'SyncError'
}

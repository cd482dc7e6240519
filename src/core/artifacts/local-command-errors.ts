/**
 * How `artifact ls` and `artifact cache cleanup` report failures: a sentence for the user and
 * the exit code. Server failures (credentials, network, GraphQL) read as for `artifact get`
 * (cli-errors.ts); the rest is specific to these commands.
 */
import {GraphQLError} from '../api/index.ts'
import {HttpError, NetworkError, TimeoutError, UserFacingError, errorMessage, findInChain} from '../errors.ts'
import {ARTIFACT_EXIT, artifactCommandError, sentence} from './cli-errors.ts'
import {ArtifactError, ArtifactInputError, ArtifactNotFoundError} from './errors.ts'

/**
 * The UserFacingError `artifact ls` ends with: bad input exits 2; a missing project or type
 * exits 1 (as wandb's "Could not find artifact type"); server failures as `artifact get`.
 */
export function listCommandError(err: unknown): UserFacingError {
  if (err instanceof UserFacingError) return err
  const message = `artifact ls: ${errorMessage(err)}`
  if (err instanceof ArtifactInputError) return new UserFacingError(message, sentence(err.message), {cause: err, exitCode: ARTIFACT_EXIT.USAGE})
  if (err instanceof ArtifactNotFoundError) {
    const text = err.what.startsWith('artifact type') ? `Could not find ${err.what}.` : `There is no ${err.what} on the server.`
    return new UserFacingError(message, text, {cause: err, exitCode: ARTIFACT_EXIT.INTERNAL})
  }
  if (findInChain(err, HttpError) || findInChain(err, NetworkError) || findInChain(err, TimeoutError) || findInChain(err, GraphQLError)) {
    const mapped = artifactCommandError(err, 'get')
    return new UserFacingError(message, mapped.userText, {cause: err, exitCode: mapped.exitCode})
  }
  return new UserFacingError(message, `Listing the artifacts failed: ${sentence(errorMessage(err))}`, {cause: err, exitCode: ARTIFACT_EXIT.INTERNAL})
}

/**
 * The UserFacingError `artifact cache cleanup` ends with: a bad size exits 2, a cache folder that
 * cannot be read exits 8 (nothing was deleted past the point of failure).
 */
export function cacheCleanupCommandError(err: unknown): UserFacingError {
  if (err instanceof UserFacingError) return err
  const message = `artifact cache cleanup: ${errorMessage(err)}`
  if (err instanceof ArtifactInputError) return new UserFacingError(message, sentence(err.message), {cause: err, exitCode: ARTIFACT_EXIT.USAGE})
  if (err instanceof ArtifactError) return new UserFacingError(message, `The artifact cache could not be read: ${sentence(err.message)}`, {cause: err, exitCode: ARTIFACT_EXIT.LOCAL_FILE})
  return new UserFacingError(message, `The cache cleanup failed: ${sentence(errorMessage(err))}`, {cause: err, exitCode: ARTIFACT_EXIT.INTERNAL})
}

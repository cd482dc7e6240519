/**
 * How the artifact commands report failures: a sentence for the user and the CLI exit code
 * (values of src/commands/exit-codes.ts, which core cannot import).
 */
import {GraphQLError} from '../api/index.ts'
import {HttpError, NetworkError, TimeoutError, UserFacingError, errorMessage, findInChain} from '../errors.ts'
import {LocalFileError} from '../filetransfer/index.ts'
import {ArtifactInputError, ArtifactMismatchError, ArtifactNotFoundError, ArtifactRunError, ArtifactSaveError, DigestMismatchError, UnsafePathError} from './errors.ts'

/** The exit codes the artifact commands use (see src/commands/exit-codes.ts). */
export const ARTIFACT_EXIT = {INTERNAL: 1, USAGE: 2, AUTH: 4, NETWORK: 5, LOCAL_FILE: 8} as const

/** An error message as a sentence: without the `artifacts: ` prefix, capitalised, with a final stop. */
export const sentence = (s: string) => {
  const t = s.replace(/^artifacts: /, '').trim()
  const cap = t.charAt(0).toUpperCase() + t.slice(1)
  return /[.!?]$/.test(cap) ? cap : `${cap}.`
}

/** Whether an error message (all a log_artifact answer carries) names an HTTP 401/403. */
const authInText = (text: string) => /\bhttp: 40[13]\b/.test(text)
const networkInText = (text: string) => /\bhttp: (\d{3})\b|timed out|failed: |unable to connect|ECONNREFUSED|ECONNRESET/i.test(text)

/** The UserFacingError the command should end with for `err` (UserFacingErrors pass through). */
export function artifactCommandError(err: unknown, what: 'put' | 'get'): UserFacingError {
  if (err instanceof UserFacingError) return err
  const message = errorMessage(err)
  const make = (text: string, exitCode: number) => new UserFacingError(`artifact ${what}: ${message}`, text, {cause: err, exitCode})
  if (err instanceof ArtifactInputError) return make(sentence(message), ARTIFACT_EXIT.USAGE)
  if (err instanceof ArtifactNotFoundError) return make(`There is no ${err.what} on the server (${err.detail}).`, ARTIFACT_EXIT.USAGE)
  if (err instanceof ArtifactMismatchError) return make(sentence(message), ARTIFACT_EXIT.USAGE)
  if (err instanceof ArtifactRunError) {
    const code = err.kind === 'auth' ? ARTIFACT_EXIT.AUTH : err.kind === 'network' ? ARTIFACT_EXIT.NETWORK : ARTIFACT_EXIT.INTERNAL
    return make(sentence(message), code)
  }
  if (err instanceof UnsafePathError) return make(`${sentence(message)} Nothing outside the download folder was written.`, ARTIFACT_EXIT.INTERNAL)
  const http = findInChain(err, HttpError)
  if (http && (http.status === 401 || http.status === 403)) return make(`The server refused the credentials (HTTP ${http.status}). Check your API key (nexus login).`, ARTIFACT_EXIT.AUTH)
  if (err instanceof ArtifactSaveError && authInText(message)) return make(`The upload was refused: ${sentence(message)} Check your API key (nexus login).`, ARTIFACT_EXIT.AUTH)
  const local = findInChain(err, LocalFileError)
  const code = (err as {code?: string})?.code
  if (local || (typeof code === 'string' && /^E[A-Z]+$/.test(code) && !findInChain(err, NetworkError))) {
    return make(`A local file could not be read or written: ${sentence(message)}`, ARTIFACT_EXIT.LOCAL_FILE)
  }
  if (http || findInChain(err, NetworkError) || findInChain(err, TimeoutError) || findInChain(err, DigestMismatchError)) {
    return make(`The server could not be reached or kept failing: ${sentence(message)}`, ARTIFACT_EXIT.NETWORK)
  }
  if (findInChain(err, GraphQLError)) return make(`The server refused the request: ${sentence(message)}`, ARTIFACT_EXIT.INTERNAL)
  if (err instanceof ArtifactSaveError && networkInText(message)) return make(`The upload failed: ${sentence(message)}`, ARTIFACT_EXIT.NETWORK)
  return make(`The artifact ${what === 'put' ? 'upload' : 'download'} failed: ${sentence(message)}`, ARTIFACT_EXIT.INTERNAL)
}

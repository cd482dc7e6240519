/**
 * The errors of the sweep engine. Each is a UserFacingError: `userText` is the sentence the CLI
 * prints, `exitCode` an ExitCode (USAGE for a bad config or sweep id, LOCAL_FILE for an
 * unreadable file, AUTH / NETWORK for the server).
 */
import {GraphQLError} from '../api/index.ts'
import {HttpError, NetworkError, TimeoutError, UserFacingError, errorMessage, findInChain} from '../errors.ts'
import {ExitCode} from '../exit-codes.ts'

/** The sweep config file could not be read (wandb: "Couldn't open sweep file"). */
export class SweepFileError extends UserFacingError {
  override name = 'SweepFileError'
  readonly path: string
  constructor(path: string, cause: unknown) {
    const detail = (cause as {code?: string})?.code ?? errorMessage(cause)
    super(`sweeps: cannot read ${path}: ${errorMessage(cause)}`, `Couldn't open sweep file: ${path} (${detail}).`, {cause, exitCode: ExitCode.LOCAL_FILE})
    this.path = path
  }
}

/** The sweep config is not one wandb would send: YAML errors, empty, not a mapping, ambiguous bounds… */
export class SweepConfigError extends UserFacingError {
  override name = 'SweepConfigError'
  readonly problem: string
  constructor(problem: string, o: {cause?: unknown} = {}) {
    super(`sweeps: bad config: ${problem}`, problem, {cause: o.cause, exitCode: ExitCode.USAGE})
    this.problem = problem
  }
}

/** A sweep path that is not `sweep`, `project/sweep` or `entity/project/sweep`. */
export class SweepIdError extends UserFacingError {
  override name = 'SweepIdError'
  constructor(sweepId: string) {
    super(`sweeps: bad sweep id ${JSON.stringify(sweepId)}`, 'Expected sweep_id in form of sweep, project/sweep, or entity/project/sweep', {
      exitCode: ExitCode.USAGE,
    })
  }
}

/** The server has no such sweep (wandb: "Sweep E/P/ID not found"). */
export class SweepNotFoundError extends UserFacingError {
  override name = 'SweepNotFoundError'
  constructor(path: string) {
    super(`sweeps: sweep ${path} not found`, `Sweep ${path} not found`, {exitCode: ExitCode.USAGE})
  }
}

/** The sweep's current state does not allow the change (wandb: "Sweep already finished."). */
export class SweepStateError extends UserFacingError {
  override name = 'SweepStateError'
  constructor(userText: string) {
    super(`sweeps: state change refused: ${userText}`, userText, {exitCode: ExitCode.USAGE})
  }
}

/** The local controller cannot drive this sweep (not a local-controller sweep, or its config the search refuses). */
export class LocalControllerError extends UserFacingError {
  override name = 'LocalControllerError'
  constructor(userText: string, o: {cause?: unknown} = {}) {
    super(`sweeps: local controller: ${userText}`, userText, {cause: o.cause, exitCode: ExitCode.USAGE})
  }
}

/** A request to the W&B server failed: refused credentials, no answer, or a rejection. */
export class SweepServerError extends UserFacingError {
  override name = 'SweepServerError'
  constructor(message: string, userText: string, o: {cause: unknown; exitCode: number}) {
    super(message, userText, o)
  }
}

/**
 * The SweepServerError for a failed `action` ("create the sweep", "read the sweep"…): 401/403 →
 * AUTH, other HTTP statuses, connection failures and timeouts → NETWORK, a GraphQL error (the
 * server's own word) → `rejectedExit` with the server's message.
 */
export function sweepServerError(action: string, baseUrl: string, err: unknown, rejectedExit: number): UserFacingError {
  if (err instanceof UserFacingError) return err
  const message = `sweeps: cannot ${action}: ${errorMessage(err)}`
  const http = findInChain(err, HttpError)
  if (http && (http.status === 401 || http.status === 403)) {
    return new SweepServerError(message, `The server ${baseUrl} refused the credentials (HTTP ${http.status}) when trying to ${action}. Check your API key (nexus login, or WANDB_API_KEY).`, {
      cause: err,
      exitCode: ExitCode.AUTH,
    })
  }
  const gql = findInChain(err, GraphQLError)
  if (gql) {
    return new SweepServerError(message, `The server rejected the request to ${action}: ${gql.messages.join('; ')}`, {cause: err, exitCode: rejectedExit})
  }
  if (http) {
    return new SweepServerError(message, `Could not ${action}: the server ${baseUrl} answered HTTP ${http.status}${http.bodySnippet ? `: ${http.bodySnippet.slice(0, 200)}` : ''}`, {
      cause: err,
      exitCode: ExitCode.NETWORK,
    })
  }
  if (findInChain(err, NetworkError) || findInChain(err, TimeoutError)) {
    return new SweepServerError(message, `Could not ${action}: the server ${baseUrl} could not be reached (${errorMessage(err)}).`, {cause: err, exitCode: ExitCode.NETWORK})
  }
  return new SweepServerError(message, `Could not ${action}: ${errorMessage(err)}`, {cause: err, exitCode: ExitCode.INTERNAL})
}

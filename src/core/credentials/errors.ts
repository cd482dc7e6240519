/**
 * The errors of the credentials engine. Each is a UserFacingError whose `userText` a CLI prints
 * as is and whose `exitCode` is an ExitCode (USAGE, AUTH, NETWORK or LOCAL_FILE). None of them
 * ever holds an API key.
 */
import {UserFacingError} from '../errors.ts'
import {ExitCode} from '../exit-codes.ts'

/** A server URL that the SDK would refuse (not http/https, app.wandb.ai, a bad Forge address…). */
export class InvalidBaseUrlError extends UserFacingError {
  override name = 'InvalidBaseUrlError'
  readonly url: string
  constructor(url: string, reason: string, o: {source?: string; fromFile?: boolean; cause?: unknown} = {}) {
    const from = o.source ? ` (from ${o.source})` : ''
    super(`credentials: invalid base url ${url}: ${reason}`, `${JSON.stringify(url)}${from} is not a valid W&B server address: ${reason}`, {
      cause: o.cause,
      exitCode: o.fromFile ? ExitCode.LOCAL_FILE : ExitCode.USAGE,
    })
    this.url = url
  }
}

/** A key that fails the SDK's format check; `source` says where it came from. */
export class ApiKeyFormatError extends UserFacingError {
  override name = 'ApiKeyFormatError'
  constructor(problem: string, source: string) {
    super(`credentials: bad api key format from ${source}: ${problem}`, `Invalid API key from ${source}: ${problem}`, {exitCode: ExitCode.AUTH})
  }
}

/** Where the key was supposed to come from is unusable: two sources at once, empty input, unreadable file. */
export class KeyInputError extends UserFacingError {
  override name = 'KeyInputError'
  constructor(userText: string, o: {cause?: unknown; exitCode?: number} = {}) {
    super(`credentials: key input: ${userText}`, userText, {cause: o.cause, exitCode: o.exitCode ?? ExitCode.USAGE})
  }
}

/** No key anywhere and no terminal to ask on. */
export class NoApiKeyError extends UserFacingError {
  override name = 'NoApiKeyError'
  constructor(baseUrl: string) {
    super(`credentials: no api key for ${baseUrl}`, `No API key configured for ${baseUrl}. Run \`nexus login KEY\` (or pipe the key into \`nexus login -\`), or set WANDB_API_KEY.`, {
      exitCode: ExitCode.AUTH,
    })
  }
}

/** A netrc file that Python's netrc module (and so the SDK) cannot parse. */
export class NetrcSyntaxError extends UserFacingError {
  override name = 'NetrcSyntaxError'
  readonly path: string
  readonly line: number
  readonly reason: string
  constructor(path: string, line: number, reason: string) {
    super(`credentials: netrc ${path}:${line}: ${reason}`, `The netrc file ${path} is malformed at line ${line}: ${reason}. Fix or remove that line; the file was not changed.`, {
      exitCode: ExitCode.LOCAL_FILE,
    })
    this.path = path
    this.line = line
    this.reason = reason
  }
}

/** A settings file that Python's configparser (and so the SDK) cannot parse. */
export class SettingsFileSyntaxError extends UserFacingError {
  override name = 'SettingsFileSyntaxError'
  readonly path: string
  readonly line: number
  constructor(path: string, line: number, reason: string) {
    super(`credentials: settings ${path}:${line}: ${reason}`, `The settings file ${path} is malformed at line ${line}: ${reason}. Fix that line; the file was not changed.`, {
      exitCode: ExitCode.LOCAL_FILE,
    })
    this.path = path
    this.line = line
  }
}

/** A netrc or settings file that could not be read or written (permissions, a directory in the way…). */
export class CredentialsFileError extends UserFacingError {
  override name = 'CredentialsFileError'
  readonly path: string
  constructor(action: 'read' | 'write', path: string, cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause)
    super(`credentials: cannot ${action} ${path}: ${detail}`, `Cannot ${action} ${path}: ${detail}`, {cause, exitCode: ExitCode.LOCAL_FILE})
    this.path = path
  }
}

/** The server answered, and said the key is not valid (401/403, GraphQL errors, or no viewer). */
export class ApiKeyRejectedError extends UserFacingError {
  override name = 'ApiKeyRejectedError'
  readonly baseUrl: string
  readonly status: number | undefined
  constructor(baseUrl: string, detail: string, o: {status?: number; cause?: unknown} = {}) {
    super(`credentials: key rejected by ${baseUrl}: ${detail}`, `The API key was rejected by ${baseUrl}: ${detail}. Nothing was written.`, {
      cause: o.cause,
      exitCode: ExitCode.AUTH,
    })
    this.baseUrl = baseUrl
    this.status = o.status
  }
}

/** The server could not be reached, timed out, or kept failing (5xx) during verification. */
export class ServerUnreachableError extends UserFacingError {
  override name = 'ServerUnreachableError'
  readonly baseUrl: string
  constructor(baseUrl: string, detail: string, cause: unknown) {
    super(
      `credentials: cannot verify with ${baseUrl}: ${detail}`,
      `Could not verify the API key with ${baseUrl}: ${detail}. Check the URL and your network; nothing was written. (--no-verify stores the key without checking it.)`,
      {
        cause,
        exitCode: ExitCode.NETWORK,
      },
    )
    this.baseUrl = baseUrl
  }
}

/** `--entity` names an entity the verified account is not a member of. */
export class EntityNotAccessibleError extends UserFacingError {
  override name = 'EntityNotAccessibleError'
  constructor(entity: string, username: string, known: readonly string[]) {
    super(
      `credentials: entity ${entity} not accessible to ${username}`,
      `The account ${username} cannot use the entity ${JSON.stringify(entity)}: it is neither its default entity nor one of its teams (${known.join(', ') || 'none'}). Nothing was written.`,
      {
        exitCode: ExitCode.AUTH,
      },
    )
  }
}

/**
 * The error hierarchy of Nexus.
 *
 * Every error is a named class that keeps its `cause`. `message` is for developers (lowercase,
 * prefixed with the module: "txlog: ..."); `userText`, where present, is what a user is shown
 * (capitalised and punctuated). Classification for retries walks the cause chain.
 */

/** Base class: all Nexus errors extend it so `instanceof WandbError` separates ours from foreign ones. */
export class WandbError extends Error {
  override name = 'WandbError'
  constructor(message: string, options?: {cause?: unknown}) {
    super(message, options)
  }
}

/** An error a user should read: `userText` is the sentence to print, `exitCode` the CLI exit code. */
export class UserFacingError extends WandbError {
  override name = 'UserFacingError'
  readonly userText: string
  readonly exitCode: number
  constructor(message: string, userText: string, options?: {cause?: unknown; exitCode?: number}) {
    super(message, options)
    this.userText = userText
    this.exitCode = options?.exitCode ?? 1
  }
}

/** A command or feature whose engine is not built in this version. */
export class NotImplementedError extends UserFacingError {
  override name = 'NotImplementedError'
  constructor(feature: string) {
    super(`${feature}: not implemented yet`, `\`${feature}\` is not implemented yet in this version of nexus.`, {
      exitCode: 3,
    })
  }
}

/** A malformed frame, header or record: the peer or the file does not follow the format. */
export class ProtocolError extends WandbError {
  override name = 'ProtocolError'
}

/** An HTTP response with a status the caller did not accept. */
export class HttpError extends WandbError {
  override name = 'HttpError'
  readonly status: number
  readonly url: string
  readonly bodySnippet: string
  readonly retryAfterMs: number | undefined
  constructor(status: number, url: string, bodySnippet: string, options?: {cause?: unknown; retryAfterMs?: number}) {
    super(`http: ${status} from ${redactUrl(url)}: ${bodySnippet.slice(0, 200)}`, options)
    this.status = status
    this.url = url
    this.bodySnippet = bodySnippet
    this.retryAfterMs = options?.retryAfterMs
  }
}

/** The request never got a response: connection refused or reset, DNS failure. */
export class NetworkError extends WandbError {
  override name = 'NetworkError'
}

/** A local file of the run could not be written (full disk, read-only file system); keeps the errno `code` in `cause`. */
export class LocalFileError extends WandbError {
  override name = 'LocalFileError'
  constructor(path: string, cause: unknown) {
    super(`cannot write ${path}: ${errorMessage(cause)}`, {cause})
  }
}

/** The request or operation ran past its deadline. */
export class TimeoutError extends WandbError {
  override name = 'TimeoutError'
}

/** Wraps an error that retrying cannot fix (4xx other than 408/429, bad input). */
export class PermanentError extends WandbError {
  override name = 'PermanentError'
  constructor(cause: unknown) {
    super(`permanent: ${errorMessage(cause)}`, {cause})
  }
}

/** True if `err` or anything in its cause chain is a PermanentError. */
export function isPermanent(err: unknown): boolean {
  return findInChain(err, PermanentError) !== undefined
}

/** The first error of class `cls` in the cause chain of `err` (itself included). */
export function findInChain<T extends Error>(err: unknown, cls: abstract new (...args: any[]) => T): T | undefined {
  const seen = new Set<unknown>()
  let cur: unknown = err
  while (cur instanceof Error && !seen.has(cur)) {
    if (cur instanceof cls) return cur
    seen.add(cur)
    cur = (cur as Error).cause
  }
  return undefined
}

/** A short message for any thrown value. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message
  return String(err)
}

/** Removes query strings (signed URL tokens) from a URL before it is logged. */
export function redactUrl(text: string): string {
  return text.replace(/(https?:\/\/[^\s?#'"]*)\?[^\s'"]*/g, '$1?…')
}

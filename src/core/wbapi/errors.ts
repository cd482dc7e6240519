import {WandbError} from '../errors.ts'

/** The document of a graphql_request could not be parsed, so the compat rewrites could not run. */
export class GqlCompatError extends WandbError {
  override name = 'GqlCompatError'
}

/** The identity token file named by `identity_token_file` could not be read. */
export class IdentityTokenError extends WandbError {
  override name = 'IdentityTokenError'
}

/**
 * The token endpoint refused or failed an identity-token exchange. `status` is its HTTP status
 * and `body` its answer (usually an OAuth error and description); never holds a token.
 * `permanent` is true for a 4xx other than 429: the same exchange can never succeed.
 */
export class TokenExchangeError extends WandbError {
  override name = 'TokenExchangeError'
  readonly status: number
  readonly body: string
  readonly permanent: boolean
  constructor(status: number, body: string, options?: {cause?: unknown}) {
    super(`failed to retrieve access token: HTTP ${status}: ${body}`, options)
    this.status = status
    this.body = body
    this.permanent = status >= 400 && status < 500 && status !== 429
  }
}

/** The SDK cancelled an api_request (or its connection ended) before the answer was ready. */
export class RequestCancelledError extends WandbError {
  override name = 'RequestCancelledError'
  constructor(options?: {cause?: unknown}) {
    super('wbapi: the request was cancelled', options)
  }
}

import {HttpError, PermanentError, WandbError} from '../errors.ts'
import type {HttpClient} from './http-client.ts'
import {GRAPHQL_POLICY, type RetryPolicy} from './retry-policy.ts'

/** A GraphQL operation: the document, its name, and its variables. */
export interface GraphQLOperation {
  query: string
  operationName: string
  variables?: Record<string, unknown>
}

/** HTTP 200 with a non-empty `errors` array: the server rejected the operation (never retried). */
export class GraphQLError extends WandbError {
  override name = 'GraphQLError'
  readonly messages: string[]
  constructor(operation: string, messages: string[]) {
    super(`graphql: ${operation}: ${messages.join('; ')}`)
    this.messages = messages
  }
}

/** The raw outcome of a passthrough request: the status and body exactly as the server sent them. */
export interface RawGraphQLResponse {
  status: number
  body: string
}

/**
 * GraphQL over the shared HTTP stack: POST {base}/graphql with `{query, variables, operationName}`.
 * Success means HTTP 200 without `errors`; anything else is an HttpError (after the policy's
 * retries) or a GraphQLError. Adds the X-WANDB-USERNAME / X-WANDB-USER-EMAIL headers Go core sends
 * (also when empty). Safe to use concurrently.
 */
export class GraphQLClient {
  readonly #http: HttpClient
  readonly #headers: Record<string, string>

  constructor(http: HttpClient, opts: {username?: string; email?: string; headers?: Record<string, string>} = {}) {
    this.#http = http
    this.#headers = {
      'content-type': 'application/json',
      'x-wandb-username': opts.username ?? '',
      'x-wandb-user-email': opts.email ?? '',
      ...opts.headers,
    }
  }

  /** Runs `op` and returns its `data`. Throws HttpError, NetworkError, TimeoutError or GraphQLError. */
  async request<T>(op: GraphQLOperation, o: {policy?: RetryPolicy; signal?: AbortSignal} = {}): Promise<T> {
    const res = await this.#http.send({
      method: 'POST',
      url: this.#http.url('graphql'),
      headers: this.#headers,
      body: JSON.stringify({query: op.query, variables: op.variables ?? {}, operationName: op.operationName}),
      policy: o.policy ?? GRAPHQL_POLICY,
      signal: o.signal,
    })
    const text = await res.text()
    if (res.status !== 200) throw new HttpError(res.status, res.url, text)
    let parsed: {data?: T; errors?: Array<{message?: string} | string>}
    try {
      parsed = JSON.parse(text)
    } catch (err) {
      throw new PermanentError(new WandbError(`graphql: ${op.operationName}: response is not JSON`, {cause: err}))
    }
    if (parsed.errors && parsed.errors.length > 0) {
      throw new GraphQLError(
        op.operationName,
        parsed.errors.map((e) => (typeof e === 'string' ? e : (e.message ?? JSON.stringify(e)))),
      )
    }
    return parsed.data as T
  }

  /**
   * Forwards a document as the SDK sent it (operationName "") and returns status and body
   * unchanged; only transport failures throw. Used for the api_request passthrough.
   */
  async passthrough(query: string, variables: unknown, o: {signal?: AbortSignal; headers?: Record<string, string>} = {}): Promise<RawGraphQLResponse> {
    const res = await this.#http.send({
      method: 'POST',
      url: this.#http.url('graphql'),
      headers: {...this.#headers, ...o.headers},
      body: JSON.stringify({query, variables: variables ?? {}, operationName: ''}),
      policy: GRAPHQL_POLICY,
      signal: o.signal,
      // retryable statuses are retried by the stack; the rest come back to the caller as they are
      acceptStatus: (status) => !GRAPHQL_POLICY.retryStatus(status),
    })
    return {status: res.status, body: await res.text()}
  }
}

import type {HttpClient, RetryPolicy} from '../api/index.ts'
import {HttpError, errorMessage} from '../errors.ts'
import {graphqlErrorsFailure, httpFailure} from './graphql-errors.ts'
import {rawMember} from './raw-json.ts'
import type {ApiFailure} from './responses.ts'

/** A GraphQL operation that nexus itself writes (operationName set, variables as a value). */
export interface Operation {
  query: string
  operationName: string
  /** Omitted from the body when undefined, as genqlient does for operations without variables. */
  variables?: Record<string, unknown>
}

/**
 * The outcome of one GraphQL exchange. Success is exactly an HTTP 200 whose body has no
 * `errors`; then `dataJson` is the server's `data` text, byte for byte ("null" when absent). A
 * failure may still carry `data` (a 200 with errors: partial data).
 */
export type GraphQLOutcome<T> = {ok: true; data: T; dataJson: string} | {ok: false; failure: ApiFailure; data?: T}

export interface GraphQLTransportOptions {
  http: HttpClient
  /** GRAPHQL_POLICY with the session's x_graphql_* overrides. */
  policy: RetryPolicy
  /** Sent with every request (lower-case names): content-type, X-WANDB-* and the extra headers. */
  headers: Record<string, string>
}

/**
 * POST {base}/graphql for one wbapi session over the shared HttpClient. Statuses the policy
 * retries (429, 5xx …) are retried; other statuses come back at once as failures carrying the
 * status. Never throws: transport failures (network, timeout, cancellation) become failures with
 * status 0. Safe to use concurrently.
 */
export class GraphQLTransport {
  readonly #o: GraphQLTransportOptions

  constructor(o: GraphQLTransportOptions) {
    this.#o = o
  }

  /** Runs an operation of nexus' own (typed handlers, the Viewer check). */
  execute<T>(op: Operation, signal?: AbortSignal): Promise<GraphQLOutcome<T>> {
    const body = JSON.stringify({query: op.query, ...(op.variables ? {variables: op.variables} : {}), operationName: op.operationName})
    return this.#exchange<T>(body, signal)
  }

  /**
   * Forwards an SDK document with `operationName: ""`. `variablesJson` must be the text of a
   * JSON object; it is embedded as is, so no number in it loses precision.
   */
  forward(query: string, variablesJson: string, signal?: AbortSignal): Promise<GraphQLOutcome<unknown>> {
    return this.#exchange(`{"query":${JSON.stringify(query)},"variables":${variablesJson},"operationName":""}`, signal)
  }

  async #exchange<T>(body: string, signal: AbortSignal | undefined): Promise<GraphQLOutcome<T>> {
    const {http, policy, headers} = this.#o
    let status: number
    let text: string
    try {
      const res = await http.send({
        method: 'POST',
        url: http.url('graphql'),
        headers,
        body,
        policy,
        signal,
        acceptStatus: (s) => !policy.retryStatus(s),
      })
      status = res.status
      text = await res.text()
    } catch (err) {
      if (!(err instanceof HttpError)) return {ok: false, failure: {message: errorMessage(err), httpStatus: 0}}
      // the policy's retries ran out on a retryable status
      status = err.status
      text = err.bodySnippet
    }
    if (status !== 200) return {ok: false, failure: httpFailure(status, text)}
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch (err) {
      return {ok: false, failure: {message: `graphql: the response is not JSON: ${errorMessage(err)}`, httpStatus: 0}}
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      return {ok: false, failure: {message: 'graphql: the response is not a JSON object', httpStatus: 0}}
    }
    const {data, errors} = parsed as {data?: T; errors?: unknown}
    if (Array.isArray(errors) && errors.length > 0) return {ok: false, failure: graphqlErrorsFailure(errors), data}
    return {ok: true, data: data as T, dataJson: rawMember(text, 'data') ?? 'null'}
  }
}

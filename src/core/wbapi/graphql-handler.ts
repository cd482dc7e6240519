import type {ApiResponse, GraphQLRequest} from '../proto.ts'
import {errorMessage} from '../errors.ts'
import {GqlCompatError} from './errors.ts'
import {answer, apiError, failureResponse} from './responses.ts'
import type {SessionTools} from './session-tools.ts'

/**
 * graphql_request: the SDK's raw GraphQL, rewritten for older servers when asked, forwarded with
 * `operationName: ""` and the SDK's variables text unchanged. Success (HTTP 200, no `errors`)
 * answers graphql_response with the server's `data` verbatim; anything else an api_error_response
 * with the server's messages and HTTP status.
 */
export async function handleGraphQL(t: SessionTools, req: GraphQLRequest, signal: AbortSignal): Promise<ApiResponse> {
  const variables = variablesText(req.variables_json)
  if (typeof variables !== 'string') return apiError(`decode GraphQL variables: ${variables.error}`)
  let query: string
  try {
    // loaded on first use: the graphql package is a sizeable part of every nexus start
    const {rewriteQuery} = await import('./gql-compat.ts')
    query = rewriteQuery(req.query, {
      omitVariables: req.omit_variables,
      omitFragments: req.omit_fragments,
      omitFields: req.omit_fields,
      renameFields: req.rename_fields,
    })
  } catch (err) {
    if (err instanceof GqlCompatError) return apiError(err.message)
    throw err
  }
  const outcome = await t.gql.forward(query, variables, signal)
  if (!outcome.ok) return failureResponse(outcome.failure)
  return answer('graphql_response', {data_json: outcome.dataJson})
}

/** The variables to embed: the SDK's JSON object text ("{}" when empty), or why it is unusable. */
function variablesText(json: string): string | {error: string} {
  const text = json.trim()
  if (text === '') return '{}'
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    return {error: errorMessage(err)}
  }
  if (value !== null && (typeof value !== 'object' || Array.isArray(value))) return {error: 'the variables are not a JSON object'}
  return text
}

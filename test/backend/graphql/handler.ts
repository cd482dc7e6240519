/**
 * `POST /graphql`: parse the request body and document (the operation name is needed before
 * execution, for fault rules and the request log), then execute it in one SQLite transaction.
 * Answers are HTTP 200 with `{data, errors?}`; a document naming a root field this backend does
 * not implement gets a GraphQL error (and is logged loudly), never a 5xx.
 */
import {Kind, parse, type DocumentNode, type OperationDefinitionNode} from 'graphql'
import type {RequestLog} from '../request-log.ts'
import type {Ctx} from './context.ts'
import {execute, pickOperation} from './executor.ts'
import {ROOT, executorConfig} from './resolvers/index.ts'

/** A parsed GraphQL request, ready to execute. */
export interface GraphqlRequest {
  doc: DocumentNode
  operation: OperationDefinitionNode
  variables: Record<string, unknown>
  /** The operation's name from the document, else its root fields joined by "+". */
  name: string
  rootFields: string[]
}

/** Parses a request body; returns an error message (answered with HTTP 400) when it is unusable. */
export function parseGraphqlRequest(bytes: Uint8Array): GraphqlRequest | {error: string} {
  let body: {query?: unknown; variables?: unknown; operationName?: unknown}
  try {
    body = JSON.parse(new TextDecoder().decode(bytes))
  } catch (e) {
    return {error: `request body is not JSON: ${(e as Error).message}`}
  }
  if (typeof body?.query !== 'string') return {error: 'request body has no "query" string'}
  let doc: DocumentNode
  try {
    doc = parse(body.query)
  } catch (e) {
    return {error: `GraphQL syntax error: ${(e as Error).message}`}
  }
  const operation = pickOperation(doc, typeof body.operationName === 'string' ? body.operationName : null)
  if (!operation) return {error: 'no operation to execute (unknown operationName or several unnamed operations)'}
  const rootFields = operation.selectionSet.selections.flatMap((s) => (s.kind === Kind.FIELD ? [s.name.value] : []))
  const variables = body.variables && typeof body.variables === 'object' ? (body.variables as Record<string, unknown>) : {}
  return {doc, operation, variables, name: operation.name?.value ?? rootFields.join('+'), rootFields}
}

/**
 * Executes a parsed request in one transaction. Unknown root fields make the whole request fail
 * with a GraphQL error (HTTP 200); unknown nested fields resolve to null. Both are recorded in
 * `log.noteUnknown` and reported on stderr the first time they are seen.
 */
export function executeGraphql(req: GraphqlRequest, ctx: Ctx, log: RequestLog): {status: number; body: unknown} {
  const unknown = req.rootFields.filter((f) => f !== '__typename' && !(f in ROOT))
  if (unknown.length > 0) {
    for (const f of unknown) log.noteUnknown('operation', f, req.name)
    console.error(`[backend] UNKNOWN GraphQL operation ${req.name}: root field(s) ${unknown.join(', ')} not implemented`)
    return {status: 200, body: {data: null, errors: unknown.map((f) => ({message: `Cannot query field "${f}" on type "Query" (not implemented by the local backend)`}))}}
  }
  const config = executorConfig((typename, field) => {
    if (log.noteUnknown('field', `${typename}.${field}`, req.name)) {
      console.error(`[backend] unknown GraphQL field ${typename}.${field} in ${req.name} → null`)
    }
  })
  const result = ctx.store.tx(() => execute(req.doc, req.operation, req.variables, ctx, config))
  const body: Record<string, unknown> = {data: result.data}
  if (result.errors) body.errors = result.errors
  return {status: result.httpStatus ?? 200, body}
}

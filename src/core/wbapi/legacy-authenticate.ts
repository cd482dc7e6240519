import {GRAPHQL_POLICY, HttpClient, VIEWER_QUERY, basicAuthorization} from '../api/index.ts'
import {errorMessage} from '../errors.ts'
import type {Logger} from '../observability/index.ts'
import type {ServerAuthenticateRequest, ServerAuthenticateResponse} from '../proto.ts'
import {abortable} from './abortable.ts'
import type {ViewerData} from './auth-handler.ts'
import {GraphQLTransport} from './graphql-transport.ts'

/**
 * The legacy ServerAuthenticateRequest: a Viewer query to `base_url` with `api_key` (no extra
 * headers). Answers the viewer's entity, or error_status "Invalid credentials" when no viewer
 * with an entity came back (whatever the reason), "Invalid URL: …" for a bad base URL. The
 * request's _info is echoed. Never rejects; resolves early with "Invalid credentials" on abort.
 */
export async function legacyAuthenticate(req: ServerAuthenticateRequest, o: {logger: Logger; fetch?: typeof fetch}, signal: AbortSignal): Promise<ServerAuthenticateResponse> {
  const reply = (fields: Partial<ServerAuthenticateResponse>): ServerAuthenticateResponse => ({
    default_entity: '',
    error_status: '',
    ...fields,
    ...(req._info ? {_info: req._info} : {}),
  })
  let http: HttpClient
  try {
    const authorization = basicAuthorization(req.api_key)
    http = new HttpClient({baseUrl: req.base_url, authorization: () => authorization, logger: o.logger, fetch: o.fetch})
  } catch (err) {
    return reply({error_status: `Invalid URL: ${errorMessage(err)}`})
  }
  const gql = new GraphQLTransport({http, policy: GRAPHQL_POLICY, headers: {'content-type': 'application/json'}})
  let entity: unknown
  try {
    const outcome = await abortable(gql.execute<ViewerData>({query: VIEWER_QUERY, operationName: 'Viewer'}, signal), signal)
    entity = outcome.data?.viewer?.entity
    if (!outcome.ok) o.logger.debug('wbapi: legacy authenticate: viewer query failed', {error: outcome.failure.message})
  } catch (err) {
    o.logger.debug('wbapi: legacy authenticate: cancelled', {error: errorMessage(err)})
  }
  return typeof entity === 'string' ? reply({default_entity: entity}) : reply({error_status: 'Invalid credentials'})
}

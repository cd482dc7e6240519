import {VIEWER_QUERY} from '../api/index.ts'
import type {ApiResponse, AuthRequest, AuthenticateResponse} from '../proto.ts'
import {errorMessage} from '../errors.ts'
import {answer, apiError, failureResponse, type ApiFailure} from './responses.ts'
import type {SessionTools} from './session-tools.ts'

/** The Viewer query's answer; any field may be null for unusual accounts and old servers. */
export interface ViewerData {
  viewer?: {
    id?: string | null
    entity?: string | null
    username?: string | null
    email?: string | null
    flags?: unknown
    teams?: {edges?: Array<{node?: {name?: string | null} | null} | null> | null} | null
  } | null
}

/** auth_request: the login check (authenticate_request) or the federated access token. */
export async function handleAuth(t: SessionTools, req: AuthRequest, signal: AbortSignal): Promise<ApiResponse> {
  switch (req.request.oneofKind) {
    case 'authenticate_request':
      return authenticate(t, signal)
    case 'get_access_token_request':
      return accessToken(t, signal)
    default:
      return apiError('unsupported auth request type')
  }
}

/**
 * Asks the server who the credentials belong to. Valid exactly when it resolves a viewer: errors
 * on other fields (partial data) do not invalidate the credentials.
 */
async function authenticate(t: SessionTools, signal: AbortSignal): Promise<ApiResponse> {
  const outcome = await t.gql.execute<ViewerData>({query: VIEWER_QUERY, operationName: 'Viewer'}, signal)
  const viewer = outcome.data?.viewer
  if (!viewer) {
    if (!outcome.ok) return failureResponse(credentialFailure(outcome.failure))
    return apiError('invalid credentials: the server did not recognize an account for the configured credentials')
  }
  const flags = viewer.flags
  const response: AuthenticateResponse = {
    default_entity: viewer.entity ?? '',
    username: viewer.username ?? '',
    email: viewer.email ?? '',
    flags_json: typeof flags === 'string' ? flags : flags === null || flags === undefined ? '' : JSON.stringify(flags),
    teams: (viewer.teams?.edges ?? []).flatMap((edge) => (edge?.node ? [edge.node.name ?? ''] : [])),
  }
  return answer('auth_response', {response: {oneofKind: 'authenticate_response', authenticate_response: response}})
}

/** A rejection of the credentials (401/403) says so, whatever the body holds. */
function credentialFailure(failure: ApiFailure): ApiFailure {
  if (failure.httpStatus !== 401 && failure.httpStatus !== 403) return failure
  return {...failure, message: `invalid credentials (HTTP ${failure.httpStatus}): ${failure.message}`}
}

/** The federated-identity access token; empty for API-key and anonymous sessions. */
async function accessToken(t: SessionTools, signal: AbortSignal): Promise<ApiResponse> {
  let token = ''
  if (t.credentials.accessToken) {
    try {
      token = await t.credentials.accessToken(signal)
    } catch (err) {
      return apiError(errorMessage(err))
    }
  }
  return answer('auth_response', {response: {oneofKind: 'get_access_token_response', get_access_token_response: {access_token: token}}})
}

import type {ApiRequest, ServerApiCleanupRequest, ServerApiInitRequest, ServerAuthenticateRequest} from '../../proto.ts'
import {ServerResponse} from '../../proto.ts'
import type {RequestEnv} from './stream-requests.ts'

/** api_init_request: open a public-API session with the given settings. */
export function apiInit(req: ServerApiInitRequest, env: RequestEnv): void {
  const response = env.ctx.api.init(req)
  env.conn.responder(env.requestId).respond(ServerResponse.create({server_response_type: {oneofKind: 'api_init_response', api_init_response: response}}))
}

/** api_request: answered asynchronously so a slow request never blocks the connection. */
export function apiRequest(req: ApiRequest, env: RequestEnv): void {
  const responder = env.conn.responder(env.requestId)
  void env.ctx.api.handle(req, responder.signal).then((response) => {
    if (response && env.requestId) {
      responder.respond(ServerResponse.create({server_response_type: {oneofKind: 'api_response', api_response: response}}))
    }
  })
}

/** api_cleanup_request: forget a session (no response). */
export function apiCleanup(req: ServerApiCleanupRequest, env: RequestEnv): void {
  env.ctx.api.cleanup(req.api_id)
}

/** authenticate (legacy): Viewer query; unlike Go, the answer carries the request_id. */
export function authenticate(req: ServerAuthenticateRequest, env: RequestEnv): void {
  const responder = env.conn.responder(env.requestId)
  void env.ctx.api
    .authenticate(req, responder.signal)
    .then((response) => responder.respond(ServerResponse.create({server_response_type: {oneofKind: 'authenticate_response', authenticate_response: response}})))
}

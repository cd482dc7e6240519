import type {ServerInitSyncRequest, ServerSyncRequest, ServerSyncStatusRequest} from '../../proto.ts'
import {ServerResponse} from '../../proto.ts'
import type {RequestEnv} from './stream-requests.ts'

/** init_sync: register the files; answered at once with the operation id. */
export function initSync(req: ServerInitSyncRequest, env: RequestEnv): void {
  env.conn.responder(env.requestId).respond(ServerResponse.create({server_response_type: {oneofKind: 'init_sync_response', init_sync_response: env.ctx.sync.init(req)}}))
}

/** sync: runs in the background; answered when the replay is done. */
export function sync(req: ServerSyncRequest, env: RequestEnv): void {
  const responder = env.conn.responder(env.requestId)
  void env.ctx.sync.sync(req, responder.signal).then((response) => responder.respond(ServerResponse.create({server_response_type: {oneofKind: 'sync_response', sync_response: response}})))
}

/** sync_status: progress of a running sync. */
export function syncStatus(req: ServerSyncStatusRequest, env: RequestEnv): void {
  env.conn.responder(env.requestId).respond(ServerResponse.create({server_response_type: {oneofKind: 'sync_status_response', sync_status_response: env.ctx.sync.status(req)}}))
}

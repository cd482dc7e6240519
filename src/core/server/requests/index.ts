/**
 * The ServerRequest dispatch table: one handler per `server_request_type` case of wandb 0.31.
 * The mapped type makes the table exhaustive: a new case in the schema fails the typecheck.
 */
import type {ServerRequest} from '../../proto.ts'
import type {Connection} from '../connection.ts'
import type {ServiceContext} from '../service-context.ts'
import {apiCleanup, apiInit, apiRequest, authenticate} from './api-requests.ts'
import {errorResponse} from './responses.ts'
import {sweepSchedulerInit, sweepSchedulerNextTask, sweepSchedulerStop} from './scheduler-requests.ts'
import {informAttach, informDetach, informFinish, informInit, informTeardown, publishRecord, type RequestEnv} from './stream-requests.ts'
import {initSync, sync, syncStatus} from './sync-requests.ts'

type RequestType = ServerRequest['server_request_type']
type Kind = NonNullable<RequestType['oneofKind']>
type Payload<K extends Kind> = Extract<RequestType, {oneofKind: K}> extends infer C ? (C extends Record<K, infer P> ? P : never) : never
type Handler<K extends Kind> = (payload: Payload<K>, env: RequestEnv) => void | Promise<void>

const HANDLERS: {[K in Kind]: Handler<K>} = {
  cancel: (req, env) => env.conn.cancel(req.request_id),
  record_publish: publishRecord,
  record_communicate: publishRecord,
  inform_init: informInit,
  inform_finish: informFinish,
  inform_attach: informAttach,
  inform_detach: informDetach,
  inform_teardown: informTeardown,
  authenticate,
  init_sync: initSync,
  sync,
  sync_status: syncStatus,
  api_init_request: apiInit,
  api_cleanup_request: apiCleanup,
  api_request: apiRequest,
  sweep_scheduler_init: sweepSchedulerInit,
  sweep_scheduler_next_task: sweepSchedulerNextTask,
  sweep_scheduler_stop: sweepSchedulerStop,
}

/** Dispatches one request through the table; a request with no case set is answered with an error. */
export async function dispatchServerRequest(request: ServerRequest, conn: Connection, ctx: ServiceContext): Promise<void> {
  const type = request.server_request_type
  const env: RequestEnv = {requestId: request.request_id, conn, ctx}
  if (type.oneofKind === undefined) {
    ctx.logger.warn('server: request with no type', {request_id: request.request_id})
    if (request.request_id) conn.responder(request.request_id).respond(errorResponse('request has no type'))
    return
  }
  if (type.oneofKind !== 'record_publish' && type.oneofKind !== 'record_communicate' && type.oneofKind !== 'cancel') {
    ctx.logger.debug('server: request', {type: type.oneofKind, connection_id: conn.id})
  }
  const handler = HANDLERS[type.oneofKind] as (payload: unknown, env: RequestEnv) => void | Promise<void>
  await handler((type as Record<string, unknown>)[type.oneofKind], env)
}

export {errorResponse, resultOf, resultResponse} from './responses.ts'

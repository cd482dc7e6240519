import type {Record, ServerInformAttachRequest, ServerInformDetachRequest, ServerInformFinishRequest, ServerInformInitRequest, ServerInformTeardownRequest} from '../../proto.ts'
import {ServerResponse} from '../../proto.ts'
import type {Connection} from '../connection.ts'
import type {ServiceContext} from '../service-context.ts'
import {errorResponse} from './responses.ts'

export interface RequestEnv {
  requestId: string
  conn: Connection
  ctx: ServiceContext
}

/** inform_init: create and start the run's stream; a live run id is refused. */
export function informInit(req: ServerInformInitRequest, env: RequestEnv): void {
  const id = req._info?.stream_id ?? ''
  const responder = env.conn.responder(env.requestId)
  if (env.ctx.streams.get(id)) {
    responder.respond(errorResponse(`run ID ${id} is in use`))
    return
  }
  if (!req.settings) {
    responder.respond(errorResponse('inform_init without settings'))
    return
  }
  try {
    env.ctx.streams.add(env.ctx.createStream(req.settings, id))
  } catch (err) {
    env.ctx.logger.captureError('server: cannot start stream', err, {stream_id: id})
    responder.respond(errorResponse(`cannot start run ${id}: ${(err as Error).message}`))
    return
  }
  env.ctx.logger.info('server: stream started', {stream_id: id})
  responder.respond(ServerResponse.create({}))
}

/** record_publish / record_communicate: route to the run's stream. */
export async function publishRecord(record: Record, env: RequestEnv): Promise<void> {
  const id = record._info?.stream_id ?? ''
  const stream = env.ctx.streams.get(id)
  const responder = env.requestId ? env.conn.responder(env.requestId) : undefined
  if (!stream) {
    env.ctx.logger.warn('server: record for an unknown stream', {stream_id: id, type: record.record_type.oneofKind})
    // Go drops these silently; an answer keeps a waiting SDK from hanging.
    responder?.respond(errorResponse(`run ${id} is not active in this service`))
    return
  }
  await stream.handle(record, responder)
}

/** inform_finish: close the run's stream and wait for it to drain (synchronously, as Go does). */
export async function informFinish(req: ServerInformFinishRequest, env: RequestEnv): Promise<void> {
  const id = req._info?.stream_id ?? ''
  const stream = env.ctx.streams.remove(id)
  env.ctx.logger.info('server: inform_finish received', {stream_id: id, known: stream !== undefined})
  if (stream) await stream.close()
  else env.ctx.logger.warn('server: inform_finish for an unknown stream', {stream_id: id})
  env.ctx.logger.info('server: stream closed', {stream_id: id})
  if (env.requestId) {
    env.conn.responder(env.requestId).respond(ServerResponse.create({server_response_type: {oneofKind: 'inform_finish_response', inform_finish_response: {}}}))
  }
}

/** inform_attach: a second process (multiprocessing) joins a run; answers with the run's settings. */
export function informAttach(req: ServerInformAttachRequest, env: RequestEnv): void {
  const id = req._info?.stream_id ?? ''
  const stream = env.ctx.streams.get(id)
  const responder = env.conn.responder(env.requestId)
  if (!stream) {
    responder.respond(errorResponse(`run ${id} does not belong to this service`))
    return
  }
  responder.respond(
    ServerResponse.create({
      server_response_type: {oneofKind: 'inform_attach_response', inform_attach_response: {_info: req._info, settings: stream.settings}},
    }),
  )
}

/** inform_detach: nothing to do (Go closes the connection; we answer if asked). */
export function informDetach(_req: ServerInformDetachRequest, env: RequestEnv): void {
  if (!env.requestId) return
  env.conn.responder(env.requestId).respond(ServerResponse.create({server_response_type: {oneofKind: 'inform_detach_response', inform_detach_response: {}}}))
}

/** inform_teardown: finish every run and stop the service. */
export async function informTeardown(req: ServerInformTeardownRequest, env: RequestEnv): Promise<void> {
  await env.ctx.teardown(req.exit_code)
  if (env.requestId) {
    env.conn.responder(env.requestId).respond(ServerResponse.create({server_response_type: {oneofKind: 'inform_teardown_response', inform_teardown_response: {}}}))
  }
}

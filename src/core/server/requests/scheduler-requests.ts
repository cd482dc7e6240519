/**
 * The sweep-scheduler requests (`wandb sweep-scheduler`): init opens a scheduler session for the
 * connection, next_task is the client's long poll for its next task, stop (fire and forget) asks
 * the session to finish its step. One SessionBroker per service; a session ends with the
 * connection that opened it.
 */
import {errorMessage} from '../../errors.ts'
import {ServerResponse} from '../../proto.ts'
import {SessionBroker, openScheduler} from '../../sweeps/scheduler/index.ts'
import type {InitRequest, NextTaskRequest, StopRequest} from '../../sweeps/scheduler/protocol.ts'
import type {Connection} from '../connection.ts'
import type {ServiceContext} from '../service-context.ts'
import {errorResponse} from './responses.ts'
import type {RequestEnv} from './stream-requests.ts'

const brokers = new WeakMap<ServiceContext, SessionBroker>()
const lifetimes = new WeakMap<Connection, AbortSignal>()

/** The service's broker, made on first use. */
function brokerOf(ctx: ServiceContext): SessionBroker {
  let broker = brokers.get(ctx)
  if (!broker) {
    broker = new SessionBroker((request, signal, logger) => openScheduler(request, signal, logger), ctx.logger)
    brokers.set(ctx, broker)
  }
  return broker
}

/** A signal that aborts when the connection has ended. */
function lifetimeOf(conn: Connection): AbortSignal {
  let signal = lifetimes.get(conn)
  if (!signal) {
    const ctl = new AbortController()
    void conn.done.finally(() => ctl.abort(new Error('connection closed')))
    signal = ctl.signal
    lifetimes.set(conn, signal)
  }
  return signal
}

/** sweep_scheduler_init: network calls, so answered asynchronously; failures are error responses. */
export function sweepSchedulerInit(req: InitRequest, env: RequestEnv): void {
  const responder = env.conn.responder(env.requestId)
  void brokerOf(env.ctx)
    .init(req, lifetimeOf(env.conn), responder.signal)
    .then(
      (response) => responder.respond(ServerResponse.create({server_response_type: {oneofKind: 'sweep_scheduler_init_response', sweep_scheduler_init_response: response}})),
      (err) => {
        env.ctx.logger.warn('scheduler: init failed', {error: errorMessage(err)})
        responder.respond(errorResponse(errorMessage(err)))
      },
    )
}

/** sweep_scheduler_next_task: a long poll; a cancelled poll gets no answer. */
export function sweepSchedulerNextTask(req: NextTaskRequest, env: RequestEnv): void {
  const responder = env.conn.responder(env.requestId)
  void brokerOf(env.ctx)
    .nextTask(req, responder.signal)
    .then(
      (task) => {
        if (task) responder.respond(ServerResponse.create({server_response_type: {oneofKind: 'sweep_scheduler_next_task_response', sweep_scheduler_next_task_response: task}}))
      },
      (err) => {
        env.ctx.logger.captureError('scheduler: next task failed', err)
        responder.respond(errorResponse(errorMessage(err)))
      },
    )
}

/** sweep_scheduler_stop: published, never answered. */
export function sweepSchedulerStop(req: StopRequest, env: RequestEnv): void {
  brokerOf(env.ctx).stop(req)
}

/**
 * The scheduler sessions of one service process (Go's IPCSessionBroker). `init` opens a session
 * ("scheduler-N") for a sweep that has no live one; a session lives until it issues a Done task
 * or the connection that created it ends (then its scheduler is stopped). A poll for an id this
 * process does not know gets a Done(FATAL_ERROR) task, as after a service restart.
 */
import type {Logger} from '../../observability/index.ts'
import {AlreadyScheduledError} from './errors.ts'
import {DoneReason, doneTask, type InitRequest, type InitResponse, type NextTaskRequest, type StopRequest, type Task} from './protocol.ts'
import {SessionStateMachine, type TaskResolver} from './session-state-machine.ts'

/** Builds a session's resolver and the init response (network calls; throws a reportable error). */
export type ResolverFactory = (request: InitRequest, signal: AbortSignal, logger: Logger) => Promise<{resolver: TaskResolver; response: InitResponse}>

interface Session {
  id: string
  sweepKey: string
  machine: SessionStateMachine
  ended: boolean
}

export class SessionBroker {
  readonly #factory: ResolverFactory
  readonly #logger: Logger
  readonly #sessions = new Map<string, Session>()
  readonly #bySweep = new Map<string, string>()
  #nextId = 0

  constructor(factory: ResolverFactory, logger: Logger) {
    this.#factory = factory
    this.#logger = logger
  }

  /** Open sessions. */
  get size(): number {
    return this.#sessions.size
  }

  /**
   * Starts a session. `connection` ends with the creating connection (and the session with it);
   * `signal` bounds the init's own network calls. Rejects with the error the client is shown.
   */
  async init(request: InitRequest, connection: AbortSignal, signal: AbortSignal): Promise<InitResponse> {
    const sweepKey = `${request.entity}/${request.project}/${request.sweep_id}`
    if (this.#live(sweepKey)) throw new AlreadyScheduledError()
    const {resolver, response} = await this.#factory(request, AbortSignal.any([connection, signal]), this.#logger.with({sweep: sweepKey}))
    if (this.#live(sweepKey) || connection.aborted) {
      // a concurrent init for the same sweep won the race, or the client is already gone
      resolver.stop()
      throw new AlreadyScheduledError()
    }
    const id = `scheduler-${this.#nextId++}`
    const session: Session = {id, sweepKey, machine: new SessionStateMachine(resolver, this.#logger.with({id, sweep: sweepKey})), ended: false}
    this.#sessions.set(id, session)
    this.#bySweep.set(sweepKey, id)
    connection.addEventListener(
      'abort',
      () => {
        session.machine.stop()
        if (this.#drop(session)) this.#logger.debug('scheduler: session dropped, its client is gone', {id, sweep: sweepKey})
      },
      {once: true},
    )
    this.#logger.info('scheduler: session started', {id, sweep: sweepKey})
    return {...response, session_id: id}
  }

  /** Reports the previous result and waits for the next task; undefined when the poll was abandoned. */
  async nextTask(request: NextTaskRequest, signal: AbortSignal): Promise<Task | undefined> {
    const session = this.#sessions.get(request.session_id)
    if (!session) {
      this.#logger.warn('scheduler: poll for unknown scheduler id', {id: request.session_id})
      return doneTask(DoneReason.FATAL_ERROR, 'unknown scheduler id; wandb-core may have restarted. Rerun the scheduler to resume the sweep.')
    }
    const task = await session.machine.nextTask(signal, request.result)
    if (task?.task.oneofKind === 'done') {
      if (this.#drop(session)) this.#logger.info('scheduler: session finished', {id: session.id, sweep: session.sweepKey, reason: DoneReason[task.task.done.reason]})
    }
    return task
  }

  /** Asks a session to finish its step and stop; unknown ids are ignored (fire and forget). */
  stop(request: StopRequest): void {
    const session = this.#sessions.get(request.session_id)
    if (!session) {
      this.#logger.debug('scheduler: stop for unknown scheduler id', {id: request.session_id})
      return
    }
    this.#logger.info('scheduler: stop requested', {id: request.session_id})
    session.machine.stop()
  }

  /** Stops every session (service shutdown). */
  close(): void {
    for (const session of [...this.#sessions.values()]) {
      session.machine.stop()
      this.#drop(session)
    }
  }

  #live(sweepKey: string): Session | undefined {
    const id = this.#bySweep.get(sweepKey)
    const session = id === undefined ? undefined : this.#sessions.get(id)
    return session && !session.ended ? session : undefined
  }

  /** Forgets the session; false when it was already forgotten. */
  #drop(session: Session): boolean {
    if (this.#sessions.get(session.id) !== session) return false
    session.ended = true
    this.#sessions.delete(session.id)
    if (this.#bySweep.get(session.sweepKey) === session.id) this.#bySweep.delete(session.sweepKey)
    return true
  }
}

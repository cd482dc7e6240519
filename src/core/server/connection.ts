import type {Socket} from 'node:net'
import {errorMessage} from '../errors.ts'
import type {Logger} from '../observability/index.ts'
import {ServerRequest, ServerResponse} from '../proto.ts'
import {Channel} from '../runtime/index.ts'
import {encodeFrame, FrameDecoder} from './framing.ts'
import {SocketResponder, type Responder} from './responder.ts'

/** Requests queued per connection before the socket is paused (Go: inChan of 32). */
const INBOX_CAPACITY = 32

/** What a connection hands each decoded request to. Called sequentially, in arrival order. */
export type RequestDispatcher = (request: ServerRequest, conn: Connection) => Promise<void>

/**
 * One SDK connection: decodes frames into ServerRequests and dispatches them one at a time, in
 * order (so backpressure from a busy run reaches the client socket), and writes responses.
 * A malformed frame closes this connection with a logged error; the service goes on.
 * `done` resolves when the connection has ended and its requests have been dispatched.
 */
export class Connection {
  readonly id: number
  readonly done: Promise<void>
  #socket: Socket
  #logger: Logger
  #inbox = new Channel<ServerRequest>(INBOX_CAPACITY)
  #pending = new Map<string, AbortController>()
  #closed = false
  #paused = false
  #frames = 0
  #enqueued: Promise<unknown> = Promise.resolve()

  constructor(id: number, socket: Socket, dispatch: RequestDispatcher, logger: Logger) {
    this.id = id
    this.#socket = socket
    this.#logger = logger.with({connection_id: id})
    const decoder = new FrameDecoder()
    socket.on('data', (chunk: Buffer) => {
      let frames: Uint8Array[]
      try {
        frames = decoder.push(chunk)
      } catch (err) {
        this.#logger.captureError('connection: bad frame, closing the connection', err)
        this.close()
        return
      }
      this.#frames += frames.length
      for (const frame of frames) {
        let request: ServerRequest
        try {
          request = ServerRequest.fromBinary(frame)
        } catch (err) {
          this.#logger.captureError('connection: frame is not a ServerRequest, closing the connection', err, {bytes: frame.length})
          this.close()
          return
        }
        // Chained so that order is kept and a full inbox waits instead of dropping; the peer
        // closing its end must not lose frames still queued here (inform_teardown comes last).
        this.#enqueued = this.#enqueued.then(() => this.#inbox.send(request))
        if (this.#inbox.size >= INBOX_CAPACITY && !this.#paused) {
          this.#paused = true
          socket.pause()
        }
      }
    })
    socket.on('error', (err) => this.#logger.info('connection: socket error', {error: err.message}))
    socket.on('close', () => {
      this.#logger.info('connection: peer closed', {frames: this.#frames})
      this.#abortPending()
      void this.#enqueued.then(() => this.close())
    })
    this.done = this.#run(dispatch)
  }

  /** Creates the Responder for a request id (registering it for cancellation). */
  responder(requestId: string): Responder {
    const ctl = new AbortController()
    if (requestId !== '') {
      this.#pending.get(requestId)?.abort(new Error('request id reused'))
      this.#pending.set(requestId, ctl)
    }
    return new SocketResponder(requestId, ctl.signal, (response) => {
      if (this.#pending.get(requestId) === ctl) this.#pending.delete(requestId)
      this.send(response)
    })
  }

  /** Aborts the request with this id (ServerCancelRequest); unknown ids are ignored. */
  cancel(requestId: string): void {
    const ctl = this.#pending.get(requestId)
    if (!ctl) return
    this.#pending.delete(requestId)
    ctl.abort(new Error('cancelled by the client'))
  }

  /** Writes one response frame; dropped (logged) if the connection is gone. */
  send(response: ServerResponse): void {
    if (this.#closed || this.#socket.destroyed) {
      this.#logger.debug('connection: dropping a response for a closed connection', {request_id: response.request_id})
      return
    }
    this.#socket.write(encodeFrame(ServerResponse.toBinary(response)))
  }

  /** Ends the connection; pending requests are aborted. Idempotent. */
  close(): void {
    if (this.#closed) return
    this.#closed = true
    this.#inbox.close()
    this.#abortPending()
    this.#socket.end()
    this.#socket.destroySoon?.()
  }

  #abortPending(): void {
    for (const ctl of this.#pending.values()) ctl.abort(new Error('connection closed'))
    this.#pending.clear()
  }

  get closed(): boolean {
    return this.#closed
  }

  async #run(dispatch: RequestDispatcher): Promise<void> {
    this.#logger.info('connection: opened')
    let dispatched = 0
    for await (const request of this.#inbox) {
      dispatched++
      // Track pausing ourselves: Bun's socket.isPaused() does not report pause() reliably.
      if (this.#paused && this.#inbox.size < INBOX_CAPACITY / 2) {
        this.#paused = false
        this.#socket.resume()
      }
      try {
        await dispatch(request, this)
      } catch (err) {
        this.#logger.captureError(`connection: handling ${request.server_request_type.oneofKind} failed`, err)
        if (request.request_id) {
          this.responder(request.request_id).respond(ServerResponse.create({server_response_type: {oneofKind: 'error_response', error_response: {message: errorMessage(err)}}}))
        }
      }
    }
    this.#logger.info('connection: ended', {dispatched})
  }
}

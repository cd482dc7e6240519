import {ServerResponse} from '../proto.ts'

/**
 * The way back to the SDK for one request: `respond()` sets the request_id and sends; only the
 * first call counts (later ones are ignored, as Go core's Request.Respond does). `signal` aborts
 * when the SDK cancels the request (ServerCancelRequest) or the connection ends.
 */
export interface Responder {
  readonly requestId: string
  readonly signal: AbortSignal
  readonly responded: boolean
  respond(response: ServerResponse): void
}

/** A Responder that writes through `send`, guarding against double answers. */
export class SocketResponder implements Responder {
  readonly requestId: string
  readonly signal: AbortSignal
  #send: (response: ServerResponse) => void
  #responded = false

  constructor(requestId: string, signal: AbortSignal, send: (response: ServerResponse) => void) {
    this.requestId = requestId
    this.signal = signal
    this.#send = send
  }

  get responded(): boolean {
    return this.#responded
  }

  respond(response: ServerResponse): void {
    if (this.#responded) return
    this.#responded = true
    // A cancelled request's answer is never read; writing it anyway can leave unread bytes in
    // the SDK's socket when it closes, which resets the connection and loses its last frames
    // (inform_teardown).
    if (this.signal.aborted) return
    this.#send({...response, request_id: this.requestId})
  }
}

/** A Responder whose answer is captured in memory (teardown's synthetic exit, sync's replay). */
export class CapturingResponder implements Responder {
  readonly requestId = ''
  readonly signal: AbortSignal
  readonly answer: Promise<ServerResponse>
  #resolve!: (r: ServerResponse) => void
  #responded = false

  constructor(signal: AbortSignal = new AbortController().signal) {
    this.signal = signal
    this.answer = new Promise((r) => (this.#resolve = r))
  }

  get responded(): boolean {
    return this.#responded
  }

  respond(response: ServerResponse): void {
    if (this.#responded) return
    this.#responded = true
    this.#resolve(response)
  }
}

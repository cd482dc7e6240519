import type {Socket} from 'node:net'
import {ProtocolError} from '../errors.ts'
import {encodeFrame, FrameDecoder} from '../server/framing.ts'

/**
 * The control protocol between a stand-in (the process the SDK launched) and the node service:
 * one JSON object per frame, framed as the SDK's protocol is. A stand-in opens one session and
 * keeps the connection for its lifetime.
 */
export type StandInMessage =
  | {
      op: 'open'
      /** The stand-in's buildIdentity(); a node of another build refuses the session. */
      build: string
      key: string
      parentPid: number
      portFilename: string
      listenOnLocalhost: boolean
    }
  /** The stand-in got this signal: the session handles it as a private service would. */
  | {op: 'signal'; signal: NodeJS.Signals}
  /** The stand-in's parent (the SDK's process) is gone. */
  | {op: 'parent-gone'}

export type NodeMessage =
  /** The session listens; the port file is written. */
  | {op: 'opened'; session: number; pid: number}
  | {op: 'refused'; reason: string}
  /** A footer line for the stand-in's stdout (the SDK's terminal). */
  | {op: 'print'; line: string}
  /** The session ended: the stand-in exits with this code, as the private service would. */
  | {op: 'exit'; code: number}

/** Where a channel writes: a node:net socket on the node's side, a Bun socket on the stand-in's. */
export interface ControlSink {
  write(bytes: Uint8Array): void
  end(): void
}

/**
 * A framed JSON channel. The transport feeds it with receive() and ended(); malformed input
 * closes it. Kept free of node:net so that the stand-in can use Bun's lighter socket.
 */
export class ControlChannel<In, Out> {
  readonly closed: Promise<void>
  #sink: ControlSink
  #open = true
  #decoder = new FrameDecoder()
  #text = new TextDecoder()
  #onMessage: (message: In) => void
  #onBadInput: (err: Error) => void
  #resolveClosed!: () => void

  constructor(sink: ControlSink, onMessage: (message: In) => void, onBadInput: (err: Error) => void = () => {}) {
    this.#sink = sink
    this.#onMessage = onMessage
    this.#onBadInput = onBadInput
    this.closed = new Promise((resolve) => (this.#resolveClosed = resolve))
  }

  /** Over a node:net socket. */
  static overSocket<In, Out>(socket: Socket, onMessage: (message: In) => void, onBadInput?: (err: Error) => void): ControlChannel<In, Out> {
    const channel = new ControlChannel<In, Out>({write: (b) => socket.write(b), end: () => socket.end()}, onMessage, onBadInput)
    socket.on('data', (chunk: Buffer) => channel.receive(chunk))
    socket.on('error', () => {})
    socket.on('close', () => channel.ended())
    return channel
  }

  get open(): boolean {
    return this.#open
  }

  /** Bytes from the peer. */
  receive(chunk: Uint8Array): void {
    try {
      for (const frame of this.#decoder.push(chunk)) {
        const message = JSON.parse(this.#text.decode(frame)) as unknown
        if (!message || typeof message !== 'object' || typeof (message as {op?: unknown}).op !== 'string') {
          throw new ProtocolError('shared: control message without op')
        }
        this.#onMessage(message as In)
      }
    } catch (err) {
      this.#onBadInput(err as Error)
      this.close()
    }
  }

  /** The transport closed. */
  ended(): void {
    this.#open = false
    this.#resolveClosed()
  }

  send(message: Out): void {
    if (!this.#open) return
    this.#sink.write(encodeFrame(new TextEncoder().encode(JSON.stringify(message))))
  }

  close(): void {
    if (!this.#open) return
    this.#open = false
    this.#sink.end()
  }
}

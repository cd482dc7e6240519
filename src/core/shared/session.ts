import {rmSync} from 'node:fs'
import type {Socket} from 'node:net'
import type {Logger} from '../observability/index.ts'
import {Listeners, writePortFile, type ListenAddresses} from '../server/listeners.ts'
import {ControlChannel, type NodeMessage, type StandInMessage} from './control.ts'

/** A session's request server (a ServiceServer), as the session drives it. */
export interface SessionServer {
  readonly exitCode: Promise<number>
  readonly addresses: ListenAddresses
  onSignal(signal: NodeJS.Signals): void
  parentGone(): void
}

/** What the engine gets to serve one session: its open listeners and the SDK process it serves. */
export interface SessionServeOptions {
  listeners: Listeners
  parentPid: number
  listenOnLocalhost: boolean
  logger: Logger
  /** Reaches the stand-in's stdout. */
  print: (line: string) => void
  shutdownGraceMs: number
}

/** The service engines of the node (runs, API, sync), loaded once; see session-engine.ts. */
export interface SessionEngine {
  serve(o: SessionServeOptions): Promise<SessionServer>
}

export interface SessionDeps {
  id: number
  logger: Logger
  /** The node's build and key; a stand-in of another build is refused. */
  build: string
  key: string
  shutdownGraceMs: number
  /**
   * The engine, loaded on first use and then shared (the node starts loading it as soon as it
   * listens). A session announces its listeners before it waits for the engine.
   */
  engine: () => Promise<SessionEngine>
}

/**
 * One stand-in's share of the node service: what a private service would have been for that SDK
 * process. It has its own listener (own 0700 socket directory), connections, runs and lifetime
 * rules (ServiceServer): teardown finishes its runs and ends it with 0; a signal the stand-in
 * forwards, or the SDK process's death, finishes its runs with what was received, as a private
 * service does. The stand-in exits with the session's code. When the stand-in itself vanishes,
 * the session goes on and watches the SDK process's pid instead, so its runs lose nothing.
 */
export class Session {
  readonly id: number
  /** Resolves when the session has ended (the stand-in was told its exit code). */
  readonly ended: Promise<number>
  #deps: SessionDeps
  #channel: ControlChannel<StandInMessage, NodeMessage>
  #server: SessionServer | undefined
  #opening: Promise<void> | undefined
  #pendingSignals: StandInMessage[] = []
  #ended = false
  #resolveEnded!: (code: number) => void

  constructor(socket: Socket, deps: SessionDeps) {
    this.id = deps.id
    this.#deps = deps
    this.ended = new Promise((r) => (this.#resolveEnded = r))
    this.#channel = ControlChannel.overSocket(
      socket,
      (m) => this.#onMessage(m),
      (err) => deps.logger.captureError('session: bad control message', err),
    )
    void this.#channel.closed.then(() => {
      if (!this.#opening) this.#resolveEnded(-1)
      else if (!this.#ended) deps.logger.info('session: the stand-in is gone; its runs go on until their SDK process ends', {session: this.id})
    })
  }

  /** The session's server, once open (tests). */
  get server(): SessionServer | undefined {
    return this.#server
  }

  /** A signal to the node service: handled by this session as by a private service. */
  onSignal(signal: NodeJS.Signals): void {
    this.#server?.onSignal(signal)
  }

  #onMessage(m: StandInMessage): void {
    if (m.op === 'open') {
      if (this.#opening) return
      this.#opening = this.#open(m)
      return
    }
    if (!this.#server) {
      this.#pendingSignals.push(m)
      return
    }
    this.#apply(m)
  }

  #apply(m: StandInMessage): void {
    if (m.op === 'signal') this.#server?.onSignal(m.signal)
    else if (m.op === 'parent-gone') this.#server?.parentGone()
  }

  async #open(m: Extract<StandInMessage, {op: 'open'}>): Promise<void> {
    const {logger: nodeLogger, build, key, shutdownGraceMs} = this.#deps
    if (m.build !== build || m.key !== key) {
      nodeLogger.warn('session: refused a stand-in of another build or key', {session: this.id})
      this.#refuse('the node service is another build of nexus')
      return
    }
    const logger = nodeLogger.with({session: this.id, sdk_pid: m.parentPid})
    const print = (line: string) => this.#channel.send({op: 'print', line})
    // The port file goes out before the engine is awaited: on the node's first session the SDK
    // connects (and sends) while the engine loads; its connection is held until the server takes it.
    let listeners: Listeners
    try {
      listeners = await Listeners.open({parentPid: m.parentPid, tcp: m.listenOnLocalhost, logger})
    } catch (err) {
      logger.captureError('session: cannot listen', err)
      this.#refuse(`the node service cannot open a session: ${(err as Error).message}`)
      return
    }
    try {
      writePortFile(m.portFilename, listeners.portFileText())
      const engine = await this.#deps.engine()
      this.#server = await engine.serve({listeners, parentPid: m.parentPid, listenOnLocalhost: m.listenOnLocalhost, logger, print, shutdownGraceMs})
    } catch (err) {
      listeners.close()
      rmSync(m.portFilename, {force: true})
      logger.captureError('session: cannot open', err)
      this.#refuse(`the node service cannot open a session: ${(err as Error).message}`)
      return
    }
    logger.info('session: opened', {...this.#server.addresses})
    this.#channel.send({op: 'opened', session: this.id, pid: process.pid})
    for (const pending of this.#pendingSignals.splice(0)) this.#apply(pending)
    const code = await this.#server.exitCode
    logger.info('session: ended', {code})
    this.#ended = true
    this.#channel.send({op: 'exit', code})
    this.#channel.close()
    this.#resolveEnded(code)
  }

  #refuse(reason: string): void {
    this.#channel.send({op: 'refused', reason})
    this.#channel.close()
    this.#resolveEnded(-1)
  }
}

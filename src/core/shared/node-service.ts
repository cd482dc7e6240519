import {unlinkSync} from 'node:fs'
import {connect, createServer, type Server, type Socket} from 'node:net'
import {WandbError} from '../errors.ts'
import type {Logger} from '../observability/index.ts'
import {SIGNAL_EXIT_CODE} from '../server/exit-codes.ts'
import {nodeSocketPath} from './paths.ts'
import {Session, type SessionDeps} from './session.ts'

/** Another node service of the same key already listens: this one is not needed. */
export class NodeTakenError extends WandbError {
  override name = 'NodeTakenError'
}

export interface NodeServiceOptions {
  dir: string
  key: string
  build: string
  logger: Logger
  /** Exit after this long without sessions. */
  idleMs: number
  shutdownGraceMs: number
  /** Loads the engine; called once, by the first session that needs it (a failure refuses every session). */
  engine: SessionDeps['engine']
}

/**
 * The shared per-node service: one process per (user, build, key) that serves every stand-in's
 * session, so a job of many Python processes pays one start, one JIT warm-up and one heap. It
 * listens on `<node dir>/n-<key>.sock`; each connection is a stand-in's control channel. It
 * exits after `idleMs` without sessions, or, after a signal, once every session has finished its
 * runs as a private service would (exit 128). `exitCode` resolves with the process exit code.
 */
export class NodeService {
  readonly exitCode: Promise<number>
  readonly path: string
  #o: NodeServiceOptions
  #server: Server | undefined
  #sessions = new Set<Session>()
  #engine: ReturnType<SessionDeps['engine']> | undefined
  #nextSession = 0
  #idleTimer: ReturnType<typeof setTimeout> | undefined
  #signalled = false
  /** The idle timeout closed the listener; exit when the last session ends. */
  #closing = false
  #resolveExit!: (code: number) => void

  private constructor(o: NodeServiceOptions) {
    this.#o = o
    this.path = nodeSocketPath(o.dir, o.key)
    this.exitCode = new Promise((r) => (this.#resolveExit = r))
  }

  /** Listens on the node socket; throws NodeTakenError when a live node service has it. */
  static async start(o: NodeServiceOptions): Promise<NodeService> {
    const node = new NodeService(o)
    const server = createServer((s) => node.#accept(s))
    try {
      await listen(server, node.path)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err
      if (await answers(node.path)) throw new NodeTakenError(`shared: ${node.path} is served already`, {cause: err})
      // A socket file left by a node service that died: take its place.
      unlinkSync(node.path)
      await listen(server, node.path)
    }
    node.#server = server
    o.logger.info('node: listening', {path: node.path, idle_ms: o.idleMs})
    node.#armIdle()
    return node
  }

  get sessions(): number {
    return this.#sessions.size
  }

  /** SIGTERM/SIGINT/SIGHUP: every session handles it as a private service; exit 128 once all have ended. */
  onSignal(signal: NodeJS.Signals): void {
    this.#o.logger.info('node: received a signal', {signal, sessions: this.#sessions.size})
    if (!this.#signalled) this.#stopListening()
    this.#signalled = true
    for (const s of this.#sessions) s.onSignal(signal)
    if (this.#sessions.size === 0) this.#resolveExit(SIGNAL_EXIT_CODE)
  }

  /**
   * Idle: stops accepting sessions and exits 0, once no session is left (a stand-in may have
   * connected just before the listener closed; its runs are served to the end).
   */
  #stop(): void {
    this.#stopListening()
    this.#closing = true
    if (this.#sessions.size === 0) this.#resolveExit(0)
  }

  #stopListening(): void {
    if (this.#idleTimer) clearTimeout(this.#idleTimer)
    this.#idleTimer = undefined
    this.#server?.close()
    this.#server = undefined
  }

  #accept(socket: Socket): void {
    if (this.#signalled) {
      socket.destroy()
      return
    }
    if (this.#idleTimer) clearTimeout(this.#idleTimer)
    this.#idleTimer = undefined
    const {logger, build, key, shutdownGraceMs} = this.#o
    const engine = () => {
      this.#engine ??= this.#o.engine()
      return this.#engine
    }
    const session = new Session(socket, {id: this.#nextSession++, logger, build, key, shutdownGraceMs, engine})
    this.#sessions.add(session)
    void session.ended.then(() => {
      this.#sessions.delete(session)
      if (this.#sessions.size === 0 && this.#signalled) this.#resolveExit(SIGNAL_EXIT_CODE)
      else if (this.#sessions.size === 0 && this.#closing) this.#resolveExit(0)
      else this.#armIdle()
    })
  }

  #armIdle(): void {
    if (this.#sessions.size > 0 || this.#signalled || !this.#server) return
    this.#idleTimer = setTimeout(() => {
      this.#o.logger.info('node: idle, shutting down')
      this.#stop()
    }, this.#o.idleMs)
  }
}

function listen(server: Server, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(path, () => {
      server.off('error', reject)
      resolve()
    })
  })
}

/** Whether something accepts connections on the unix socket `path`. */
export function answers(path: string, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(path)
    const done = (ok: boolean) => {
      clearTimeout(timer)
      s.destroy()
      resolve(ok)
    }
    const timer = setTimeout(() => done(false), timeoutMs)
    s.once('connect', () => done(true))
    s.once('error', () => done(false))
  })
}

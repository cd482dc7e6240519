import type {Socket} from 'node:net'
import type {Logger} from '../observability/index.ts'
import {Connection} from './connection.ts'
import {Listeners, writePortFile} from './listeners.ts'
import {dispatchServerRequest} from './requests/index.ts'
import type {StreamFactory} from './run-stream.ts'
import type {ApiSessions, ServiceContext, SyncSessions} from './service-context.ts'
import {StreamRegistry} from './stream-registry.ts'

/** How often the parent-death watchdog looks at getppid() (Go: 100 ms). */
const WATCHDOG_PERIOD_MS = 100

export interface ServiceServerOptions {
  portFilename: string
  /** The launching process (--pid); 0 = none. */
  parentPid: number
  detached: boolean
  /** Detached only: shut down after this long without connections; 0 = never. */
  idleTimeoutMs: number
  listenOnLocalhost: boolean
  logger: Logger
  createStream: StreamFactory
  api: ApiSessions
  sync: SyncSessions
}

/**
 * The service process's server: listeners, port file, connections, the stream registry, and the
 * lifetime rules of wandb-core — teardown finishes every run and exits 0; the parent's death
 * (non-detached) stops at once without flushing (exit 1, as Go); a detached service shuts down
 * after the idle timeout, finishing open runs with exit code 0.
 * `exitCode` resolves with the code the process should exit with.
 */
export class ServiceServer {
  readonly exitCode: Promise<number>
  readonly streams = new StreamRegistry()
  #o: ServiceServerOptions
  #listeners: Listeners | undefined
  #connections = new Set<Connection>()
  #nextId = 0
  #resolveExit!: (code: number) => void
  #stopping = false
  #watchdog: ReturnType<typeof setInterval> | undefined
  #idleTimer: ReturnType<typeof setTimeout> | undefined
  #ctx: ServiceContext

  private constructor(o: ServiceServerOptions) {
    this.#o = o
    this.exitCode = new Promise((r) => (this.#resolveExit = r))
    this.#ctx = {
      logger: o.logger,
      streams: this.streams,
      createStream: o.createStream,
      api: o.api,
      sync: o.sync,
      teardown: (code) => this.teardown(code),
    }
  }

  /** Opens the listeners and writes the port file; the SDK can connect once this resolves. */
  static async start(o: ServiceServerOptions): Promise<ServiceServer> {
    const server = new ServiceServer(o)
    server.#listeners = await Listeners.open({
      parentPid: o.parentPid,
      tcp: o.listenOnLocalhost,
      logger: o.logger,
      onConnection: (s) => server.#accept(s),
    })
    writePortFile(o.portFilename, server.#listeners.portFileText())
    o.logger.info('server: listening', {...server.#listeners.addresses, port_file: o.portFilename})
    if (o.parentPid !== 0 && !o.detached) {
      server.#watchdog = setInterval(() => {
        if (process.ppid !== o.parentPid) {
          o.logger.info('server: parent process is gone, stopping', {pid: o.parentPid})
          server.#forceStop(1)
        }
      }, WATCHDOG_PERIOD_MS)
    }
    server.#armIdleTimer()
    return server
  }

  get addresses() {
    return this.#listeners?.addresses ?? {}
  }

  /** Finishes every open run with `exitCode`, closes the listeners and resolves exitCode 0. Idempotent. */
  async teardown(exitCode: number): Promise<void> {
    if (this.#stopping) return
    this.#stopping = true
    this.#o.logger.info('server: teardown', {exit_code: exitCode, streams: this.streams.size})
    this.#stopListening()
    await Promise.all(this.streams.drain().map((s) => s.finishAndClose(exitCode)))
    for (const c of this.#connections) c.close()
    this.#resolveExit(0)
  }

  /** Stops at once without finishing runs (parent death, signals). */
  #forceStop(code: number): void {
    if (this.#stopping) {
      this.#resolveExit(code)
      return
    }
    this.#stopping = true
    this.#stopListening()
    for (const c of this.#connections) c.close()
    this.#resolveExit(code)
  }

  /** SIGINT/SIGTERM: stop without flushing; Go exits 128. */
  onSignal(): void {
    this.#forceStop(128)
  }

  #stopListening(): void {
    if (this.#watchdog) clearInterval(this.#watchdog)
    if (this.#idleTimer) clearTimeout(this.#idleTimer)
    this.#listeners?.close()
  }

  #accept(socket: Socket): void {
    if (this.#stopping) {
      socket.destroy()
      return
    }
    const conn = new Connection(this.#nextId++, socket, (req, c) => dispatchServerRequest(req, c, this.#ctx), this.#o.logger)
    this.#connections.add(conn)
    if (this.#idleTimer) clearTimeout(this.#idleTimer)
    this.#idleTimer = undefined
    void conn.done.then(() => {
      this.#connections.delete(conn)
      this.#armIdleTimer()
    })
  }

  #armIdleTimer(): void {
    const {detached, idleTimeoutMs} = this.#o
    if (!detached || idleTimeoutMs <= 0 || this.#connections.size > 0 || this.#stopping) return
    this.#idleTimer = setTimeout(() => {
      this.#o.logger.info('server: idle timeout, shutting down')
      void this.teardown(0)
    }, idleTimeoutMs)
  }
}

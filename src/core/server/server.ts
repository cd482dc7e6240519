import type {Socket} from 'node:net'
import type {Logger} from '../observability/index.ts'
import {Connection} from './connection.ts'
import {Listeners, writePortFile} from './listeners.ts'
import {dispatchServerRequest} from './requests/index.ts'
import type {StreamFactory} from './run-stream.ts'
import type {ApiSessions, ServiceContext, SyncSessions} from './service-context.ts'
import {StreamRegistry} from './stream-registry.ts'
import {SIGNAL_EXIT_CODE} from './exit-codes.ts'

/** How often the parent-death watchdog looks at getppid() (Go: 100 ms). */
const WATCHDOG_PERIOD_MS = 100
/** After the client is gone, how long its connections may still hand over frames already received. */
const DRAIN_CONNECTIONS_MS = 100
export {SIGNAL_EXIT_CODE} from './exit-codes.ts'
/** The run's exit code when its client vanished without finishing it (as `nexus sync` marks a crashed run). */
export const CLIENT_LOST_RUN_EXIT_CODE = 1
const SIGNAL_NUMBERS: Partial<globalThis.Record<NodeJS.Signals, number>> = {SIGHUP: 1, SIGINT: 2, SIGTERM: 15}

export interface ServiceServerOptions {
  portFilename: string
  /** The launching process (--pid); 0 = none. */
  parentPid: number
  /**
   * Whether the launching process is still there (default: it is still our parent). A shared node
   * service's sessions are not children of their SDK process, so they check the pid instead.
   */
  parentAlive?: () => boolean
  detached: boolean
  /** Detached only: shut down after this long without connections; 0 = never. */
  idleTimeoutMs: number
  listenOnLocalhost: boolean
  logger: Logger
  createStream: StreamFactory
  api: ApiSessions
  sync: SyncSessions
  /**
   * After a signal or the client's death: how long runs may keep uploading before the service
   * exits (what was not delivered stays in the .wandb file for `nexus sync`). Default 5 s.
   */
  shutdownGraceMs?: number
  /**
   * Listeners opened (and announced in the port file) before this server existed: the server
   * takes their connections, held until now, and writes no port file of its own.
   */
  listeners?: Listeners
}

/** How a stop that did not come from the client goes: which exit codes, and by when. */
interface Stopping {
  runExitCode: number
  processExitCode: number
  deadline: number
}

/**
 * The service process's server: listeners, port file, connections, the stream registry, and the
 * lifetime rules of wandb-core — teardown finishes every run and exits 0; a detached service shuts
 * down after the idle timeout, finishing open runs with exit code 0.
 *
 * Where Go stops at once and loses the runs' unwritten records (a signal; the parent's death), this
 * server keeps them: every record received is written to the .wandb files at once, then runs the
 * client did not finish are finished here (exit code 128+signal, or 1 when the client vanished),
 * uploading for at most the grace period; the process exits 128 after a signal, 1 after the
 * parent's death, as Go. While the client is alive after a signal it gets half the grace period
 * to finish its runs itself. A second signal stops at once, after writing what was received.
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
  /** Set by a signal or the parent's death: the stop under way that the client did not ask for. */
  #lost: Stopping | undefined
  #graceTimer: ReturnType<typeof setTimeout> | undefined
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
    if (o.listeners) {
      server.#listeners = o.listeners
      o.listeners.accept((s) => server.#accept(s))
      o.logger.info('server: serving', {...o.listeners.addresses})
    } else {
      server.#listeners = await Listeners.open({
        parentPid: o.parentPid,
        tcp: o.listenOnLocalhost,
        logger: o.logger,
        onConnection: (s) => server.#accept(s),
      })
      writePortFile(o.portFilename, server.#listeners.portFileText())
      o.logger.info('server: listening', {...server.#listeners.addresses, port_file: o.portFilename})
    }
    if (o.parentPid !== 0 && !o.detached) {
      server.#watchdog = setInterval(() => {
        if (!server.#parentAlive()) server.parentGone()
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

  /**
   * SIGINT/SIGTERM/SIGHUP. The first writes every run's received records to disk now and starts
   * the grace period: a live client may still finish its runs in its first half; when it is gone
   * (or that half is over) the rest are finished here as killed by the signal, uploading until the
   * grace period ends. A second signal stops at once.
   */
  onSignal(signal: NodeJS.Signals = 'SIGTERM'): void {
    this.#o.logger.info('server: received a signal', {signal})
    if (this.#lost) {
      this.#forceStop(SIGNAL_EXIT_CODE)
      return
    }
    this.#flushAll()
    const lost: Stopping = {runExitCode: 128 + (SIGNAL_NUMBERS[signal] ?? 15), processExitCode: SIGNAL_EXIT_CODE, deadline: performance.now() + this.#graceMs}
    this.#lost = lost
    if (this.#stopping) {
      // A teardown is finishing the runs already: it gets the grace period, no more.
      this.#graceTimer = setTimeout(() => this.#forceStop(SIGNAL_EXIT_CODE), this.#graceMs)
    } else if (this.#clientAlive()) {
      // Half the grace period for the client to finish its runs itself, the rest for finishing them here.
      this.#graceTimer = setTimeout(() => void this.#finishLost(), this.#graceMs / 2)
    } else {
      void this.#finishLost()
    }
  }

  /** The parent (the SDK's process) is gone: finish its runs with what was received. */
  parentGone(): void {
    if (this.#stopping) return
    this.#o.logger.info('server: parent process is gone, finishing its runs', {pid: this.#o.parentPid})
    this.#flushAll()
    this.#lost ??= {runExitCode: CLIENT_LOST_RUN_EXIT_CODE, processExitCode: 1, deadline: performance.now() + this.#graceMs}
    void this.#finishLost()
  }

  get #graceMs(): number {
    return this.#o.shutdownGraceMs ?? 5000
  }

  #parentAlive(): boolean {
    return this.#o.parentAlive ? this.#o.parentAlive() : process.ppid === this.#o.parentPid
  }

  #clientAlive(): boolean {
    const {parentPid, detached} = this.#o
    if (parentPid !== 0 && !detached && !this.#parentAlive()) return false
    return this.#connections.size > 0
  }

  /** Finishes the runs left open after a signal or the client's death, within the grace period. */
  async #finishLost(): Promise<void> {
    const lost = this.#lost
    if (!lost || this.#stopping) return
    this.#stopping = true
    if (this.#graceTimer) clearTimeout(this.#graceTimer)
    this.#stopListening()
    const left = () => Math.max(0, lost.deadline - performance.now())
    // Frames the client sent before it went away are still being handed to their runs.
    await within(Math.min(DRAIN_CONNECTIONS_MS, left()), Promise.all([...this.#connections].map((c) => c.done)))
    const streams = this.streams.drain()
    this.#o.logger.info('server: finishing runs the client left open', {streams: streams.length, exit_code: lost.runExitCode, grace_ms: Math.round(left())})
    const finished = await within(left(), Promise.all(streams.map((s) => s.finishAndClose(lost.runExitCode))))
    if (!finished) this.#o.logger.info('server: grace period over; undelivered data stays in the .wandb files for `nexus sync`')
    for (const s of streams) s.flushLog()
    for (const c of this.#connections) c.close()
    this.#resolveExit(lost.processExitCode)
  }

  /** Stops now; every record that reached a run's writer is written first. */
  #forceStop(code: number): void {
    this.#stopping = true
    this.#stopListening()
    this.#flushAll()
    for (const c of this.#connections) c.close()
    this.#resolveExit(code)
  }

  #flushAll(): void {
    for (const s of this.streams.all()) s.flushLog()
  }

  #stopListening(): void {
    if (this.#graceTimer) clearTimeout(this.#graceTimer)
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
      // After a signal, the client closing its last connection ends the wait for it.
      if (this.#lost && !this.#clientAlive()) void this.#finishLost()
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

/** Waits for `work` at most `ms`; true when it settled in time. */
async function within(ms: number, work: Promise<unknown>): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<false>((r) => (timer = setTimeout(() => r(false), ms)))
  try {
    return await Promise.race([
      work.then(
        () => true,
        () => true,
      ),
      timeout,
    ])
  } finally {
    clearTimeout(timer)
  }
}

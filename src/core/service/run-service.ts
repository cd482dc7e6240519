import type {Logger} from '../observability/index.ts'
import {ServiceServer, type ApiSessions, type SyncSessions} from '../server/index.ts'
import {createStream, type StreamDeps} from '../stream/index.ts'
import {NEXUS_VERSION, WANDB_PROTOCOL_VERSION} from '../version.ts'
import {openCoreLog} from './core-log.ts'
import {shutdownGraceMs} from './shutdown-grace.ts'
import {setParentDeathSignal} from './parent-death-signal.ts'

/** Signals after which the service writes what it received, then finishes its runs within the grace period. */
const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP']
export interface ServiceOptions {
  portFilename: string
  pid: number
  logLevel: number
  detached: boolean
  idleTimeoutMs: number
  listenOnLocalhost: boolean
  osPidShutdown: boolean
  /** Where footers go (the service's stdout). */
  print: (line: string) => void
  /** The public-API passthrough (wbapi). */
  api: (logger: Logger) => ApiSessions
  /** `wandb sync` through the service. */
  sync: (logger: Logger, deps: StreamDeps) => SyncSessions
  /** The system monitor factory (sysinfo). */
  monitor?: StreamDeps['monitor']
  /** Why this service is private rather than the shared node service's session (logged). */
  notShared?: string
}

/**
 * Runs the wandb-core drop-in until teardown, idle shutdown, parent death or a signal, and
 * returns the process exit code (0 after a teardown, 1 when the parent died, 128 on a signal).
 * After a signal or the parent's death, received records are written first and runs are finished
 * within the grace period (ServiceServer).
 */
export async function runService(o: ServiceOptions): Promise<number> {
  if (o.osPidShutdown && o.pid !== 0 && !o.detached) {
    const code = setParentDeathSignal(o.pid)
    if (code !== 0) return code
  }
  const {logger, path: coreLogPath, close} = openCoreLog(o.logLevel)
  logger.info('main: starting server', {
    'port-filename': o.portFilename,
    pid: o.pid,
    detached: o.detached,
    'idle-timeout': o.idleTimeoutMs,
    'log-level': o.logLevel,
    version: `${WANDB_PROTOCOL_VERSION}+nexus.${NEXUS_VERSION}`,
  })
  if (o.notShared) logger.info('main: not sharing the node service', {reason: o.notShared})
  const deps: StreamDeps = {logger, coreLogPath, logLevel: o.logLevel, print: o.print, monitor: o.monitor}
  const server = await ServiceServer.start({
    portFilename: o.portFilename,
    parentPid: o.pid,
    detached: o.detached,
    idleTimeoutMs: o.idleTimeoutMs,
    listenOnLocalhost: o.listenOnLocalhost,
    logger,
    createStream: (settings, id) => createStream(settings, id, deps),
    api: o.api(logger),
    sync: o.sync(logger, deps),
    shutdownGraceMs: shutdownGraceMs(process.env, logger),
  })
  const onSignal = (signal: NodeJS.Signals) => {
    // --os-pid-shutdown asks the kernel for SIGTERM when the parent dies: that is the client gone.
    if (o.pid !== 0 && !o.detached && process.ppid !== o.pid) server.parentGone()
    else server.onSignal(signal)
  }
  for (const s of STOP_SIGNALS) process.on(s, onSignal)
  const code = await server.exitCode
  for (const s of STOP_SIGNALS) process.off(s, onSignal)
  logger.info('main: exiting', {code})
  close()
  return code
}

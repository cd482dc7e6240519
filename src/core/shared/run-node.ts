/**
 * The node service process, light half: it listens, answers stand-ins and writes their port files
 * with only this code loaded; the engines (`loadEngine`, bin/full.ts) are loaded once the first
 * port file is out, while that SDK process connects.
 */
import type {Logger} from '../observability/index.ts'
import {deferredCoreLog} from '../service/core-log.ts'
import {envSecondsMs} from '../service/env-seconds.ts'
import {shutdownGraceMs} from '../service/shutdown-grace.ts'
import {NEXUS_VERSION, WANDB_PROTOCOL_VERSION} from '../version.ts'
import {NodeService, NodeTakenError} from './node-service.ts'
import {buildIdentity} from './node-key.ts'
import {sharedNodeDir} from './node-dir.ts'
import type {SessionEngine} from './session.ts'

const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP']
/** Default idle time of the node service without sessions (seconds); NEXUS_SHARED_IDLE overrides. */
export const DEFAULT_SHARED_IDLE_S = 120

/** What the engine loader is told: where this process's core-debug log is, and its level. */
export interface EngineContext {
  coreLogPath: string | undefined
  logLevel: number
}

export interface NodeRunOptions {
  key: string
  logLevel: number
  /**
   * Loads the service engines; called once, by the first session after it wrote its port file
   * (loading blocks the thread for a while: done earlier, it would delay that port file).
   */
  loadEngine: (c: EngineContext) => Promise<SessionEngine>
}

/** NEXUS_SHARED_IDLE: seconds the node service waits without sessions before it exits. */
export function sharedIdleMs(env: Readonly<Record<string, string | undefined>>, logger: Logger): number {
  return envSecondsMs(env, 'NEXUS_SHARED_IDLE', DEFAULT_SHARED_IDLE_S, logger)
}

/**
 * The node service process (`service --shared-node KEY`, started detached by a stand-in): serves
 * sessions until idle or a signal, and returns the exit code. An exception escaping one run's
 * code is logged and the process goes on, so one run cannot take the other runs down.
 */
export async function runNodeService(o: NodeRunOptions): Promise<number> {
  const {logger, open: openLog, close} = deferredCoreLog(o.logLevel)
  logger.info('main: starting server', {shared_node: o.key, pid: process.pid, 'log-level': o.logLevel, version: `${WANDB_PROTOCOL_VERSION}+nexus.${NEXUS_VERSION}`})
  const contain = (what: string) => (err: unknown) => logger.captureError(`node: ${what} (contained; the other runs go on)`, err)
  process.on('uncaughtException', contain('uncaught exception'))
  process.on('unhandledRejection', contain('unhandled rejection'))
  let node: NodeService
  try {
    node = await NodeService.start({
      dir: sharedNodeDir(),
      key: o.key,
      build: buildIdentity(),
      logger,
      idleMs: sharedIdleMs(process.env, logger),
      shutdownGraceMs: shutdownGraceMs(process.env, logger),
      // the first session calls this after its port file is out: the log file opens then too
      engine: () => o.loadEngine({coreLogPath: openLog(), logLevel: o.logLevel}),
    })
  } catch (err) {
    if (err instanceof NodeTakenError) logger.info('node: another node service has this key; exiting')
    else logger.captureError('node: cannot start', err)
    close()
    return err instanceof NodeTakenError ? 0 : 1
  }
  const onSignal = (signal: NodeJS.Signals) => node.onSignal(signal)
  for (const s of STOP_SIGNALS) process.on(s, onSignal)
  const code = await node.exitCode
  logger.info('node: exiting', {code})
  close()
  return code
}

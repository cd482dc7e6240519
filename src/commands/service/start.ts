import {runService} from '../../core/service/index.ts'
import {isNodeKey} from '../../core/shared/paths.ts'
import type {EngineContext} from '../../core/shared/run-node.ts'
import {serverEngine} from '../../core/shared/session-engine.ts'
import type {SessionEngine} from '../../core/shared/session.ts'
import {createStream, type StreamDeps} from '../../core/stream/index.ts'
import {WbApiSessions} from '../../core/wbapi/index.ts'
import {syncSessions} from '../../sync/index.ts'
import {systemMonitorFactory} from '../../sysinfo/index.ts'
import {ServiceFlagError, serviceOptionsFrom, type ServiceFlagValues} from './options.ts'

/**
 * Runs the service with the engines it needs and returns its exit code. Shared by the oclif
 * `nexus service` command and bin/run.ts's direct launch path; no oclif import here.
 * Throws ServiceFlagError for flag values that cannot start a service.
 */
export async function startService(flags: ServiceFlagValues, notShared?: string): Promise<number> {
  const {observability, ...options} = serviceOptionsFrom(flags)
  if (flags['shared-node'] !== '') {
    if (!isNodeKey(flags['shared-node'])) throw new ServiceFlagError('--shared-node wants the 16-hex-digit key a stand-in passes')
    const {runNodeService} = await import('../../core/shared/run-node.ts')
    return runNodeService({key: flags['shared-node'], logLevel: options.logLevel, loadEngine: async (c) => nodeEngine(c, observability)})
  }
  return runService({
    ...options,
    notShared,
    print: (line) => process.stdout.write(`${line}\n`),
    api: (logger) => new WbApiSessions({logger, observability}),
    sync: syncSessions,
    monitor: systemMonitorFactory,
  })
}

/** The node service's engines: each session gets the streams, API and sync sessions a private service has. */
export function nodeEngine(c: EngineContext, observability: boolean): SessionEngine {
  return serverEngine((logger, print) => {
    const deps: StreamDeps = {logger, coreLogPath: c.coreLogPath, logLevel: c.logLevel, print, monitor: systemMonitorFactory}
    return {createStream: (settings, id) => createStream(settings, id, deps), api: new WbApiSessions({logger, observability}), sync: syncSessions(logger, deps)}
  })
}

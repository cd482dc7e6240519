import {runService} from '../../core/service/index.ts'
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
    if (!/^[0-9a-f]{16}$/.test(flags['shared-node'])) throw new ServiceFlagError('--shared-node wants the 16-hex-digit key a stand-in passes')
    const {runNodeService} = await import('../../core/shared/run-node.ts')
    return runNodeService({
      key: flags['shared-node'],
      logLevel: options.logLevel,
      api: (logger) => new WbApiSessions({logger, observability}),
      sync: syncSessions,
      monitor: systemMonitorFactory,
    })
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

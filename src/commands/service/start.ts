import {runService} from '../../core/service/index.ts'
import {WbApiSessions} from '../../core/wbapi/index.ts'
import {syncSessions} from '../../sync/index.ts'
import {systemMonitorFactory} from '../../sysinfo/index.ts'
import {serviceOptionsFrom, type ServiceFlagValues} from './options.ts'

/**
 * Runs the service with the engines it needs and returns its exit code. Shared by the oclif
 * `nexus service` command and bin/run.ts's direct launch path; no oclif import here.
 * Throws ServiceFlagError for flag values that cannot start a service.
 */
export async function startService(flags: ServiceFlagValues): Promise<number> {
  const {observability, ...options} = serviceOptionsFrom(flags)
  return runService({
    ...options,
    print: (line) => process.stdout.write(`${line}\n`),
    api: (logger) => new WbApiSessions({logger, observability}),
    sync: syncSessions,
    monitor: systemMonitorFactory,
  })
}

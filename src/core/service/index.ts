/** The service process: wiring of the server, streams and logs. */
export {parseGoDuration} from './go-duration.ts'
export {coreLogDir, coreLogName, userCacheDir} from './log-paths.ts'
export {runService} from './run-service.ts'
export type {ServiceOptions} from './run-service.ts'
export {findWandbPackage, installAsWandbCore, uninstallFromWandb} from './install.ts'
export type {InstallResult} from './install.ts'

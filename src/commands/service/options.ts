/**
 * The service's flags, declared once: the oclif `nexus service` command builds its flags from this
 * table, and bin/run.ts parses the SDK's launch line with it directly, so that starting the service
 * (which the SDK does for every process) does not load oclif and the other commands (~15 ms and
 * ~15 MiB measured on the compiled binary). No oclif import here, on purpose.
 */
import {parseGoDuration} from '../../core/service/go-duration.ts'
import type {ServiceOptions} from '../../core/service/run-service.ts'

export interface ServiceFlagSpec {
  kind: 'string' | 'integer' | 'boolean'
  description: string
  default?: string | number
  /** Left out of --help (internal). */
  hidden?: boolean
}

/** The flags the wandb SDK passes when it launches `<site-packages>/wandb/bin/wandb-core`. */
export const SERVICE_FLAGS = {
  'port-filename': {kind: 'string', description: 'file to write the listening address to', default: 'port_file.txt'},
  pid: {kind: 'integer', description: 'pid of the launching process; the service exits when it dies', default: 0},
  'log-level': {kind: 'integer', description: 'log level: -4 debug, 0 info, 4 warn, 8 error', default: 0},
  'no-observability': {kind: 'boolean', description: 'disable error reporting and analytics (nexus sends none anyway)'},
  'enable-dcgm-profiling': {
    kind: 'boolean',
    description:
      "accepted for wandb-core compatibility: nexus does not collect DCGM profiling metrics and logs a warning in each run's log (scrape NVIDIA's dcgm-exporter with x_stats_open_metrics_endpoints instead)",
  },
  'listen-on-localhost': {kind: 'boolean', description: 'also listen on TCP 127.0.0.1'},
  detached: {kind: 'boolean', description: 'ignore the parent process; shut down after --idle-timeout without clients'},
  'idle-timeout': {kind: 'string', description: 'detached only: idle time before shutdown (Go duration, 0 = never)', default: '10m'},
  'os-pid-shutdown': {kind: 'boolean', description: 'Linux: ask the kernel to kill the service when --pid dies'},
  'shared-node': {kind: 'string', description: 'internal: run as the shared node service of this key (a stand-in starts it)', default: '', hidden: true},
} as const satisfies Record<string, ServiceFlagSpec>

export type ServiceFlagName = keyof typeof SERVICE_FLAGS
export type ServiceFlagValues = {
  [K in ServiceFlagName]: (typeof SERVICE_FLAGS)[K]['kind'] extends 'boolean' ? boolean : (typeof SERVICE_FLAGS)[K]['kind'] extends 'integer' ? number : string
}

const INTEGER = /^[+-]?\d+$/

/**
 * Parses `service` argv (without the word `service`) exactly when it is a well-formed launch
 * line: known flags, `--name value` or `--name=value`, integers where integers belong. Anything
 * else (help, unknown flags, arguments, missing or bad values) returns undefined, and the caller
 * hands the line to oclif, which reports the problem the way every other command does.
 */
export function parseServiceArgv(argv: readonly string[]): ServiceFlagValues | undefined {
  const values: Record<string, string | number | boolean> = {}
  for (const [name, spec] of Object.entries(SERVICE_FLAGS) as [string, ServiceFlagSpec][]) {
    values[name] = spec.kind === 'boolean' ? false : spec.default!
  }
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/s.exec(argv[i])
    if (!m || !(m[1] in SERVICE_FLAGS)) return undefined
    const spec: ServiceFlagSpec = SERVICE_FLAGS[m[1] as ServiceFlagName]
    if (spec.kind === 'boolean') {
      if (m[2] !== undefined) return undefined
      values[m[1]] = true
      continue
    }
    const value = m[2] ?? argv[++i]
    if (value === undefined) return undefined
    if (spec.kind === 'integer') {
      if (!INTEGER.test(value)) return undefined
      values[m[1]] = Number(value)
    } else {
      values[m[1]] = value
    }
  }
  return values as ServiceFlagValues
}

/** Why flag values cannot start a service (a usage error, exit 2). */
export class ServiceFlagError extends Error {
  override readonly name = 'ServiceFlagError'
}

/** Flag values → what runService needs, minus the engine factories the caller injects. */
export function serviceOptionsFrom(flags: ServiceFlagValues): Omit<ServiceOptions, 'print' | 'api' | 'sync' | 'monitor'> & {observability: boolean} {
  let idleTimeoutMs: number
  try {
    idleTimeoutMs = parseGoDuration(flags['idle-timeout'])
  } catch (err) {
    throw new ServiceFlagError(`invalid value for --idle-timeout: ${(err as Error).message}`, {cause: err})
  }
  if (idleTimeoutMs < 0) throw new ServiceFlagError('--idle-timeout must be >= 0')
  return {
    portFilename: flags['port-filename'],
    pid: flags.pid,
    logLevel: flags['log-level'],
    detached: flags.detached,
    idleTimeoutMs,
    listenOnLocalhost: flags['listen-on-localhost'],
    osPidShutdown: flags['os-pid-shutdown'],
    observability: !flags['no-observability'],
  }
}

import {Flags} from '@oclif/core'
import {WandbError} from '../../core/errors.ts'
import {parseGoDuration, runService} from '../../core/service/index.ts'
import {WbApiSessions} from '../../core/wbapi/index.ts'
import {syncSessions} from '../../sync/index.ts'
import {systemMonitorFactory} from '../../sysinfo/index.ts'
import {NexusCommand} from '../base-command.ts'

/**
 * The wandb-core drop-in. The flags are the ones the wandb SDK passes when it launches
 * `<site-packages>/wandb/bin/wandb-core`; the compiled binary also accepts them without the
 * `service` word (see bin/run.ts), which is how it runs when installed under that name.
 */
export default class Service extends NexusCommand {
  static override summary = 'Run the wandb-core compatible service the wandb Python SDK talks to.'
  static override description = `Listens on a unix socket (or 127.0.0.1 with --listen-on-localhost), writes the port file the SDK polls, and serves the SDK's length-prefixed protobuf protocol: one stream pipeline per run (handler, transaction log, sender).

Normally started by the SDK itself; see \`nexus service install\`.`
  static override examples = [
    '<%= config.bin %> service --port-filename /tmp/port.txt --pid $$',
    '<%= config.bin %> service --detached --idle-timeout 10m --port-filename /tmp/port.txt',
  ]
  static override flags = {
    'port-filename': Flags.string({description: 'file to write the listening address to', default: 'port_file.txt'}),
    pid: Flags.integer({description: 'pid of the launching process; the service exits when it dies', default: 0}),
    'log-level': Flags.integer({description: 'log level: -4 debug, 0 info, 4 warn, 8 error', default: 0}),
    'no-observability': Flags.boolean({description: 'disable error reporting and analytics (nexus sends none anyway)'}),
    'enable-dcgm-profiling': Flags.boolean({description: 'collect DCGM profiling metrics for NVIDIA GPUs'}),
    'listen-on-localhost': Flags.boolean({description: 'also listen on TCP 127.0.0.1'}),
    detached: Flags.boolean({description: 'ignore the parent process; shut down after --idle-timeout without clients'}),
    'idle-timeout': Flags.string({description: 'detached only: idle time before shutdown (Go duration, 0 = never)', default: '10m'}),
    'os-pid-shutdown': Flags.boolean({description: 'Linux: ask the kernel to kill the service when --pid dies'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(Service)
    let idleTimeoutMs: number
    try {
      idleTimeoutMs = parseGoDuration(flags['idle-timeout'])
    } catch (err) {
      this.error(`invalid value for --idle-timeout: ${(err as WandbError).message}`, {exit: 2})
    }
    if (idleTimeoutMs < 0) this.error('--idle-timeout must be >= 0', {exit: 2})
    const code = await runService({
      portFilename: flags['port-filename'],
      pid: flags.pid,
      logLevel: flags['log-level'],
      detached: flags.detached,
      idleTimeoutMs,
      listenOnLocalhost: flags['listen-on-localhost'],
      osPidShutdown: flags['os-pid-shutdown'],
      print: (line) => process.stdout.write(`${line}\n`),
      api: (logger) => new WbApiSessions({logger, observability: !flags['no-observability']}),
      sync: syncSessions,
      monitor: systemMonitorFactory,
    })
    // The service owns the process: exit with its code even if timers or sockets linger.
    this.exit(code)
  }
}

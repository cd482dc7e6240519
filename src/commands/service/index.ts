import {Flags, type Interfaces} from '@oclif/core'
import {NexusCommand} from '../base-command.ts'
import {SERVICE_FLAGS, ServiceFlagError, type ServiceFlagSpec, type ServiceFlagValues} from './options.ts'
import {startService} from './start.ts'

function oclifFlag(spec: ServiceFlagSpec): Interfaces.Flag<any> {
  const common = {description: spec.description, hidden: spec.hidden}
  if (spec.kind === 'boolean') return Flags.boolean(common)
  if (spec.kind === 'integer') return Flags.integer({...common, default: spec.default as number})
  return Flags.string({...common, default: spec.default as string})
}

/**
 * The wandb-core drop-in. The flags are the ones the wandb SDK passes when it launches
 * `<site-packages>/wandb/bin/wandb-core`; the compiled binary also accepts them without the
 * `service` word (see bin/run.ts), which is how it runs when installed under that name. The flags
 * are declared in ./options.ts; bin/run.ts starts a well-formed launch line without oclif.
 */
export default class Service extends NexusCommand {
  static override summary = 'Run the wandb-core compatible service the wandb Python SDK talks to.'
  static override description =
    `Listens on a unix socket (or 127.0.0.1 with --listen-on-localhost), writes the port file the SDK polls, and serves the SDK's length-prefixed protobuf protocol: one stream pipeline per run (handler, transaction log, sender).

Normally started by the SDK itself; see \`nexus service install\`. Launched that way, nexus shares one service per node among the user's processes: the launched process stays a small stand-in and the user's node service (started detached when none runs) serves its runs. NEXUS_SHARED_SERVICE=0 keeps every service private.`
  static override examples = ['<%= config.bin %> service --port-filename /tmp/port.txt --pid $$', '<%= config.bin %> service --detached --idle-timeout 10m --port-filename /tmp/port.txt']
  static override flags: Interfaces.FlagInput<any> = Object.fromEntries(Object.entries(SERVICE_FLAGS).map(([name, spec]: [string, ServiceFlagSpec]) => [name, oclifFlag(spec)]))

  async run(): Promise<void> {
    const {flags} = await this.parse(Service)
    let code: number
    try {
      code = await startService(flags as unknown as ServiceFlagValues)
    } catch (err) {
      if (err instanceof ServiceFlagError) this.error(err.message, {exit: 2})
      throw err
    }
    // The service owns the process: exit with its code even if timers or sockets linger.
    this.exit(code)
  }
}

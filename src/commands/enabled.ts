import {NexusCommand} from './base-command.ts'
import {MODE_FLAGS, runModeCommand} from './mode-command.ts'

export default class Enabled extends NexusCommand {
  static override summary = 'Save mode = online in ./wandb/settings: W&B works again in this directory after `nexus disabled`.'
  static override description = 'The same file and value as `wandb enabled`.'
  static override examples = ['<%= config.bin %> enabled']

  static override flags = MODE_FLAGS

  async run(): Promise<void> {
    const {flags} = await this.parse(Enabled)
    await runModeCommand(this, 'enabled', flags.json)
  }
}

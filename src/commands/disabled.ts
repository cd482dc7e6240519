import {NexusCommand} from './base-command.ts'
import {MODE_FLAGS, runModeCommand} from './mode-command.ts'

export default class Disabled extends NexusCommand {
  static override summary = 'Save mode = disabled in ./wandb/settings: wandb calls in this directory do nothing.'
  static override description = 'The same file and value as `wandb disabled`. `nexus enabled` turns W&B back on.'
  static override examples = ['<%= config.bin %> disabled']

  static override flags = MODE_FLAGS

  async run(): Promise<void> {
    const {flags} = await this.parse(Disabled)
    await runModeCommand(this, 'disabled', flags.json)
  }
}

import {NexusCommand} from './base-command.ts'
import {MODE_FLAGS, runModeCommand} from './mode-command.ts'

export default class Online extends NexusCommand {
  static override summary = 'Remove the offline mode from ./wandb/settings: wandb.init() in this directory runs online again.'
  static override description = 'The same change as `wandb online`: the `mode` key is removed from the workspace settings file.'
  static override examples = ['<%= config.bin %> online']

  static override flags = MODE_FLAGS

  async run(): Promise<void> {
    const {flags} = await this.parse(Online)
    await runModeCommand(this, 'online', flags.json)
  }
}

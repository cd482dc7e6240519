import {NexusCommand} from './base-command.ts'
import {MODE_FLAGS, runModeCommand} from './mode-command.ts'

export default class Offline extends NexusCommand {
  static override summary = 'Save mode = offline in ./wandb/settings: wandb.init() in this directory then runs offline.'
  static override description = 'The same file and value as `wandb offline`. `nexus online` undoes it; `nexus sync` uploads the offline runs later.'
  static override examples = ['<%= config.bin %> offline']

  static override flags = MODE_FLAGS

  async run(): Promise<void> {
    const {flags} = await this.parse(Offline)
    await runModeCommand(this, 'offline', flags.json)
  }
}

import {setWorkspaceMode} from '../core/credentials/index.ts'
import {NexusCommand} from './base-command.ts'

export default class Disabled extends NexusCommand {
  static override summary = 'Save mode = disabled in ./wandb/settings: wandb calls in this directory do nothing.'
  static override description = 'The same file and value as `wandb disabled`. `nexus enabled` turns W&B back on.'
  static override examples = ['<%= config.bin %> disabled']

  async run(): Promise<void> {
    await this.parse(Disabled)
    for (const line of setWorkspaceMode('disabled').lines) this.log(line)
  }
}

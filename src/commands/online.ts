import {setWorkspaceMode} from '../core/credentials/index.ts'
import {NexusCommand} from './base-command.ts'

export default class Online extends NexusCommand {
  static override summary = 'Remove the offline mode from ./wandb/settings: wandb.init() in this directory runs online again.'
  static override description = 'The same change as `wandb online`: the `mode` key is removed from the workspace settings file.'
  static override examples = ['<%= config.bin %> online']

  async run(): Promise<void> {
    await this.parse(Online)
    for (const line of setWorkspaceMode('online').lines) this.log(line)
  }
}

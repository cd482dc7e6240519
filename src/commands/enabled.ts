import {setWorkspaceMode} from '../core/credentials/index.ts'
import {NexusCommand} from './base-command.ts'

export default class Enabled extends NexusCommand {
  static override summary = 'Save mode = online in ./wandb/settings: W&B works again in this directory after `nexus disabled`.'
  static override description = 'The same file and value as `wandb enabled`.'
  static override examples = ['<%= config.bin %> enabled']

  async run(): Promise<void> {
    await this.parse(Enabled)
    for (const line of setWorkspaceMode('enabled').lines) this.log(line)
  }
}

import {setWorkspaceMode} from '../core/credentials/index.ts'
import {NexusCommand} from './base-command.ts'

export default class Offline extends NexusCommand {
  static override summary = 'Save mode = offline in ./wandb/settings: wandb.init() in this directory then runs offline.'
  static override description = 'The same file and value as `wandb offline`. `nexus online` undoes it; `nexus sync` uploads the offline runs later.'
  static override examples = ['<%= config.bin %> offline']

  async run(): Promise<void> {
    await this.parse(Offline)
    for (const line of setWorkspaceMode('offline').lines) this.log(line)
  }
}

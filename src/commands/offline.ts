import {NotImplementedError} from '../core/errors.ts'
import {NexusCommand} from './base-command.ts'

export default class Offline extends NexusCommand {
  static override summary = 'Save mode = offline in ./wandb/settings: wandb.init() in this directory then runs offline.'
  static override examples = ['<%= config.bin %> offline']

  async run(): Promise<void> {
    await this.parse(Offline)
    throw new NotImplementedError('nexus offline')
  }
}

import {NotImplementedError} from '../core/errors.ts'
import {NexusCommand} from './base-command.ts'

export default class Online extends NexusCommand {
  static override summary = 'Remove the offline mode from ./wandb/settings: wandb.init() in this directory runs online again.'
  static override examples = ['<%= config.bin %> online']

  async run(): Promise<void> {
    await this.parse(Online)
    throw new NotImplementedError('nexus online')
  }
}

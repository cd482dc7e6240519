import {Args, Flags} from '@oclif/core'
import {NotImplementedError} from '../../core/errors.ts'
import {NexusCommand} from '../base-command.ts'

export default class ArtifactGet extends NexusCommand {
  static override summary = 'Download an artifact version to a directory.'
  static override examples = ['<%= config.bin %> artifact get my-entity/my-project/dataset:latest --root ./data']
  static override args = {
    path: Args.string({description: 'artifact: [entity/project/]name[:version or alias]', required: true}),
  }
  static override flags = {
    root: Flags.directory({description: 'directory to download into (default ./artifacts/<name>:<version>)'}),
    type: Flags.string({description: 'expected artifact type'}),
  }

  async run(): Promise<void> {
    await this.parse(ArtifactGet)
    throw new NotImplementedError('nexus artifact get')
  }
}

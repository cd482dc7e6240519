import {Args, Flags} from '@oclif/core'
import {NotImplementedError} from '../../core/errors.ts'
import {NexusCommand} from '../base-command.ts'

export default class ArtifactPut extends NexusCommand {
  static override summary = 'Upload a file or directory as a new artifact version.'
  static override examples = [
    '<%= config.bin %> artifact put ./data -n my-entity/my-project/dataset -t dataset -a v-final',
  ]
  static override args = {
    path: Args.string({description: 'file or directory to upload', required: true}),
  }
  static override flags = {
    name: Flags.string({char: 'n', description: 'artifact name: [entity/project/]name (default: basename of PATH)'}),
    type: Flags.string({char: 't', description: 'artifact type', default: 'dataset'}),
    alias: Flags.string({char: 'a', description: 'alias to apply (repeatable)', multiple: true}),
    description: Flags.string({char: 'd', description: 'description of the artifact'}),
    id: Flags.string({description: 'run id to log the artifact from'}),
    resume: Flags.boolean({description: 'resume the run given by --id'}),
    'skip-cache': Flags.boolean({description: 'do not copy the files into the local artifact cache'}),
    policy: Flags.option({options: ['mutable', 'immutable'] as const, description: 'staging policy', default: 'mutable'})(),
  }

  async run(): Promise<void> {
    await this.parse(ArtifactPut)
    throw new NotImplementedError('nexus artifact put')
  }
}

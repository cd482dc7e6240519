import {Args, Flags} from '@oclif/core'
import {NotImplementedError} from '../core/errors.ts'
import {NexusCommand} from './base-command.ts'

export default class Sweep extends NexusCommand {
  static override summary = 'Create a sweep from a YAML config, or change the state of an existing one.'
  static override examples = [
    '<%= config.bin %> sweep sweep.yaml --project my-project',
    '<%= config.bin %> sweep --stop my-entity/my-project/abcd1234',
  ]
  static override args = {
    target: Args.string({description: 'sweep config (YAML) to create, or sweep id with a state flag', required: true}),
  }
  static override flags = {
    project: Flags.string({char: 'p', description: 'project of the sweep'}),
    entity: Flags.string({char: 'e', description: 'entity of the sweep'}),
    name: Flags.string({description: 'display name of the sweep'}),
    controller: Flags.boolean({description: 'run the sweep controller locally'}),
    stop: Flags.boolean({description: 'finish the sweep (running runs continue)', exclusive: ['cancel', 'pause', 'resume']}),
    cancel: Flags.boolean({description: 'cancel the sweep (running runs are killed)', exclusive: ['stop', 'pause', 'resume']}),
    pause: Flags.boolean({description: 'pause the sweep', exclusive: ['stop', 'cancel', 'resume']}),
    resume: Flags.boolean({description: 'resume a paused sweep', exclusive: ['stop', 'cancel', 'pause']}),
  }

  async run(): Promise<void> {
    await this.parse(Sweep)
    throw new NotImplementedError('nexus sweep')
  }
}

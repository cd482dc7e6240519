import {Flags} from '@oclif/core'
import {NotImplementedError} from '../../core/errors.ts'
import {NexusCommand} from '../base-command.ts'

export default class ServiceInstall extends NexusCommand {
  static override summary = 'Put this binary into a wandb installation as its wandb-core (or restore the original).'
  static override description = `Finds the wandb package of the given Python, keeps its wandb/bin/wandb-core beside it as
wandb-core.orig, and installs this binary in its place. --uninstall restores the original.`
  static override examples = [
    '<%= config.bin %> service install --python .venv/bin/python',
    '<%= config.bin %> service install --uninstall',
  ]
  static override flags = {
    python: Flags.string({description: 'Python interpreter whose wandb installation to change', default: 'python3'}),
    uninstall: Flags.boolean({description: 'restore the original wandb-core'}),
  }

  async run(): Promise<void> {
    await this.parse(ServiceInstall)
    throw new NotImplementedError('nexus service install')
  }
}

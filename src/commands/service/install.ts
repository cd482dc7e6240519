import {Flags} from '@oclif/core'
import {findWandbPackage, installAsWandbCore, uninstallFromWandb} from '../../core/service/index.ts'
import {NexusCommand} from '../base-command.ts'

export default class ServiceInstall extends NexusCommand {
  static override summary = 'Put this binary into a wandb installation as its wandb-core (or restore the original).'
  static override description =
    `Finds the wandb package of the given Python, keeps its wandb/bin/wandb-core beside it as wandb-core.orig, and installs this binary in its place: from then on every wandb.init() of that Python runs on nexus.

--uninstall restores the original.`
  static override examples = ['<%= config.bin %> service install --python .venv/bin/python', '<%= config.bin %> service install --python .venv/bin/python --uninstall']
  static override flags = {
    python: Flags.string({description: 'Python interpreter whose wandb installation to change', default: 'python3'}),
    uninstall: Flags.boolean({description: 'restore the original wandb-core'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(ServiceInstall)
    const wandbDir = await findWandbPackage(flags.python)
    const result = flags.uninstall ? uninstallFromWandb(wandbDir) : await installAsWandbCore(wandbDir, process.execPath)
    if (result.action === 'restored') this.log(`Restored the original wandb-core in ${result.core}.`)
    else if (result.action === 'installed') this.log(`Installed nexus as ${result.core} (the original is kept as ${result.original}).`)
    else this.log(`Updated nexus in ${result.core} (the original stays as ${result.original}).`)
  }
}

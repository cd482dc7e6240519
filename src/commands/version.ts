import {Flags} from '@oclif/core'
import {NEXUS_VERSION, WANDB_PROTOCOL_VERSION} from '../core/version.ts'
import {versionLine} from './argv.ts'
import {NexusCommand} from './base-command.ts'

export default class Version extends NexusCommand {
  static override summary = 'Print the nexus version, the wandb protocol it speaks, and the platform (as --version).'
  static override examples = ['<%= config.bin %> version', '<%= config.bin %> version --json']
  static override flags = {
    json: Flags.boolean({description: 'one JSON object: {"schema": 1, "nexus", "wandbProtocol", "platform", "arch", "bun"}'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(Version)
    if (!flags.json) {
      this.log(versionLine())
      return
    }
    this.log(JSON.stringify({schema: 1, nexus: NEXUS_VERSION, wandbProtocol: WANDB_PROTOCOL_VERSION, platform: process.platform, arch: process.arch, bun: Bun.version}))
  }
}

import {Args, Flags} from '@oclif/core'
import {NotImplementedError} from '../core/errors.ts'
import {NexusCommand} from './base-command.ts'

export default class Login extends NexusCommand {
  static override summary = 'Verify an API key and store it in your netrc, as `wandb login` does.'
  static override description = `The key comes from the KEY argument, --key-file, standard input (KEY = "-"), or a hidden prompt on a terminal.
By default the key is verified against the server (Viewer query) before anything is written.
The netrc entry is written exactly as the wandb SDK writes it (mode 0600, other hosts untouched), and a
non-default --host is saved to the global wandb settings file, so Python processes find both.`
  static override examples = [
    '<%= config.bin %> login',
    '<%= config.bin %> login --host http://127.0.0.1:8080 $KEY',
    'cat key.txt | <%= config.bin %> login -',
    '<%= config.bin %> login --status',
  ]
  static override args = {
    key: Args.string({description: 'API key, or "-" to read it from standard input', required: false}),
  }
  static override flags = {
    'key-file': Flags.file({description: 'read the API key from this file', exists: true}),
    host: Flags.string({description: 'W&B server URL (cloud or self-hosted)', env: 'WANDB_BASE_URL'}),
    relogin: Flags.boolean({description: 'ask for a key even if one is already configured'}),
    verify: Flags.boolean({description: 'verify the key with the server before storing it', default: true, allowNo: true}),
    entity: Flags.string({description: 'entity (user or team) to use as default'}),
    status: Flags.boolean({description: 'show who is logged in where (never prints the key)'}),
  }

  async run(): Promise<void> {
    await this.parse(Login)
    throw new NotImplementedError('nexus login')
  }
}

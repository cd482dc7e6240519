import {Args, Flags} from '@oclif/core'
import {NotImplementedError} from '../core/errors.ts'
import {NexusCommand} from './base-command.ts'

export default class Sync extends NexusCommand {
  static override summary = 'Upload offline runs (.wandb files) to W&B: fast, resumable, crash-tolerant.'
  static override description = `PATH may be a run directory, a .wandb file, a glob, or a wandb/ directory (every offline run in it).
Runs already marked synced are skipped unless --include-synced. A run is marked synced only when every
upload was delivered. An interrupted sync continues where it stopped on the next invocation.`
  static override strict = false
  static override examples = [
    '<%= config.bin %> sync ./wandb/offline-run-*',
    '<%= config.bin %> sync ./wandb --project my-project --parallel 8',
    '<%= config.bin %> sync ./wandb/offline-run-20260101_120000-abc123 --view',
  ]
  static override args = {
    path: Args.string({description: 'run directories, .wandb files, globs or wandb/ directories', required: true}),
  }
  static override flags = {
    entity: Flags.string({char: 'e', description: 'entity to sync to (overrides the run\'s)'}),
    project: Flags.string({char: 'p', description: 'project to sync to (overrides the run\'s)'}),
    id: Flags.string({description: 'run id to sync to; several fragments of one resumed run are stitched in start order'}),
    'include-synced': Flags.boolean({description: 'also sync runs that already have a .synced marker'}),
    'mark-synced': Flags.boolean({description: 'write the .synced marker after a complete sync', default: true, allowNo: true}),
    parallel: Flags.integer({description: 'how many runs to sync at once', default: 8, min: 1, max: 256}),
    'dry-run': Flags.boolean({description: 'show what would be synced, send nothing'}),
    view: Flags.boolean({description: 'print the records of the .wandb files instead of syncing'}),
    json: Flags.boolean({description: 'machine-readable output (with --view: one JSON record per line)'}),
    live: Flags.boolean({description: 'follow a run that is still being written until its exit record'}),
    'base-url': Flags.string({description: 'W&B server URL', env: 'WANDB_BASE_URL'}),
    'api-key': Flags.string({description: 'API key (default: WANDB_API_KEY, then netrc)'}),
    'sync-tensorboard': Flags.boolean({description: 'also sync TensorBoard event files found in the run'}),
    'skip-console': Flags.boolean({description: 'do not upload console output'}),
  }

  async run(): Promise<void> {
    await this.parse(Sync)
    throw new NotImplementedError('nexus sync')
  }
}

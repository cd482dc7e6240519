import {Args, Flags} from '@oclif/core'
import {NoApiKeyError, SettingsFiles, resolveApiKey, resolveBaseUrl} from '../core/credentials/index.ts'
import {SweepApi, createSweep, setSweepState, settingsDefaults, type SweepOutput, type SweepStateAction} from '../core/sweeps/index.ts'
import {NexusCommand} from './base-command.ts'

const STATE_FLAGS = ['stop', 'cancel', 'pause', 'resume'] as const

export default class Sweep extends NexusCommand {
  static override summary = 'Create a sweep from a YAML config, or change the state of an existing one.'
  static override description = `Does what \`wandb sweep\` (0.31) does, without Python, and prints the same lines on stderr: the sweep id, its URL and the \`wandb agent\` command to start agents with. Entity and project: the flags, then WANDB_ENTITY / WANDB_PROJECT, then the config's entity / project, then the settings files; the project defaults to the git repository's name or "uncategorized", the entity to your default entity. Credentials: --api-key, WANDB_API_KEY, then netrc. The local controller (--controller, or controller: {type: local}) needs wandb's Python sweeps package and is refused.`
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
    program: Flags.string({description: 'override the training program of the sweep config'}),
    update: Flags.string({description: 'replace the config of this pending sweep (id or entity/project/id) instead of creating one'}),
    prior_run: Flags.string({char: 'R', description: 'attach an existing run (by id) to the new sweep (repeatable)', multiple: true, aliases: ['prior-run']}),
    controller: Flags.boolean({description: 'run the sweep controller locally (not supported: needs the Python sweeps package)'}),
    stop: Flags.boolean({description: 'finish the sweep (running runs continue)', exclusive: ['cancel', 'pause', 'resume']}),
    cancel: Flags.boolean({description: 'cancel the sweep (running runs are killed)', exclusive: ['stop', 'pause', 'resume']}),
    pause: Flags.boolean({description: 'pause the sweep', exclusive: ['stop', 'cancel', 'resume']}),
    resume: Flags.boolean({description: 'resume a paused sweep', exclusive: ['stop', 'cancel', 'pause']}),
    'api-key': Flags.string({description: 'API key (default: WANDB_API_KEY, then netrc)'}),
    'base-url': Flags.string({description: 'W&B server URL (default: WANDB_BASE_URL, then the settings files)'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Sweep)
    const files = SettingsFiles.load()
    const base = resolveBaseUrl({flag: flags['base-url'], flagName: '--base-url', files})
    const key = resolveApiKey({flag: flags['api-key'], flagName: '--api-key', baseUrl: base.url, files})
    if (!key) throw new NoApiKeyError(base.url)
    const api = new SweepApi({baseUrl: base.url, apiKey: key.apiKey})
    const defaults = settingsDefaults({files})
    const silent = isTrue(process.env.WANDB_SILENT)
    // wandb's termlog/termwarn lines, on stderr with its prefix (scripts parse them); WANDB_SILENT hides them
    const out: SweepOutput = {
      info: (line) => {
        if (!silent) this.logToStderr(`wandb: ${line}`)
      },
      warn: (line) => {
        if (!silent) this.logToStderr(`wandb: WARNING ${line}`)
      },
    }
    const action = STATE_FLAGS.find((f) => flags[f]) as SweepStateAction | undefined
    if (action) {
      await setSweepState({target: args.target, action, entity: flags.entity, project: flags.project, defaults, baseUrl: base.url, api, out})
      return
    }
    await createSweep({
      configPath: args.target, entity: flags.entity, project: flags.project, name: flags.name, program: flags.program,
      controller: flags.controller, priorRuns: flags.prior_run, update: flags.update,
      defaults, baseUrl: base.url, appUrl: base.appUrl, api, out,
    })
  }
}

/** The SDK's reading of a boolean setting from the environment. */
function isTrue(value: string | undefined): boolean {
  return value !== undefined && ['1', 'true', 't', 'yes', 'y', 'on'].includes(value.trim().toLowerCase())
}

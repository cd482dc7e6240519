import {Args, Flags} from '@oclif/core'
import {createOfflineSweep, createSweep, setSweepState, wandbDirOf, type SweepStateAction} from '../core/sweeps/index.ts'
import {NexusCommand} from './base-command.ts'
import {controlSweep} from './controller.ts'
import {sweepClient, wandbLines} from './sweep-client.ts'

const STATE_FLAGS = ['stop', 'cancel', 'pause', 'resume'] as const

export default class Sweep extends NexusCommand {
  static override summary = 'Create a sweep from a YAML config, or change the state of an existing one.'
  static override description =
    `Does what \`wandb sweep\` (0.31) does, without Python, and prints the same lines on stderr: the sweep id, its URL and the \`wandb agent\` command to start agents with. Entity and project: the flags, then WANDB_ENTITY / WANDB_PROJECT, then the config's entity / project, then the settings files; the project defaults to the git repository's name or "uncategorized", the entity to your default entity. Credentials: --api-key, WANDB_API_KEY, then netrc. With --controller the search runs here: the sweep is created with \`controller: {type: local}\`, then \`nexus controller\` runs in the foreground, as \`wandb sweep --controller\` does. With --offline the sweep is kept in the wandb folder for \`nexus agent --offline\`, with no network at all.`
  static override examples = ['<%= config.bin %> sweep sweep.yaml --project my-project', '<%= config.bin %> sweep --stop my-entity/my-project/abcd1234']
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
    controller: Flags.boolean({description: 'run the sweep controller locally, in the foreground, after creating the sweep'}),
    verbose: Flags.boolean({description: 'with --controller: print every schedule and stop action'}),
    offline: Flags.boolean({
      description: 'create the sweep in ./wandb (or $WANDB_DIR/wandb) instead of on the server, for `nexus agent --offline`; `nexus sync` of its runs later creates it on the server',
      exclusive: ['controller', 'update', 'prior_run', 'stop', 'cancel', 'pause', 'resume'],
    }),
    stop: Flags.boolean({description: 'finish the sweep (running runs continue)', exclusive: ['cancel', 'pause', 'resume']}),
    cancel: Flags.boolean({description: 'cancel the sweep (running runs are killed)', exclusive: ['stop', 'pause', 'resume']}),
    pause: Flags.boolean({description: 'pause the sweep', exclusive: ['stop', 'cancel', 'resume']}),
    resume: Flags.boolean({description: 'resume a paused sweep', exclusive: ['stop', 'cancel', 'pause']}),
    json: Flags.boolean({
      description:
        'also print one JSON object on stdout: {"schema": 1, "id", "entity", "project", "url", "agentCommand", "offline"} for a new sweep, {"schema": 1, "id", "entity", "project", "state"} for a state change',
    }),
    'api-key': Flags.string({description: 'API key (default: WANDB_API_KEY, then netrc)'}),
    'base-url': Flags.string({description: 'W&B server URL (default: WANDB_BASE_URL, then the settings files)'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Sweep)
    if (flags.offline) {
      const made = createOfflineSweep({
        configPath: args.target,
        entity: flags.entity,
        project: flags.project,
        name: flags.name,
        program: flags.program,
        wandbDir: wandbDirOf(process.env, process.cwd()),
        out: wandbLines((line) => this.logToStderr(line)),
      })
      if (flags.json) this.log(JSON.stringify({schema: 1, id: made.id, entity: made.entity, project: made.project, url: null, agentCommand: made.agentCommand, offline: true, dir: made.dir}))
      return
    }
    const client = sweepClient(flags, (line) => this.logToStderr(line))
    const {api, defaults, baseUrl, appUrl, out} = client
    const action = STATE_FLAGS.find((f) => flags[f]) as SweepStateAction | undefined
    if (action) {
      const changed = await setSweepState({target: args.target, action, entity: flags.entity, project: flags.project, defaults, baseUrl, api, out})
      if (flags.json) this.log(JSON.stringify({schema: 1, id: changed.id, entity: changed.entity, project: changed.project, state: changed.state}))
      return
    }
    const created = await createSweep({
      configPath: args.target,
      entity: flags.entity,
      project: flags.project,
      name: flags.name,
      program: flags.program,
      controller: flags.controller,
      priorRuns: flags.prior_run,
      update: flags.update,
      defaults,
      baseUrl,
      appUrl,
      api,
      out,
    })
    if (flags.json) {
      this.log(
        JSON.stringify({schema: 1, id: created.id, entity: created.entity ?? null, project: created.project ?? null, url: created.url ?? null, agentCommand: created.agentCommand, offline: false}),
      )
    }
    if (!flags.controller) return
    out.info('Starting wandb controller...')
    const target = created.project ? [created.entity, created.project, created.id].filter(Boolean).join('/') : created.id
    const {code} = await controlSweep({target, entity: flags.entity, project: flags.project, verbose: flags.verbose, client, log: (line) => this.log(line)})
    if (code !== 0) this.exit(code)
  }
}

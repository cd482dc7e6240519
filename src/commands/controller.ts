import {Args, Flags} from '@oclif/core'
import {UserFacingError} from '../core/errors.ts'
import {ExitCode} from '../core/exit-codes.ts'
import {runController, type ControllerEnd} from '../core/sweeps/index.ts'
import {NexusCommand} from './base-command.ts'
import {stopOnSignal, sweepClient} from './sweep-client.ts'

export default class Controller extends NexusCommand {
  static override summary = "Run a local sweep controller: choose the parameters of a sweep's runs here instead of on the W&B server."
  static override description =
    `Does what \`wandb controller\` (0.31) does, without Python: every few seconds it reads the sweep and its runs, schedules the next run its search method chooses (grid, random, bayes), and asks agents to stop runs the sweep's early_terminate (hyperband) stops. Agents (\`nexus agent\` or \`wandb agent\`) run what it schedules. The sweep must have \`controller: {type: local}\` (\`nexus sweep --controller\` creates one). It ends when the sweep ends, or when the search is exhausted and no run is in flight (it then finishes the sweep). NEXUS_CONTROLLER_INTERVAL sets the seconds between steps (default 5).`
  static override examples = ['<%= config.bin %> controller my-entity/my-project/abcd1234']
  static override args = {
    sweep: Args.string({description: 'sweep id, project/id or entity/project/id', required: true}),
  }
  static override flags = {
    verbose: Flags.boolean({description: 'print every schedule and stop action'}),
    json: Flags.boolean({description: 'status lines go to stderr; at the end one JSON object on stdout: {"schema": 1, "sweep", "end": "sweep-ended"|"exhausted"|"stopped", "exitCode"}'}),
    project: Flags.string({char: 'p', description: 'project of the sweep'}),
    entity: Flags.string({char: 'e', description: 'entity of the sweep'}),
    'api-key': Flags.string({description: 'API key (default: WANDB_API_KEY, then netrc)'}),
    'base-url': Flags.string({description: 'W&B server URL (default: WANDB_BASE_URL, then the settings files)'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Controller)
    const client = sweepClient(flags, (line) => this.logToStderr(line))
    const log = (line: string) => (flags.json ? this.logToStderr(line) : this.log(line))
    log('Starting wandb controller...')
    const {code, end} = await controlSweep({target: args.sweep, entity: flags.entity, project: flags.project, verbose: flags.verbose, client, log})
    if (flags.json) this.log(JSON.stringify({schema: 1, sweep: args.sweep, end, exitCode: code}))
    if (code !== ExitCode.OK) this.exit(code)
  }
}

/** Runs the controller until the sweep ends or a signal stops it; the exit code and how it ended. */
export async function controlSweep(o: {
  target: string
  entity?: string
  project?: string
  verbose?: boolean
  client: ReturnType<typeof sweepClient>
  log: (line: string) => void
}): Promise<{code: number; end: ControllerEnd}> {
  const stop = stopOnSignal()
  let end: ControllerEnd
  try {
    end = await runController({
      target: o.target,
      entity: o.entity,
      project: o.project,
      verbose: o.verbose,
      defaults: o.client.defaults,
      baseUrl: o.client.baseUrl,
      api: o.client.api,
      out: {line: o.log},
      signal: stop.signal,
      intervalSeconds: intervalSeconds(process.env.NEXUS_CONTROLLER_INTERVAL),
    })
  } finally {
    stop.release()
  }
  const by = stop.stoppedBy()
  return {code: by ? ExitCode[by] : ExitCode.OK, end}
}

function intervalSeconds(raw: string | undefined): number | undefined {
  if (raw === undefined || raw.trim() === '') return undefined
  const n = Number(raw)
  if (!Number.isFinite(n) || n < 0) {
    throw new UserFacingError('controller: bad NEXUS_CONTROLLER_INTERVAL', `NEXUS_CONTROLLER_INTERVAL must be a number of seconds ≥ 0, not ${JSON.stringify(raw)}.`, {exitCode: ExitCode.USAGE})
  }
  return n
}

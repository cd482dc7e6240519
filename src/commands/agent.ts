import {hostname} from 'node:os'
import {resolve} from 'node:path'
import {Args, Flags} from '@oclif/core'
import type {ResolvedApiKey} from '../core/credentials/index.ts'
import {AgentUsageError, RecordingSource, SweepAgent, SweepGoneError, agentLogLine, agentSettings, onlineSource, type AgentCommandSource, type AgentOutput} from '../core/sweeps/agent/index.ts'
import {offlineSource, parseSweepPath, settingsDefaults} from '../core/sweeps/index.ts'
import {NexusCommand} from './base-command.ts'
import {sweepClient, wandbLines} from './sweep-client.ts'

export default class Agent extends NexusCommand {
  static override summary = "Run a sweep agent: start the runs the sweep's controller hands out, one at a time."
  static override description =
    `Does what \`wandb agent\` (0.31) does, without Python, and prints the same lines on stderr: it registers with the sweep, heartbeats the server every 5 seconds, and for each \`run\` command starts the sweep's command (default \`/usr/bin/env python PROGRAM --name=value…\`, with every \${…} macro of wandb) with WANDB_SWEEP_ID, WANDB_RUN_ID and WANDB_SWEEP_PARAM_PATH set, so \`wandb.init()\` in the program picks up the parameters. It stops runs the server asks to stop (SIGTERM, then SIGKILL after WANDB_AGENT_KILL_DELAY seconds), exits when the sweep ends, after --count runs, or when runs keep failing (3 failures in the first 60 s unless WANDB_AGENT_DISABLE_FLAPPING=true; WANDB_AGENT_MAX_INITIAL_FAILURES failures without more successes). Ctrl-C waits for the running run to end; a second Ctrl-C terminates it, a third kills it. Exit status: 0, 1 when runs kept failing or the sweep was deleted, 2 for a bad sweep id or unknown sweep, 128+N after signal N.`
  static override examples = ['<%= config.bin %> agent my-entity/my-project/abcd1234', '<%= config.bin %> agent --count 10 abcd1234']
  static override args = {
    sweep: Args.string({description: 'sweep id, project/id or entity/project/id', required: true}),
  }
  static override flags = {
    project: Flags.string({char: 'p', description: 'project of the sweep (and of its runs)'}),
    entity: Flags.string({char: 'e', description: 'entity of the sweep (and of its runs)'}),
    count: Flags.integer({description: 'the most runs this agent starts (default: until the sweep ends)', min: 0}),
    'forward-signals': Flags.boolean({char: 'f', description: 'pass SIGINT, SIGTERM, SIGHUP… on to the running runs so they can shut down cleanly'}),
    'term-timeout': Flags.integer({char: 't', description: 'with --forward-signals: seconds after a shutdown signal before runs still going are killed', min: 0}),
    'max-consecutive-failed-runs': Flags.integer({description: 'stop the agent once this many runs in a row have failed', min: 1}),
    offline: Flags.boolean({description: 'run an offline sweep of the local wandb folder (created with `nexus sweep --offline`) without a server'}),
    json: Flags.boolean({description: 'at the end, one JSON object on stdout: {"schema": 1, "sweep": {"id", "entity", "project"}, "offline", "runs": [{"runId", "exitCode"}], "exitCode"}'}),
    'api-key': Flags.string({description: 'API key (default: WANDB_API_KEY, then netrc); passed on to the runs'}),
    'base-url': Flags.string({description: 'W&B server URL (default: WANDB_BASE_URL, then the settings files); passed on to the runs'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Agent)
    const lines = wandbLines((line) => this.logToStderr(line))
    const out: AgentOutput = {
      info: (line) => lines.info(line),
      error: (line) => lines.error(line),
      log: (level, message) => this.logToStderr(agentLogLine(new Date(), level, message)),
    }
    out.info('Starting wandb agent 🕵️')
    const cwd = process.cwd()
    const env: Record<string, string | undefined> = {...process.env}
    const parts = parseSweepPath(args.sweep)
    const entity = parts.entity || flags.entity
    const project = parts.project || flags.project
    // wandb puts the sweep's path into its environment, which the runs inherit
    if (entity) env.WANDB_ENTITY = entity
    if (project) env.WANDB_PROJECT = project
    env.WANDB_SWEEP_ID = parts.name
    env.WANDB_DIR ??= resolve(cwd)
    if (flags['max-consecutive-failed-runs'] !== undefined && flags['max-consecutive-failed-runs'] < 1) throw new AgentUsageError('--max-consecutive-failed-runs must be at least 1.')
    const settings = agentSettings(env)

    let source: AgentCommandSource
    if (flags.offline) {
      source = offlineSource({sweepId: parts.name, env, cwd})
    } else {
      const client = sweepClient(flags, (line) => this.logToStderr(line))
      const {key, files} = client
      const base = {url: client.baseUrl}
      const from = credentialSource(key)
      if (from) out.info(`[wandb.login()] Loaded credentials for ${base.url} from ${from}.`)
      // credentials given on the command line reach the runs' wandb.init() through the environment
      if (flags['base-url']) env.WANDB_BASE_URL = base.url
      if (key.source === 'flag') env.WANDB_API_KEY = key.apiKey
      source = onlineSource({
        api: {baseUrl: base.url, apiKey: key.apiKey},
        sweep: parts.name,
        entity,
        project,
        defaults: settingsDefaults({env, files}),
        host: hostname(),
        baseUrl: base.url,
        out,
      })
    }

    const recorded = new RecordingSource(source)
    const agent = new SweepAgent({
      source: recorded,
      out,
      env,
      cwd,
      settings,
      count: flags.count,
      forwardSignals: flags['forward-signals'],
      termTimeoutSeconds: flags['term-timeout'],
      maxConsecutiveFailedRuns: flags['max-consecutive-failed-runs'],
    })
    let code: number
    try {
      code = await agent.run()
    } catch (err) {
      if (!(err instanceof SweepGoneError)) throw err
      out.error(err.userText)
      code = err.exitCode
    }
    if (flags.json) {
      const sweep = recorded.sweep ? {id: recorded.sweep.id, entity: recorded.sweep.entity || null, project: recorded.sweep.project || null} : null
      this.log(JSON.stringify({schema: 1, sweep, offline: flags.offline, runs: recorded.trials, exitCode: code}))
    }
    if (code !== 0) this.exit(code)
  }
}

/** How wandb's login line names where the key came from (nothing for a flag, which wandb has not). */
function credentialSource(key: ResolvedApiKey): string | undefined {
  if (key.source === 'env') return 'WANDB_API_KEY'
  if (key.source === 'netrc') return key.path
  if (key.source === 'settings') return 'settings'
  return undefined
}

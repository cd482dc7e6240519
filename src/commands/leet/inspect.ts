import {Args, Flags} from '@oclif/core'
import {ExitCode} from '../../core/exit-codes.ts'
import {parseGoDuration, validateInspect} from '../../core/leet/index.ts'
import {NexusCommand} from '../base-command.ts'
import {printSummary} from './core-leet.ts'
import {delegateLeet} from './delegate.ts'

export default class LeetInspect extends NexusCommand {
  static override summary = "Inspect a run's .wandb transaction log: with --summary, its state, last step, summary, config and console tail."
  static override description = [
    'The output of `wandb-core leet inspect` (wandb 0.31) byte for byte. --summary [--json] is read by nexus itself;',
    'the records dump (no --summary), --follow and the terminal UI are run by the original Go core',
    '(wandb-core.orig beside this binary, or $NEXUS_WANDB_CORE); without one they exit 3.',
  ].join(' ')
  static override examples = ['<%= config.bin %> leet inspect --summary ./wandb', '<%= config.bin %> leet inspect --summary --json --run-file wandb/run-20260101_000000-abc/run-abc.wandb']

  static override args = {
    wandb_dir: Args.string({description: 'a wandb directory: its latest-run is inspected', required: false}),
  }

  static override flags = {
    summary: Flags.boolean({description: "print the run's state, latest metric values, config and console tail instead of its records"}),
    json: Flags.boolean({description: 'JSON: one object with --summary, one line per record without'}),
    follow: Flags.boolean({description: 'keep printing records as the run writes them (original core)'}),
    'idle-timeout': Flags.string({description: 'with --follow, stop after this long without a write (Go duration: 30s, 10m)', default: '10m'}),
    'run-file': Flags.string({description: 'the .wandb file to inspect (default: the latest run of WANDB_DIR)'}),
    'no-observability': Flags.boolean({hidden: true, description: 'accepted for wandb-core compatibility; ignored'}),
    'base-url': Flags.string({hidden: true, description: 'accepted for wandb-core compatibility; ignored'}),
    'log-level': Flags.string({hidden: true, description: 'accepted for wandb-core compatibility; ignored'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(LeetInspect)
    const idle = parseGoDuration(flags['idle-timeout'])
    if (idle === undefined) this.error(`invalid --idle-timeout ${JSON.stringify(flags['idle-timeout'])}: use a Go duration such as 30s or 10m`, {exit: ExitCode.USAGE})
    const options = {
      summary: flags.summary,
      json: flags.json,
      follow: flags.follow,
      idleTimeoutS: idle,
      runFile: flags['run-file'] ?? '',
      wandbDir: args.wandb_dir ?? '',
    }
    const problem = validateInspect(options)
    if (problem) this.error(problem, {exit: ExitCode.USAGE})
    const code = options.summary ? await printSummary(options) : await delegateLeet(goArgs(options))
    if (code !== 0) this.exit(code)
  }
}

/** The same call in wandb-core's syntax, for the original core. */
function goArgs(o: {json: boolean; follow: boolean; idleTimeoutS: number; runFile: string; wandbDir: string}): string[] {
  const out = ['inspect']
  if (o.json) out.push('--json')
  if (o.follow) out.push('--follow', `--idle-timeout=${o.idleTimeoutS}s`)
  if (o.runFile) out.push('--run-file', o.runFile)
  if (o.wandbDir) out.push('--', o.wandbDir)
  return out
}

import {Flags} from '@oclif/core'
import {UserFacingError} from '../core/errors.ts'
import {cleanWandbDir, removeRuns, selectRunsToClean, wandbDirProblem} from '../sync/index.ts'
import {wandbLines} from './ui/wandb-lines.ts'
import {NexusCommand} from './base-command.ts'
import {ExitCode} from './exit-codes.ts'
import {confirm} from './ui/confirm.ts'

export default class Clean extends NexusCommand {
  static override summary = 'Remove the local data of synced runs from the wandb directory.'
  static override description =
    `Does what \`wandb clean\` does, without Python: removes the run folders of the wandb directory (./wandb or ./.wandb, under WANDB_DIR if set; --path names another) created more than --min-hours ago (default 24, from the timestamp in the folder name) that were made online (run-*) or synced (offline-run-* with a .synced marker, including the one \`nexus sync\` keeps for read-only runs); --include-unsynced (or --all) takes unsynced offline runs too. It lists them and asks first, on stderr with wandb's "wandb: " lines.

Unlike wandb, which fails with a traceback, a job without a terminal is told to pass --force (or -y/--yes), and nothing is removed; a run-* entry that is a symbolic link is skipped with a warning and never followed; runs are listed sorted by name. Exit codes: 0 removed (or nothing to remove); 1 no wandb directory, not confirmed, or some runs could not be removed; 2 bad usage, or a confirmation was needed without a terminal.`
  static override examples = ['<%= config.bin %> clean', '<%= config.bin %> clean --min-hours 0 --force', '<%= config.bin %> clean --include-unsynced --path /scratch/wandb -y --json']
  static override flags = {
    'min-hours': Flags.integer({description: 'minimum run age in hours for deletion', default: 24}),
    'include-unsynced': Flags.boolean({description: 'delete unsynced run directories as well (also --all)', aliases: ['all']}),
    force: Flags.boolean({char: 'y', description: 'skip the confirmation prompt (also --yes)', aliases: ['yes']}),
    path: Flags.string({description: 'the wandb directory to clean (default: ./wandb or ./.wandb under WANDB_DIR)'}),
    json: Flags.boolean({
      description: 'one JSON object on stdout: {"schema": 1, "wandbDir", "removed", "failed", "unsynced", "skippedTooNew", "skippedUnsynced", "notDirectories", "links"} (no wandb lines)',
    }),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(Clean)
    const term = wandbLines((line) => this.logToStderr(line))
    const out = flags.json ? {info: () => {}, warn: () => {}, error: term.error} : term
    const dir = cleanWandbDir({override: flags.path})
    const problem = wandbDirProblem(dir)
    if (problem) {
      term.error(problem)
      this.exit(ExitCode.INTERNAL)
    }
    const sel = selectRunsToClean({dir, includeUnsynced: flags['include-unsynced'], minHours: flags['min-hours'], term: out})
    const report = (removed: string[], failed: {path: string; error: string}[]) => {
      if (!flags.json) return
      this.log(
        JSON.stringify({
          schema: 1,
          wandbDir: dir.display,
          removed,
          failed,
          unsynced: sel.runs.filter((r) => r.unsynced).map((r) => r.display),
          skippedTooNew: sel.skippedTooNew,
          skippedUnsynced: sel.skippedUnsynced,
          notDirectories: sel.notDirectories,
          links: sel.links,
        }),
      )
    }
    if (sel.skippedTooNew) out.info(`Skipping ${sel.skippedTooNew} run(s) created fewer than ${flags['min-hours']} hours ago.`)
    if (sel.skippedUnsynced) out.info(`Skipping ${sel.skippedUnsynced} unsynced run(s).`)
    if (sel.runs.length === 0) {
      out.info('Found no runs to clean up.')
      report([], [])
      return
    }
    out.info(`Found ${sel.runs.length} run(s) to clean.`)
    for (const run of sel.runs) out.info(`  ${run.unsynced ? '[unsynced] ' : ''}${run.display}`)
    if (!flags.force) {
      const unsynced = sel.runs.filter((r) => r.unsynced).length
      const note = unsynced === 0 ? '' : unsynced === 1 ? ', 1 of which is unsynced' : `, ${unsynced} of which are unsynced`
      const question = `Are you sure you want to remove ${sel.runs.length} run(s)${note}?`
      if (!process.stdin.isTTY) {
        throw new UserFacingError('clean: no terminal to confirm on', `${question} There is no terminal to ask on, so nothing was removed: pass --force (or -y/--yes) to remove them without asking.`, {
          exitCode: ExitCode.USAGE,
        })
      }
      if (!(await confirm(`wandb: ${question}`))) this.exit(ExitCode.INTERNAL)
    }
    const {removed, failed} = removeRuns(sel.runs, out)
    if (failed.length === 0) out.info('Success.')
    else out.warn('Some runs may not have been removed.')
    report(removed, failed)
    if (failed.length > 0) this.exit(ExitCode.INTERNAL)
  }
}

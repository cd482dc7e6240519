import {Args, Flags} from '@oclif/core'
import {resolveApiKey, resolveBaseUrl} from '../core/credentials/index.ts'
import {UserFacingError} from '../core/errors.ts'
import {JsonLogger, FileLogSink, nullLogger, type Logger} from '../core/observability/index.ts'
import {systemClock} from '../core/runtime/index.ts'
import {defaultWandbDir, discoverTargets, MAX_RETRY_MS, parseTagReplacements, probeServer, syncTargets, viewRecords, type ReplayResult, SyncError} from '../sync/index.ts'
import {NexusCommand} from './base-command.ts'
import {ExitCode} from './exit-codes.ts'
import {SyncProgressView, resultsTable} from './ui/sync-progress.ts'
import {confirm} from './ui/confirm.ts'
import {runReport, syncReport} from './ui/sync-report.ts'

/** The CLI exit code for a set of results: the most serious failure decides. */
export function syncExitCode(results: ReplayResult[]): number {
  const failedWith = (code: number) => results.some((r) => r.status === 'failed' && r.error?.exitCode === code)
  if (failedWith(ExitCode.AUTH)) return ExitCode.AUTH
  if (failedWith(ExitCode.NETWORK)) return ExitCode.NETWORK
  if (failedWith(ExitCode.LOCAL_FILE)) return ExitCode.LOCAL_FILE
  if (results.some((r) => r.status === 'damaged') || failedWith(ExitCode.DAMAGED)) return ExitCode.DAMAGED
  if (results.some((r) => r.status !== 'synced' && r.status !== 'busy')) return ExitCode.PARTIAL
  if (results.some((r) => r.status === 'busy')) return ExitCode.BUSY
  return ExitCode.OK
}

/** A flag of positive seconds. */
const seconds = (flag: string, description: string, defaultSeconds: number) =>
  Flags.custom<number>({
    description,
    default: defaultSeconds,
    parse: async (text) => {
      const n = Number(text)
      if (!Number.isFinite(n) || n <= 0) throw new Error(`${flag} wants a positive number of seconds, got ${text}`)
      return n
    },
  })()

export default class Sync extends NexusCommand {
  static override summary = 'Upload offline runs (.wandb files) to W&B: fast, resumable, crash-tolerant.'
  static override description =
    `PATH may be a run directory, a .wandb file, a glob, or a wandb/ directory (every run in it); without PATH, every run in ./wandb (under WANDB_DIR if set), after a confirmation or with --yes. As with \`wandb sync\`, runs made online (run-* directories) are skipped unless --include-online, and runs already marked synced unless --include-synced.

A run is marked synced (<file>.synced) only when every upload was delivered. An interrupted sync (Ctrl-C, kill -9, network loss) continues where it stopped on the next invocation; progress is kept per destination (server, entity, project, run id) in $XDG_CACHE_HOME/nexus/sync (or $NEXUS_SYNC_STATE_DIR), never in the run directory, which sync does not change (a read-only run directory syncs too). One sync per run at a time: a run another sync holds is skipped. A damaged .wandb file syncs every intact record and reports the damaged byte ranges; a run without an exit record is finished as crashed (exit code 1).

Exit codes: 0 everything synced; 2 bad usage; 4 credentials rejected; 5 server unreachable (or kept failing past --max-retry-time); 6 some uploads not delivered (rerun to finish); 7 damaged input (intact data was synced); 8 a local file could not be read or written (full disk, read-only state folder); 9 another sync holds a run (skipped); 130/143 stopped by SIGINT/SIGTERM (progress kept).`
  static override strict = false
  static override examples = [
    '<%= config.bin %> sync ./wandb/offline-run-*',
    '<%= config.bin %> sync ./wandb --project my-project --parallel 8',
    '<%= config.bin %> sync --yes --include-online   # every run in ./wandb, e.g. at the end of a batch job',
    '<%= config.bin %> sync ./wandb/offline-run-20260101_120000-abc123 --view',
  ]
  static override args = {
    path: Args.string({description: 'run directories, .wandb files, globs or wandb/ directories (none: every unsynced run in ./wandb, after a confirmation or with --yes)'}),
  }
  static override flags = {
    entity: Flags.string({char: 'e', description: "entity to sync to (overrides the run's)"}),
    project: Flags.string({char: 'p', description: "project to sync to (overrides the run's)"}),
    id: Flags.string({description: 'run id to sync to; several fragments of one resumed run are stitched in start order'}),
    'include-synced': Flags.boolean({description: 'also sync runs that already have a .synced marker'}),
    'include-online': Flags.boolean({description: 'also sync runs made online (run-* directories), as `wandb sync --include-online`', allowNo: true}),
    'job-type': Flags.string({description: "job type for every synced run (overrides the run's)"}),
    'replace-tags': Flags.string({description: 'rename tags: old1=new1,old2=new2 (an empty new name removes the tag)'}),
    yes: Flags.boolean({char: 'y', description: 'without paths: sync the runs found in ./wandb without asking'}),
    'mark-synced': Flags.boolean({description: 'write the .synced marker after a complete sync', default: true, allowNo: true}),
    parallel: Flags.integer({description: 'how many runs to sync at once', default: 8, min: 1, max: 256}),
    'dry-run': Flags.boolean({description: 'show what would be synced, send nothing'}),
    view: Flags.boolean({description: 'print the records of the .wandb files instead of syncing'}),
    json: Flags.boolean({description: 'machine-readable output (with --view: one JSON record per line)'}),
    quiet: Flags.boolean({char: 'q', description: 'print only what went wrong: no progress, status lines or results table (the exit code tells the outcome)'}),
    live: Flags.boolean({description: 'follow a run that is still being written until its exit record'}),
    'base-url': Flags.string({description: 'W&B server URL (default: WANDB_BASE_URL, settings, the SDK default)'}),
    'api-key': Flags.string({description: 'API key (default: WANDB_API_KEY, then netrc)'}),
    'sync-tensorboard': Flags.boolean({hidden: true, description: 'removed, as in wandb 0.30+: a run made with sync_tensorboard already holds its TensorBoard rows'}),
    'skip-console': Flags.boolean({description: 'do not upload console output'}),
    restart: Flags.boolean({description: 'ignore saved progress of an interrupted sync and start over'}),
    'checkpoint-interval': seconds('--checkpoint-interval', 'seconds between progress checkpoints: lower re-sends less after an interruption, at one more round trip each', 3),
    timeout: seconds('--timeout', 'seconds to wait for an unreachable server (at the start, and for each run to be created) before giving up with exit 5', 60),
    'max-retry-time': seconds(
      '--max-retry-time',
      'seconds a failing upload (file_stream, files, GraphQL) is retried before the run is given up (exit 5; the next sync continues)',
      MAX_RETRY_MS / 1000,
    ),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(Sync)
    const paths = argv as string[]
    if (flags['sync-tensorboard']) {
      // wandb >= 0.30 removed the option: the service converts tfevents while the run is live,
      // so an offline run's .wandb file already holds the TensorBoard rows and files.
      throw new UserFacingError(
        'sync: --sync-tensorboard removed',
        'The option --sync-tensorboard has been removed (as in wandb 0.30+): a run started with sync_tensorboard=True already holds its TensorBoard data, so plain `nexus sync` uploads it.',
        {exitCode: ExitCode.USAGE},
      )
    }
    const tagReplacements = parseTagReplacements(flags['replace-tags'])
    const everyRun = paths.length === 0
    const found = discoverTargets(everyRun ? [defaultWandbDir()] : paths)
    const targets = flags['include-online'] ? found : found.filter((t) => !t.online)
    const skippedOnline = found.filter((t) => !targets.includes(t))
    if (skippedOnline.length > 0 && !flags.json && !flags.view && !flags.quiet) this.logToStderr(`nexus: Skipped ${skippedOnline.length} online run(s). Include them with --include-online.`)
    if (flags.view) {
      for (const t of targets) {
        if (!flags.json) this.log(`== ${t.file}`)
        viewRecords(t.file, {json: flags.json, print: (line) => this.log(line)})
      }
      return
    }
    const todo = flags['include-synced'] ? targets : targets.filter((t) => !t.synced)
    const skippedSynced = targets.filter((t) => !todo.includes(t))
    const skipped = [...skippedSynced.map((t) => ({file: t.file, reason: 'synced' as const})), ...skippedOnline.map((t) => ({file: t.file, reason: 'online' as const}))]
    if (flags['dry-run']) {
      if (flags.json) this.log(syncReport({dryRun: true, exitCode: ExitCode.OK, skipped, runs: todo.map((t) => ({file: t.file, status: 'would-sync'}))}))
      else {
        for (const t of todo) this.log(`would sync ${t.file}`)
        for (const t of targets.filter((x) => !todo.includes(x))) this.log(`already synced, skipped: ${t.file}`)
      }
      return
    }
    if (everyRun && todo.length > 0 && !flags.yes) {
      const question = `Sync ${todo.length} run(s) found in ${defaultWandbDir()}?`
      if (!(await confirm(question))) {
        throw new SyncError(
          'sync: not confirmed',
          `${question} Not confirmed, nothing synced; pass --yes (-y) to sync without asking${process.stdin.isTTY ? '' : ' (there is no terminal to ask on)'}.`,
          {exitCode: ExitCode.USAGE},
        )
      }
    }
    if (todo.length === 0) {
      if (flags.json) this.log(syncReport({dryRun: false, exitCode: ExitCode.OK, skipped, runs: []}))
      else if (!flags.quiet) this.log(`Nothing to sync: ${skippedSynced.length} run(s) already synced (use --include-synced to sync them again).`)
      return
    }
    const base = resolveBaseUrl({flag: flags['base-url'], flagName: '--base-url'})
    const key = resolveApiKey({flag: flags['api-key'], flagName: '--api-key', baseUrl: base.url})
    if (!key) {
      throw new SyncError('sync: no api key', `No API key for ${base.url}: pass --api-key, set WANDB_API_KEY, or run \`nexus login --host ${base.url}\`.`, {exitCode: ExitCode.AUTH})
    }
    const logger = syncLogger()
    const print = (line: string) => process.stderr.write(`${line}\n`)
    const abort = new AbortController()
    let stoppedBy: 'SIGINT' | 'SIGTERM' | undefined
    const onSignal = (signal: 'SIGINT' | 'SIGTERM') => () => {
      stoppedBy ??= signal
      if (!flags.json && !flags.quiet) print(`nexus: ${signal} received, stopping (progress is kept; the next sync continues)`)
      abort.abort(new Error(`interrupted by ${signal}`))
    }
    const onInt = onSignal('SIGINT')
    const onTerm = onSignal('SIGTERM')
    process.once('SIGINT', onInt)
    process.once('SIGTERM', onTerm)
    let results: ReplayResult[] = []
    let view: SyncProgressView | undefined
    try {
      try {
        await probeServer({
          baseUrl: base.url,
          apiKey: key.apiKey,
          timeoutMs: flags.timeout * 1000,
          clock: systemClock,
          signal: abort.signal,
          report: (line) => flags.json || flags.quiet || print(`nexus: ${line}`),
        })
      } catch (err) {
        if (!abort.signal.aborted) throw err
      }
      if (!abort.signal.aborted) {
        view = new SyncProgressView({total: todo.length, json: flags.json || flags.quiet, print})
        const v = view
        results = await syncTargets(todo, {
          sync: {
            baseUrl: base.url,
            apiKey: key.apiKey,
            entity: flags.entity,
            project: flags.project,
            runId: flags.id,
            jobType: flags['job-type'],
            tagReplacements,
            skipConsole: flags['skip-console'],
            checkpointMs: flags['checkpoint-interval'] * 1000,
            timeoutSeconds: flags.timeout,
          },
          parallel: flags.parallel,
          live: flags.live,
          resume: !flags.restart,
          markSynced: flags['mark-synced'],
          logger,
          clock: systemClock,
          signal: abort.signal,
          maxRetryMs: flags['max-retry-time'] * 1000,
          onStart: (t) => v.started(t),
          onProgress: (t, p) => v.progress(t, p),
          onNotice: (t, line) => v.notice(t, line),
          onDone: (t, r) => v.done(t, r),
        })
      }
    } finally {
      view?.stop()
      process.off('SIGINT', onInt)
      process.off('SIGTERM', onTerm)
    }
    const code = stoppedBy ? ExitCode[stoppedBy] : syncExitCode(results)
    if (flags.json) {
      this.log(syncReport({dryRun: false, exitCode: code, skipped, runs: results.map(runReport)}))
    } else if (flags.quiet) {
      for (const r of results) if (r.status !== 'synced') print(`nexus: ${r.file}: ${r.status}${r.error ? `: ${r.error.userText}` : ''}`)
    } else {
      for (const line of resultsTable(results)) this.log(line)
      for (const r of results) for (const d of r.damage) this.log(`${r.file}: damaged ${d.bytes} bytes at offset ${d.offset} (${d.reason})`)
      for (const r of results) if (r.truncated) this.log(`${r.file}: the last ${r.truncated.bytes} bytes (from offset ${r.truncated.offset}) are an incomplete record`)
      for (const r of results) for (const note of r.notes) this.log(`${r.file}: ${note}`)
    }
    if (code !== ExitCode.OK) this.exit(code)
  }
}

/** WANDB_DEBUG / WANDB_CORE_DEBUG: a debug log of the sync next to the cache's core logs. */
function syncLogger(): Logger {
  const debug = ['true', '1'].includes((process.env.WANDB_CORE_DEBUG ?? process.env.WANDB_DEBUG ?? '').toLowerCase())
  if (!debug) return nullLogger
  const sink = new FileLogSink(`${process.env.WANDB_CACHE_DIR ?? `${process.env.HOME}/.cache`}/wandb/logs/nexus-sync-${Date.now()}.log`)
  return new JsonLogger(sink.write, -4)
}

import {Args, Flags} from '@oclif/core'
import {resolveApiKey, resolveBaseUrl} from '../core/credentials/index.ts'
import {UserFacingError} from '../core/errors.ts'
import {JsonLogger, FileLogSink, nullLogger, type Logger} from '../core/observability/index.ts'
import {systemClock} from '../core/runtime/index.ts'
import {discoverTargets, syncTargets, viewRecords, type ReplayResult, SyncError} from '../sync/index.ts'
import {NexusCommand} from './base-command.ts'
import {ExitCode} from './exit-codes.ts'
import {SyncProgressView, resultsTable} from './ui/sync-progress.ts'

/** The CLI exit code for a set of results: the most serious failure decides. */
export function syncExitCode(results: ReplayResult[]): number {
  const failed = results.filter((r) => r.status === 'failed')
  if (failed.some((r) => r.error?.exitCode === ExitCode.AUTH)) return ExitCode.AUTH
  if (failed.some((r) => r.error?.exitCode === ExitCode.NETWORK)) return ExitCode.NETWORK
  if (results.some((r) => r.status === 'damaged' || (r.status === 'failed' && r.error?.exitCode === ExitCode.DAMAGED))) return ExitCode.DAMAGED
  if (results.some((r) => r.status !== 'synced')) return ExitCode.PARTIAL
  return ExitCode.OK
}

export default class Sync extends NexusCommand {
  static override summary = 'Upload offline runs (.wandb files) to W&B: fast, resumable, crash-tolerant.'
  static override description = `PATH may be a run directory, a .wandb file, a glob, or a wandb/ directory (every offline run in it). Runs already marked synced are skipped unless --include-synced.

A run is marked synced (<file>.synced) only when every upload was delivered. An interrupted sync (Ctrl-C, kill -9, network loss) continues where it stopped on the next invocation (progress is kept in <file>.nexus-sync). A damaged .wandb file syncs every intact record and reports the damaged byte ranges; a run without an exit record is finished as crashed (exit code 1).

Exit codes: 0 everything synced; 2 bad usage; 4 credentials rejected; 5 server unreachable; 6 some uploads not delivered (rerun to finish); 7 damaged input (intact data was synced).`
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
    'base-url': Flags.string({description: 'W&B server URL (default: WANDB_BASE_URL, settings, the SDK default)'}),
    'api-key': Flags.string({description: 'API key (default: WANDB_API_KEY, then netrc)'}),
    'sync-tensorboard': Flags.boolean({hidden: true, description: 'removed, as in wandb 0.30+: a run made with sync_tensorboard already holds its TensorBoard rows'}),
    'skip-console': Flags.boolean({description: 'do not upload console output'}),
    restart: Flags.boolean({description: 'ignore saved progress of an interrupted sync and start over'}),
    'checkpoint-interval': Flags.custom<number>({
      description: 'seconds between progress checkpoints: lower re-sends less after an interruption, at one more round trip each',
      default: 3,
      parse: async (text) => {
        const n = Number(text)
        if (!Number.isFinite(n) || n <= 0) throw new Error(`--checkpoint-interval wants a positive number of seconds, got ${text}`)
        return n
      },
    })(),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(Sync)
    const paths = argv as string[]
    if (flags['sync-tensorboard']) {
      // wandb >= 0.30 removed the option: the service converts tfevents while the run is live,
      // so an offline run's .wandb file already holds the TensorBoard rows and files.
      throw new UserFacingError('sync: --sync-tensorboard removed', 'The option --sync-tensorboard has been removed (as in wandb 0.30+): a run started with sync_tensorboard=True already holds its TensorBoard data, so plain `nexus sync` uploads it.', {exitCode: ExitCode.USAGE})
    }
    const targets = discoverTargets(paths)
    if (flags.view) {
      for (const t of targets) {
        if (!flags.json) this.log(`== ${t.file}`)
        viewRecords(t.file, {json: flags.json, print: (line) => this.log(line)})
      }
      return
    }
    const todo = flags['include-synced'] ? targets : targets.filter((t) => !t.synced)
    const skipped = targets.length - todo.length
    if (flags['dry-run']) {
      if (flags.json) this.log(JSON.stringify({wouldSync: todo.map((t) => t.file), skipped: targets.filter((t) => !todo.includes(t)).map((t) => t.file)}))
      else {
        for (const t of todo) this.log(`would sync ${t.file}`)
        for (const t of targets.filter((x) => !todo.includes(x))) this.log(`already synced, skipped: ${t.file}`)
      }
      return
    }
    if (todo.length === 0) {
      if (flags.json) this.log(JSON.stringify({runs: [], skipped}))
      else this.log(`Nothing to sync: ${skipped} run(s) already synced (use --include-synced to sync them again).`)
      return
    }
    const base = resolveBaseUrl({flag: flags['base-url'], flagName: '--base-url'})
    const key = resolveApiKey({flag: flags['api-key'], flagName: '--api-key', baseUrl: base.url})
    if (!key) {
      throw new SyncError('sync: no api key', `No API key for ${base.url}: pass --api-key, set WANDB_API_KEY, or run \`nexus login --host ${base.url}\`.`, {exitCode: ExitCode.AUTH})
    }
    const logger = syncLogger()
    const view = new SyncProgressView({total: todo.length, json: flags.json, print: (line) => process.stderr.write(`${line}\n`)})
    const abort = new AbortController()
    const onSignal = () => abort.abort(new Error('interrupted'))
    process.once('SIGINT', onSignal)
    process.once('SIGTERM', onSignal)
    let results: ReplayResult[]
    try {
      results = await syncTargets(todo, {
        sync: {baseUrl: base.url, apiKey: key.apiKey, entity: flags.entity, project: flags.project, runId: flags.id, skipConsole: flags['skip-console'], checkpointMs: flags['checkpoint-interval'] * 1000},
        parallel: flags.parallel, live: flags.live, resume: !flags.restart, markSynced: flags['mark-synced'],
        logger, clock: systemClock, signal: abort.signal,
        onStart: (t) => view.started(t),
        onProgress: (t, p) => view.progress(t, p),
        onDone: (t, r) => view.done(t, r),
      })
    } finally {
      view.stop()
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
    }
    results = results.filter(Boolean)
    const code = syncExitCode(results)
    if (flags.json) {
      this.log(JSON.stringify({exitCode: code, skipped, runs: results.map(toJson)}))
    } else {
      for (const line of resultsTable(results)) this.log(line)
      for (const r of results) for (const d of r.damage) this.log(`${r.file}: damaged ${d.bytes} bytes at offset ${d.offset} (${d.reason})`)
      for (const r of results) if (r.truncated) this.log(`${r.file}: the last ${r.truncated.bytes} bytes (from offset ${r.truncated.offset}) are an incomplete record`)
    }
    if (code !== ExitCode.OK) this.exit(code)
  }
}

function toJson(r: ReplayResult) {
  return {
    file: r.file, status: r.status, entity: r.entity, project: r.project, id: r.runId, url: r.url ?? null,
    steps: r.steps, files: r.filesUploaded, damage: r.damage, truncated: r.truncated,
    undelivered: r.undelivered.map((d) => ({status: d.status, error: d.error?.message})), error: r.error?.userText ?? null,
  }
}

/** WANDB_DEBUG / WANDB_CORE_DEBUG: a debug log of the sync next to the cache's core logs. */
function syncLogger(): Logger {
  const debug = ['true', '1'].includes((process.env.WANDB_CORE_DEBUG ?? process.env.WANDB_DEBUG ?? '').toLowerCase())
  if (!debug) return nullLogger
  const sink = new FileLogSink(`${process.env.WANDB_CACHE_DIR ?? `${process.env.HOME}/.cache`}/wandb/logs/nexus-sync-${Date.now()}.log`)
  return new JsonLogger(sink.write, -4)
}

import {existsSync} from 'node:fs'
import {isAbsolute, join, posix, sep} from 'node:path'
import {GRAPHQL_POLICY, type GraphQLClient, type RetryPolicy} from '../api/index.ts'
import {failedDelivery, parseUploadHeaders, summarizeDeliveries, type Delivery, type DeliverySummary, type FileKind, type FileTransferManager} from '../filetransfer/index.ts'
import {nullLogger, type Logger} from '../observability/index.ts'
import type {Operations} from '../operations/index.ts'
import {FilesItem_FileType, FilesItem_PolicyType, type FilesRecord} from '../proto.ts'
import {systemClock, type Clock} from '../runtime/index.ts'
import {createRunFiles} from './create-run-files.ts'
import {CreateRunFilesError, RunNotReadyError} from './errors.ts'
import {IgnoreGlobs} from './ignore-globs.ts'
import {LiveWatcher} from './live-watcher.ts'
import {SavedFile} from './saved-file.ts'
import {UploadBatcher} from './upload-batcher.ts'

/** Go core's delays: CreateRunFiles batches collect for 5 s; live files are polled every 500 ms. */
export const DEFAULT_BATCH_DELAY_MS = 5000
export const DEFAULT_LIVE_POLL_MS = 500

/** Dependencies and tuning of a RunFilesUploader (one per online run). */
export interface RunFilesUploaderOptions {
  /** The run's files directory; run paths are relative to it. */
  filesDir: string
  /** The run's identity, known only after the first upsert; read when a batch is sent. */
  entity: () => string | undefined
  project: () => string | undefined
  runId: () => string | undefined
  graphql: GraphQLClient
  /** The run's transfer manager (its stats feed poll_exit's file_counts and pusher_stats). */
  transfers: FileTransferManager
  clock?: Clock
  logger?: Logger
  /** Setting ignore_globs (Go filepath.Match patterns against the run path). */
  ignoreGlobs?: readonly string[]
  /** Called with the run path after each delivered upload (the sender forwards it to file_stream's `uploaded`). Must not throw. */
  onUploaded?: (runPaths: string[]) => void
  batchDelayMs?: number
  livePollMs?: number
  /** Policy for CreateRunFiles (default GRAPHQL_POLICY). */
  graphqlPolicy?: RetryPolicy
  /** Aborting cancels CreateRunFiles calls in flight (their files end `abandoned`). */
  signal?: AbortSignal
  /** The run's operations: each file upload shows as "uploading <run path>" while it is queued or sent. */
  operations?: Operations
}

/** Why a requested file was not uploaded at all (not a delivery failure). */
export type SkipReason = 'missing' | 'ignored' | 'invalid-path'

/** What finish() resolves: the latest outcome per uploaded run path, and the files skipped. */
export interface RunFilesSummary {
  outcomes: Map<string, Delivery>
  skipped: Map<string, SkipReason>
  summary: DeliverySummary
  /** True when every attempted file's latest outcome is `delivered`. */
  allDelivered: boolean
}

/**
 * Uploads the files of a run's files directory (Go core's runfiles.Uploader).
 *
 * - `process(record)`: `now` files upload soon, `end` files at the end, `live` files now, again
 *   whenever they change (polled), and at the end. `uploadNow` / `uploadAtEnd` do the same for
 *   files the service writes itself. These return at once; after finish() they are ignored (logged).
 * - Requests collect for 5 s into one CreateRunFiles call; each file is then PUT through the
 *   transfer manager. Missing files are skipped with a warning, ignore_globs are honoured, and a
 *   file whose MD5 did not change since its last delivered upload is not sent again.
 * - `uploadRemaining()` schedules the end-of-run files; `finish()` flushes the batch at once,
 *   waits for every upload and resolves a RunFilesSummary (never rejects; idempotent).
 */
export class RunFilesUploader {
  readonly #o: RunFilesUploaderOptions
  readonly #logger: Logger
  readonly #ignore: IgnoreGlobs
  readonly #batcher: UploadBatcher
  readonly #watcher: LiveWatcher
  readonly #files = new Map<string, SavedFile>()
  readonly #atEnd = new Set<string>()
  readonly #failures = new Map<string, Delivery>()
  readonly #skipped = new Map<string, SkipReason>()
  #finish: Promise<RunFilesSummary> | undefined

  constructor(opts: RunFilesUploaderOptions) {
    this.#o = opts
    this.#logger = opts.logger ?? nullLogger
    this.#ignore = new IgnoreGlobs(opts.ignoreGlobs)
    const clock = opts.clock ?? systemClock
    this.#batcher = new UploadBatcher(clock, opts.batchDelayMs ?? DEFAULT_BATCH_DELAY_MS, (paths) => this.#uploadBatch(paths), this.#logger)
    this.#watcher = new LiveWatcher(clock, opts.livePollMs ?? DEFAULT_LIVE_POLL_MS, (p) => this.#batcher.add([p]), this.#logger)
  }

  /** Handles a FilesRecord from the SDK. */
  process(record: FilesRecord): void {
    if (this.#refuse('process')) return
    const now: string[] = []
    for (const item of record.files) {
      const runPath = this.#runPath(item.path)
      if (runPath === undefined) continue
      this.#file(runPath).kind = kindOf(item.type, runPath)
      switch (item.policy) {
        case FilesItem_PolicyType.LIVE:
          now.push(runPath)
          this.#atEnd.add(runPath)
          this.#watcher.watch(runPath, this.#realPath(runPath))
          break
        case FilesItem_PolicyType.END:
          this.#atEnd.add(runPath)
          break
        default:
          now.push(runPath)
      }
    }
    this.#batcher.add(now)
  }

  /** Uploads a file the service wrote (wandb-metadata.json, requirements.txt, …) with the next batch. */
  uploadNow(runPath: string, kind: FileKind = 'wandb'): void {
    if (this.#refuse('uploadNow')) return
    const p = this.#runPath(runPath)
    if (p === undefined) return
    this.#file(p).kind = kind
    this.#batcher.add([p])
  }

  /** Marks a file to be uploaded by uploadRemaining(). */
  uploadAtEnd(runPath: string, kind: FileKind = 'wandb'): void {
    if (this.#refuse('uploadAtEnd')) return
    const p = this.#runPath(runPath)
    if (p === undefined) return
    this.#file(p).kind = kind
    this.#atEnd.add(p)
  }

  /** Schedules every `end` and `live` file for upload (call before finish()). */
  uploadRemaining(): void {
    if (this.#refuse('uploadRemaining')) return
    this.#batcher.add(this.#atEnd)
  }

  /** Stops watching, sends the pending batch at once, waits for all uploads; resolves the outcomes. */
  finish(): Promise<RunFilesSummary> {
    this.#finish ??= (async () => {
      this.#watcher.stop()
      await this.#batcher.close()
      await Promise.all([...this.#files.values()].map((f) => f.idle()))
      return this.#summary()
    })()
    return this.#finish
  }

  #summary(): RunFilesSummary {
    const outcomes = new Map(this.#failures)
    for (const [path, f] of this.#files) if (f.outcome) outcomes.set(path, f.outcome)
    const summary = summarizeDeliveries(outcomes)
    return {outcomes, skipped: new Map(this.#skipped), summary, allDelivered: summary.rejected + summary.abandoned === 0}
  }

  #refuse(method: string): boolean {
    if (this.#finish) this.#logger.warn(`runfiles: ${method} after finish ignored`)
    return this.#finish !== undefined
  }

  /** A clean relative run path with forward slashes, or undefined (logged) for one outside the files directory. */
  #runPath(path: string): string | undefined {
    const normalized = posix.normalize(path.split(sep).join('/'))
    if (isAbsolute(path) || normalized === '..' || normalized.startsWith('../') || normalized === '.' || normalized === '') {
      this.#logger.error('runfiles: path is not inside the files directory, skipped', {path})
      this.#skipped.set(path, 'invalid-path')
      return undefined
    }
    return normalized
  }

  #realPath(runPath: string): string {
    return join(this.#o.filesDir, ...runPath.split('/'))
  }

  #file(runPath: string): SavedFile {
    let f = this.#files.get(runPath)
    if (!f) {
      f = new SavedFile(runPath, this.#realPath(runPath), {transfers: this.#o.transfers, logger: this.#logger, operations: this.#o.operations, onDelivered: (p) => this.#delivered(p)})
      this.#files.set(runPath, f)
    }
    return f
  }

  #delivered(runPath: string): void {
    this.#failures.delete(runPath)
    try {
      this.#o.onUploaded?.([runPath])
    } catch (err) {
      this.#logger.captureError('runfiles: onUploaded callback threw', err)
    }
  }

  async #uploadBatch(requested: string[]): Promise<void> {
    const runPaths = requested.filter((p) => {
      if (this.#ignore.matches(p)) {
        this.#skipped.set(p, 'ignored')
        return false
      }
      if (!existsSync(this.#realPath(p))) {
        this.#logger.warn('runfiles: file does not exist, skipped', {path: p})
        this.#skipped.set(p, 'missing')
        return false
      }
      this.#skipped.delete(p)
      return true
    })
    if (runPaths.length === 0) return
    const [entity, project, run] = [this.#o.entity(), this.#o.project(), this.#o.runId()]
    if (!entity || !project || !run) {
      this.#fail(runPaths, {status: 'abandoned', error: new RunNotReadyError('runfiles: the run is not upserted yet, files not uploaded')})
      return
    }
    const policy = this.#o.graphqlPolicy ?? GRAPHQL_POLICY
    let result
    try {
      result = await createRunFiles(this.#o.graphql, {entity, project, run, files: runPaths}, {policy, signal: this.#o.signal})
    } catch (err) {
      this.#logger.captureError('runfiles: CreateRunFiles failed', err, {files: runPaths.length})
      this.#fail(runPaths, err instanceof CreateRunFilesError ? {status: 'rejected', error: err} : failedDelivery(err, policy.retryStatus))
      return
    }
    const {headers, malformed} = parseUploadHeaders(result.uploadHeaders)
    if (malformed.length > 0) this.#logger.warn('runfiles: malformed upload headers skipped', {malformed})
    const urls = new Map(result.files.map((f) => [f.name, f.uploadUrl]))
    for (const extra of urls.keys()) {
      if (!runPaths.includes(extra)) this.#logger.error('runfiles: CreateRunFiles returned a name that was not requested', {name: extra})
    }
    for (const p of runPaths) {
      const url = urls.get(p)
      if (url) {
        this.#file(p).upload(url, headers)
        continue
      }
      const why = urls.has(p) ? 'no upload URL' : 'no entry'
      this.#logger.warn(`runfiles: CreateRunFiles gave ${why} for a file, skipped`, {path: p})
      this.#fail([p], {status: 'rejected', error: new CreateRunFilesError(`runfiles: CreateRunFiles gave ${why} for ${p}`)})
    }
  }

  /** Records a failure that happened before any transfer (it is replaced by a later upload's outcome). */
  #fail(runPaths: string[], delivery: Delivery): void {
    for (const p of runPaths) {
      const f = this.#files.get(p)
      if (f) f.outcome = undefined
      this.#failures.set(p, delivery)
    }
  }
}

/** The statistics kind of a FilesItem type; anything under media/ counts as media. */
function kindOf(type: FilesItem_FileType, runPath: string): FileKind {
  switch (type) {
    case FilesItem_FileType.WANDB:
      return 'wandb'
    case FilesItem_FileType.MEDIA:
      return 'media'
    case FilesItem_FileType.ARTIFACT:
      return 'artifact'
    default:
      return runPath.startsWith('media') ? 'media' : 'other'
  }
}

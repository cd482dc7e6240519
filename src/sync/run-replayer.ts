import {existsSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {ExitCode} from '../core/exit-codes.ts'
import {errorMessage, LocalFileError} from '../core/errors.ts'
import type {Delivery} from '../core/filetransfer/index.ts'
import type {Logger} from '../core/observability/index.ts'
import {Record, RunRecord, type ServerResponse} from '../core/proto.ts'
import {Channel, type Clock} from '../core/runtime/index.ts'
import {fileB64Md5} from '../core/runfiles/index.ts'
import {CapturingResponder} from '../core/server/index.ts'
import {RunSettings} from '../core/settings/index.ts'
import {buildSender, runUrl, type SenderParts, type Work} from '../core/stream/index.ts'
import {TransactionLogReader, type Damage, type LogRecord, type TruncatedTail} from '../core/txlog/index.ts'
import {CatchUpFileStream} from './catch-up-file-stream.ts'
import {LocalIoError, LocalIoWatch, localIoCode} from './local-io.ts'
import {SyncError} from './sync-errors.ts'
import type {SyncCursor, SyncDestination} from './sync-cursor.ts'
import {SyncFetch} from './sync-fetch.ts'
import {SyncBusyError} from './sync-lock.ts'
import {syncSettings, type SyncOptions} from './sync-settings.ts'
import {SyncWorkspace} from './sync-workspace.ts'

/** How often progress is made durable (barrier + file_stream flush + cursor write), by default. */
export const CHECKPOINT_MS = 3000
/** Records queued to the sender before feeding waits (backpressure from the network side). */
const SENDER_QUEUE = 256
/** Live mode: how long to wait for a run that is still being written before reading again. */
const LIVE_POLL_MS = 1000
/** How long a failing kind of request is retried by default (--max-retry-time). */
export const MAX_RETRY_MS = 300_000

/**
 * - `synced`: everything delivered (and marked synced); `partial`: some uploads not delivered;
 * - `damaged`: every intact record delivered, the file is damaged; `failed`: see `error`;
 * - `interrupted`: stopped by the caller's signal (progress kept); `busy`: another sync holds the run.
 */
export type ReplayStatus = 'synced' | 'partial' | 'damaged' | 'failed' | 'interrupted' | 'busy'

export interface ReplayProgress {
  phase: 'starting' | 'catching-up' | 'uploading' | 'waiting' | 'finishing' | 'done'
  bytesRead: number
  totalBytes: number
  records: number
  steps: number
}

export interface ReplayResult {
  file: string
  status: ReplayStatus
  entity: string
  project: string
  runId: string
  displayName: string
  url: string | undefined
  steps: number
  filesUploaded: number
  damage: Damage[]
  truncated: TruncatedTail | null
  undelivered: Delivery[]
  error?: SyncError
  /** file_stream lines this replay ended at (a stitched run's next fragment continues there). */
  offsets: {history: number; events: number}
  /** Things the user should know that did not fail the sync (a relocated marker). */
  notes: string[]
}

export interface ReplayerOptions {
  file: string
  sync: SyncOptions
  logger: Logger
  clock: Clock
  /** Follow a run that is still being written until its exit record. */
  live?: boolean
  /** Continue from a saved cursor (default true). */
  resume?: boolean
  /** Write `<file>.synced` after a complete sync (default true). */
  markSynced?: boolean
  /** Lines already on the server from earlier fragments of the same run (--id stitching). */
  initialOffsets?: {history: number; events: number}
  onProgress?: (p: ReplayProgress) => void
  /** Lines for the user while the replay waits (retries); never called after run() resolves. */
  onNotice?: (line: string) => void
  /** Stops the replay at once (requests, retry waits); progress up to the last checkpoint is kept. */
  signal?: AbortSignal
  /** How long a kind of request may keep failing before the run's sync gives up (default MAX_RETRY_MS). */
  maxRetryMs?: number
  /** Where the sync state lives (tests); default process.env. */
  env?: Readonly<{[name: string]: string | undefined}>
}

/** Thrown inside a replay when its stop signal fired (the caller's signal, or a fatal failure). */
class Stopped extends Error {
  override name = 'Stopped'
}

const CONSOLE_KINDS = new Set(['output_raw', 'output', 'output_logger'])

/**
 * Syncs one .wandb file by replaying its records through the same Sender a live run uses (no
 * handler: the file already holds derived records). Resumable: progress is checkpointed to a
 * cursor after the server confirmed it, and a rerun replays what came before the cursor locally
 * only (state, line numbers) without sending it again. Never rejects: failures are in the result.
 */
export class RunReplayer {
  readonly #o: ReplayerOptions
  #progress: ReplayProgress = {phase: 'starting', bytesRead: 0, totalBytes: 0, records: 0, steps: 0}
  #uploaded: {[path: string]: string} = {}
  #decodeDamage: Damage[] = []
  #events = 0
  /** The failure that stopped the replay (a rejected key, retries given up), if one did. */
  #fatal: SyncError | undefined
  #stop: AbortSignal = new AbortController().signal
  /** The server's sweep the run joins in place of its offline sweep. */
  #sweepName: string | undefined

  constructor(o: ReplayerOptions) {
    this.#o = o
  }

  async run(): Promise<ReplayResult> {
    const {file} = this.#o
    let ws: SyncWorkspace
    try {
      ws = SyncWorkspace.open(file, this.#o.env)
    } catch (err) {
      if (err instanceof SyncBusyError) return {...this.#failed(err), status: 'busy'}
      return this.#failed(err instanceof SyncError ? err : new SyncError(`sync: ${errorMessage(err)}`, `Cannot prepare the sync of ${file}: ${errorMessage(err)}`, {cause: err}))
    }
    const stop = new AbortController()
    const onAbort = () => stop.abort(this.#o.signal?.reason)
    if (this.#o.signal?.aborted) onAbort()
    this.#o.signal?.addEventListener('abort', onAbort, {once: true})
    let reader: TransactionLogReader | undefined
    try {
      reader = TransactionLogReader.open(file)
    } catch (err) {
      ws.close()
      this.#o.signal?.removeEventListener('abort', onAbort)
      const e =
        localIoCode(err) === 'EIO'
          ? new LocalIoError(`read ${file}`, err)
          : new SyncError(`sync: cannot open ${file}: ${errorMessage(err)}`, `Cannot read ${file}: ${errorMessage(err)}`, {cause: err, exitCode: ExitCode.DAMAGED})
      return this.#failed(e)
    }
    try {
      return await this.#replay(reader, ws, stop)
    } catch (err) {
      if (this.#fatal) return this.#failed(this.#fatal, reader)
      if (err instanceof Stopped || this.#o.signal?.aborted)
        return {...this.#failed(new SyncError('sync: interrupted', 'Interrupted; the next sync continues where this one stopped.', {exitCode: ExitCode.PARTIAL}), reader), status: 'interrupted'}
      if (!(err instanceof SyncError) && localIoCode(err)) return this.#failed(new LocalIoError(`sync ${file}`, err), reader)
      const e = err instanceof SyncError ? err : new SyncError(`sync: ${errorMessage(err)}`, `Internal error: ${errorMessage(err)}`, {cause: err})
      return this.#failed(e, reader)
    } finally {
      this.#o.signal?.removeEventListener('abort', onAbort)
      reader.close()
      ws.close()
    }
  }

  async #replay(reader: TransactionLogReader, ws: SyncWorkspace, stop: AbortController): Promise<ReplayResult> {
    const o = this.#o
    this.#stop = stop.signal
    this.#progress.totalBytes = statSync(o.file).size
    const first = await this.#readUntilRun(reader)
    if (!first) {
      throw new SyncError('sync: no run record', `${o.file} holds no run record: nothing to sync.`, {exitCode: ExitCode.DAMAGED})
    }
    const runRecord = first.run
    const settings = new RunSettings(syncSettings(o.file, runRecord, o.sync, process.env, ws.syncDir))
    if (runRecord.sweep_id && o.sync.sweepLink) {
      this.#sweepName = await o.sync.sweepLink({file: o.file, sweepId: runRecord.sweep_id, entity: settings.entity, project: settings.project, notice: (line) => o.onNotice?.(line)})
    }
    const fetcher = new SyncFetch({
      baseUrl: o.sync.baseUrl,
      signal: stop.signal,
      maxRetryMs: o.maxRetryMs ?? MAX_RETRY_MS,
      clock: o.clock,
      report: (line) => {
        if (!stop.signal.aborted) o.onNotice?.(line)
      },
      onFatal: (err) => {
        this.#fatal ??= err
        stop.abort(err)
      },
    })
    const watch = new LocalIoWatch(o.logger)
    let gate!: CatchUpFileStream
    const parts = buildSender({
      settings,
      logger: watch,
      clock: o.clock,
      syncStateFile: ws.syncStateFile,
      fetch: fetcher.fetch,
      wrapFileStream: (fs) => (gate = new CatchUpFileStream(fs, false, (paths) => this.#noteUploaded(settings, paths))),
    })
    stop.signal.addEventListener('abort', () => parts.abort(stop.signal.reason instanceof Error ? stop.signal.reason : new Error('sync stopped')), {once: true})
    const input = new Channel<Work>(SENDER_QUEUE)
    const senderDone = parts.sender.run(input)
    try {
      const answer = await this.#call(input, this.#withOverrides(first.record, settings))
      const runResult =
        answer.server_response_type.oneofKind === 'result_communicate' && answer.server_response_type.result_communicate.result_type.oneofKind === 'run_result'
          ? answer.server_response_type.result_communicate.result_type.run_result
          : undefined
      if (this.#fatal) throw this.#fatal
      if (runResult?.error && runResult.error.message) throw initError(runResult.error.message, runResult.error.code, o.sync.baseUrl)
      // the destination is known once the server created the run (the default entity of the key)
      const dest: SyncDestination = {
        baseUrl: o.sync.baseUrl,
        entity: runResult?.run?.entity || settings.entity,
        project: runResult?.run?.project || settings.project,
        runId: runResult?.run?.run_id || settings.runId,
      }
      const cursor = o.resume === false ? undefined : ws.cursors.load(dest, this.#progress.totalBytes)
      if (cursor) this.#uploaded = {...cursor.uploaded}
      if (gate) gate.catchingUp = cursor !== undefined
      const startRun = async () => {
        await this.#barrier(input)
        const base = o.initialOffsets ?? {history: 0, events: 0}
        parts.context.run.setFileStreamOffsets({history: base.history + (gate?.historyLines ?? 0), events: base.events + (gate?.eventLines ?? 0), summary: 0, output: 0})
        if (gate) gate.catchingUp = false
        await this.#send(input, {record: Record.create({record_type: {oneofKind: 'request', request: {request_type: {oneofKind: 'run_start', run_start: {run: runResult?.run}}}}})})
      }
      let catchingUp = cursor !== undefined && cursor.offset > first.end
      this.#progress.phase = catchingUp ? 'catching-up' : 'uploading'
      if (!catchingUp) await startRun()
      let exitRecord: Record | undefined
      let lastEnd = first.end
      let lastCheckpoint = o.clock.now()
      for (;;) {
        if (stop.signal.aborted) throw new Stopped()
        const next = reader.next()
        if (!next) {
          if (o.live && !exitRecord) {
            this.#setPhase('waiting')
            await o.clock.sleep(LIVE_POLL_MS, stop.signal).catch(() => {})
            continue
          }
          break
        }
        this.#progress.bytesRead = next.end
        const record = this.#decode(next)
        if (!record) continue
        const kind = record.record_type.oneofKind
        if (catchingUp && next.offset >= cursor!.offset) {
          catchingUp = false
          await startRun()
          this.#setPhase('uploading')
        }
        if (kind === 'exit') {
          exitRecord = record
          break
        }
        if (o.sync.skipConsole && kind && CONSOLE_KINDS.has(kind)) continue
        if (kind === 'run') this.#withOverrides(record, settings)
        if (catchingUp && kind === 'files') await this.#dropUploadedFiles(record, settings)
        if (kind === 'history') this.#progress.steps++
        if (kind === 'stats') this.#events++
        this.#progress.records++
        await this.#send(input, {record})
        lastEnd = next.end
        if (!catchingUp && o.clock.now() - lastCheckpoint >= (o.sync.checkpointMs ?? CHECKPOINT_MS)) {
          await this.#checkpoint(input, parts, ws, dest, lastEnd)
          lastCheckpoint = o.clock.now()
        }
        o.onProgress?.({...this.#progress})
      }
      if (catchingUp) await startRun()
      this.#setPhase('finishing')
      await this.#checkpoint(input, parts, ws, dest, lastEnd)
      const exit = exitRecord ?? Record.create({record_type: {oneofKind: 'exit', exit: {exit_code: 1, runtime: 0, not_complete: false}}})
      await this.#call(input, exit)
      const deliveries = await this.#guard(parts.context.finished.promise)
      input.close()
      await this.#guard(senderDone)
      if (this.#fatal) throw this.#fatal
      return this.#result(settings, reader, deliveries, ws, dest, watch)
    } finally {
      input.close()
      parts.abort(new Error('sync finished'))
    }
  }

  /** `p`, or a Stopped rejection as soon as the replay's stop signal fires. */
  #guard<T>(p: Promise<T>): Promise<T> {
    const signal = this.#stop
    if (signal.aborted) return Promise.reject(new Stopped())
    return new Promise<T>((resolve, reject) => {
      const onStop = () => reject(new Stopped())
      signal.addEventListener('abort', onStop, {once: true})
      p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onStop))
    })
  }

  /** Queues work for the sender (waits while its queue is full, but not past a stop). */
  async #send(input: Channel<Work>, work: Work): Promise<void> {
    await this.#guard(input.send(work))
  }

  /** Reads records up to and including the first run record. */
  async #readUntilRun(reader: TransactionLogReader): Promise<{record: Record; run: RunRecord; end: number} | undefined> {
    for (;;) {
      const next = reader.next()
      if (!next) {
        if (this.#o.live && !this.#stop.aborted) {
          this.#setPhase('waiting')
          await this.#o.clock.sleep(LIVE_POLL_MS, this.#stop).catch(() => {})
          continue
        }
        if (this.#stop.aborted) throw new Stopped()
        return undefined
      }
      const record = this.#decode(next)
      if (record?.record_type.oneofKind === 'run') return {record, run: record.record_type.run, end: next.end}
    }
  }

  #decode(next: LogRecord): Record | undefined {
    try {
      return Record.fromBinary(next.data)
    } catch (err) {
      this.#o.logger.warn('sync: undecodable record skipped', {offset: next.offset, error: errorMessage(err)})
      this.#decodeDamage.push({offset: next.offset, bytes: next.end - next.offset, reason: 'undecodable record'})
      return undefined
    }
  }

  /** --entity/--project/--id apply to run records only (as in Go). */
  #withOverrides(record: Record, settings: RunSettings): Record {
    if (record.record_type.oneofKind !== 'run') return record
    const run = record.record_type.run
    const {entity, project, runId, jobType, tagReplacements} = this.#o.sync
    if (entity) run.entity = entity
    if (project) run.project = project
    if (runId) run.run_id = runId
    if (jobType) run.job_type = jobType
    if (tagReplacements) run.tags = run.tags.map((t) => tagReplacements[t] ?? t).filter((t) => t !== '')
    if (this.#sweepName) run.sweep_id = this.#sweepName
    if (!run.run_id) run.run_id = settings.runId
    return record
  }

  /** Sends a record with a responder and waits for its answer. */
  async #call(input: Channel<Work>, record: Record): Promise<ServerResponse> {
    const responder = new CapturingResponder()
    await this.#send(input, {record, responder})
    return this.#guard(responder.answer)
  }

  /** Resolves when the sender has processed everything sent before (a status request answered in order). */
  async #barrier(input: Channel<Work>): Promise<void> {
    await this.#call(input, Record.create({record_type: {oneofKind: 'request', request: {request_type: {oneofKind: 'status', status: {}}}}}))
  }

  /**
   * Makes progress durable: everything fed up to `end` is on the server when the cursor is
   * written. A cursor that cannot be written for a local reason (full disk) fails the replay.
   */
  async #checkpoint(input: Channel<Work>, parts: SenderParts, ws: SyncWorkspace, dest: SyncDestination, end: number): Promise<void> {
    await this.#barrier(input)
    await this.#guard(parts.context.fileStream?.flush() ?? Promise.resolve())
    if (this.#fatal) throw this.#fatal
    const cursor: SyncCursor = {version: 2, destination: dest, fileSize: this.#progress.totalBytes, offset: end, uploaded: {...this.#uploaded}}
    try {
      ws.cursors.save(cursor)
    } catch (err) {
      this.#o.logger.captureError('sync: cannot save the cursor', err)
      if (localIoCode(err)) throw new LocalIoError(`save the sync progress in ${ws.cursors.path(dest)}`, err)
    }
  }

  /** Catching up: files already uploaded with the same content are not uploaded again. */
  async #dropUploadedFiles(record: Record, settings: RunSettings): Promise<void> {
    if (record.record_type.oneofKind !== 'files') return
    const keep = []
    for (const item of record.record_type.files.files) {
      const known = this.#uploaded[item.path]
      const path = join(settings.filesDir, item.path)
      if (known && existsSync(path) && (await fileB64Md5(path).catch(() => '')) === known) continue
      keep.push(item)
    }
    record.record_type.files.files = keep
  }

  #noteUploaded(settings: RunSettings, paths: string[]): void {
    for (const p of paths) {
      void fileB64Md5(join(settings.filesDir, p)).then(
        (md5) => (this.#uploaded[p] = md5),
        () => {},
      )
    }
  }

  #setPhase(phase: ReplayProgress['phase']): void {
    this.#progress.phase = phase
    this.#o.onProgress?.({...this.#progress})
  }

  #result(settings: RunSettings, reader: TransactionLogReader, deliveries: Delivery[], ws: SyncWorkspace, dest: SyncDestination, watch: LocalIoWatch): ReplayResult {
    const damage = [...reader.damage, ...this.#decodeDamage]
    const truncated = reader.truncatedTail
    const undelivered = deliveries.filter((d) => d.status !== 'delivered')
    // a file the sender could not write (config.yaml on a full disk) was never uploaded
    const unwritten = undelivered.find((d) => d.error instanceof LocalFileError)?.error
    const local = watch.failure ?? (unwritten ? new LocalIoError(unwritten.message, unwritten) : undefined)
    if (local) return {...this.#failed(local, reader), undelivered}
    const status: ReplayStatus = undelivered.length > 0 ? 'partial' : damage.length > 0 || truncated ? 'damaged' : 'synced'
    const notes: string[] = []
    if (status === 'synced') {
      if (this.#o.markSynced !== false) {
        const note = ws.markSynced()
        if (note) notes.push(note)
      }
      ws.cursors.remove(dest)
    }
    this.#setPhase('done')
    const base = this.#o.initialOffsets ?? {history: 0, events: 0}
    return {
      file: this.#o.file,
      status,
      entity: settings.entity,
      project: settings.project,
      runId: settings.runId,
      displayName: settings.displayName,
      url: runUrl(settings),
      steps: this.#progress.steps,
      filesUploaded: Object.keys(this.#uploaded).length,
      damage,
      truncated,
      undelivered,
      offsets: {history: base.history + this.#progress.steps, events: base.events + this.#events},
      notes,
    }
  }

  #failed(error: SyncError, reader?: TransactionLogReader): ReplayResult {
    this.#o.logger.captureError('sync: failed', error)
    return {
      file: this.#o.file,
      status: 'failed',
      entity: this.#o.sync.entity ?? '',
      project: this.#o.sync.project ?? '',
      runId: this.#o.sync.runId ?? '',
      displayName: '',
      url: undefined,
      steps: this.#progress.steps,
      filesUploaded: 0,
      damage: reader ? [...reader.damage, ...this.#decodeDamage] : [],
      truncated: reader?.truncatedTail ?? null,
      undelivered: [],
      error,
      offsets: this.#o.initialOffsets ?? {history: 0, events: 0},
      notes: [],
    }
  }
}

/**
 * The SyncError for a run the server did not create: the upserter's text without its advice for
 * Python users (init_timeout is not a setting of the CLI).
 */
function initError(message: string, code: number, baseUrl: string): SyncError {
  const text = message.replace(/\n?Consider increasing the init_timeout setting:[\s\S]*$/, '').trim()
  if (/^Timed out initializing run/.test(text)) {
    return new SyncError(
      `sync: run init timed out: ${text}`,
      `Timed out waiting for ${baseUrl} to create the run (${text.replace(/^Timed out initializing run:?\s*/, '') || 'no answer'}); pass --timeout to wait longer.`,
      {exitCode: ExitCode.NETWORK},
    )
  }
  return new SyncError(`sync: run init failed: ${text}`, `The server refused the run: ${text}`, {exitCode: code === 2 ? ExitCode.AUTH : ExitCode.NETWORK})
}

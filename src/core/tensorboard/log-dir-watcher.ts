/**
 * Follows one TensorBoard log directory for the run (Go core: tfeventstream.go and the per-stream
 * part of tensorboard.go): polls its tfevents files for new records, converts them, and sends the
 * resulting records; saves each tfevents file with the run when asked to.
 *
 * Events with the same step, one after another, become one history row (emitted once the step
 * changes or the watcher stops), stamped with `global_step` and the last event's wall time.
 * `stop()` makes it read everything on disk (no waiting for torn writes) and emit the last row.
 */
import {mkdirSync, symlinkSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {errorMessage} from '../errors.ts'
import type {Logger} from '../observability/index.ts'
import {FilesItem, FilesItem_PolicyType, Record} from '../proto.ts'
import type {Clock} from '../runtime/index.ts'
import {TFEventConverter} from './event-converter.ts'
import {isLocalPath, type FileNamer} from './root-dir.ts'
import {StepEmitter, type MediaOptions} from './step-emitter.ts'
import {decodeEvent} from './tf-event.ts'
import type {TFEventsFileFilter} from './tfevents-files.ts'
import {TFEventsReader} from './tfevents-reader.ts'

/** What a watcher learns only once the root directory is settled. */
export interface WatchPlan {
  /** Key prefix ('' for none). */
  namespace: string
  /** Where to save tfevents files in the run; undefined: do not save them. */
  fileNamer: FileNamer | undefined
}

export interface LogDirWatcherOptions {
  /** Absolute path of the log directory. */
  logDir: string
  filter: TFEventsFileFilter
  /** Resolves the namespace and file naming (may wait for the root directory to be guessed). */
  plan: () => Promise<WatchPlan>
  media: MediaOptions
  logger: Logger
  clock: Clock
  /** Period between looks for new data while the run goes on. */
  pollIntervalMs: number
  corruptionGraceMs?: number
  /** Sends a record into the run; resolves when it is accepted. */
  emit: (record: Record) => Promise<void>
}

export class LogDirWatcher {
  readonly #o: LogDirWatcherOptions
  readonly #stopping = new AbortController()
  #done: Promise<void> | undefined

  constructor(o: LogDirWatcherOptions) {
    this.#o = o
  }

  /** Starts following the directory (once). */
  start(): void {
    this.#done ??= this.#run().catch((err) => this.#o.logger.captureError('tensorboard: watcher failed', err, {logDir: this.#o.logDir}))
  }

  /** Reads what is left on disk, emits the last row, and resolves when the watcher has ended. Idempotent. */
  stop(): Promise<void> {
    this.#stopping.abort()
    this.start()
    return this.#done!
  }

  async #run(): Promise<void> {
    const {logDir, logger, clock} = this.#o
    const plan = await this.#o.plan()
    logger.info('tensorboard: tracking new log directory', {logDir, namespace: plan.namespace})
    const reader = new TFEventsReader({logDir, filter: this.#o.filter, logger, clock, corruptionGraceMs: this.#o.corruptionGraceMs})
    const converter = new TFEventConverter({namespace: plan.namespace, logger})
    let group: {step: bigint; emitter: StepEmitter} | undefined
    let final = this.#stopping.signal.aborted
    try {
      for (;;) {
        const newFiles: string[] = []
        const read = reader.next((path) => newFiles.push(path), {final})
        for (const file of newFiles) await this.#save(file, plan.fileNamer)
        if (!read) {
          if (final) break
          await clock.sleep(this.#o.pollIntervalMs, this.#stopping.signal).catch(() => undefined)
          final = this.#stopping.signal.aborted
          continue
        }
        let event
        try {
          event = decodeEvent(read.data)
        } catch (err) {
          logger.error(`tensorboard: skipping an unreadable event: ${errorMessage(err)}`, {file: read.file, offset: read.offset})
          continue
        }
        if (group && group.step !== event.step) {
          await this.#emitAll(group.emitter)
          group = undefined
        }
        group ??= {step: event.step, emitter: new StepEmitter(this.#o.media)}
        converter.convert(group.emitter, event)
      }
    } finally {
      reader.close()
    }
    if (group) await this.#emitAll(group.emitter)
  }

  async #emitAll(emitter: StepEmitter): Promise<void> {
    for (const record of emitter.records()) await this.#o.emit(record)
  }

  /** Links a tfevents file into the run's files directory and schedules its upload at the end. */
  async #save(file: string, namer: FileNamer | undefined): Promise<void> {
    if (!namer) return
    const {logger} = this.#o
    let runPath: string
    try {
      runPath = namer(file)
    } catch (err) {
      logger.error(`tensorboard: failed to infer path where to save file: ${errorMessage(err)}`, {file})
      return
    }
    if (!isLocalPath(runPath)) {
      logger.error('tensorboard: invalid run file path', {runPath})
      return
    }
    logger.info('tensorboard: saving file', {fileLocation: file, runPath})
    const target = join(this.#o.media.filesDir, runPath)
    try {
      mkdirSync(dirname(target), {recursive: true})
      symlinkSync(file, target)
    } catch (err) {
      logger.error(`tensorboard: cannot link the file into the run: ${errorMessage(err)}`, {target: file, symlink: target})
      return
    }
    const files = [FilesItem.create({path: runPath, policy: FilesItem_PolicyType.END})]
    await this.#o.emit(Record.create({record_type: {oneofKind: 'files', files: {files}}}))
  }
}

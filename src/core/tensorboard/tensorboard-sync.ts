/**
 * The TensorBoard sync of one run (Go core: TBHandler in tensorboard.go). Each tbrecord names a
 * log directory, which is then followed until the run ends (LogDirWatcher): its tfevents files
 * become history rows, media files and chart configs, and with `save` the files themselves are
 * uploaded at the end of the run. Everything it produces goes out through `emit`, in order per
 * directory.
 *
 * - The namespace of a directory's keys is tbrecord.namespace if set, else the directory relative
 *   to the root: tbrecord.root_dir, or the longest common path of the run's log directories once
 *   there are two (waiting up to 10 s for a second one), or none (root = the working directory).
 * - Only files named for this run are read: `tfevents.<time ≥ run start>.<this host>`, unless the
 *   tbrecord says ignore_timestamp / ignore_hostname.
 * - Cloud log directories (s3://, gs://, az://) are not read (logged); Go core reads them.
 * - `finish()` is what the run's exit waits for: every directory is read to the end of what is
 *   on disk and its last row emitted.
 */
import {resolve} from 'node:path'
import type {Logger} from '../observability/index.ts'
import type {Record, TBRecord} from '../proto.ts'
import {systemClock, type Clock} from '../runtime/index.ts'
import {LogDirWatcher, type WatchPlan} from './log-dir-watcher.ts'
import {prefixFileNamer, RootDir, rootDirFileNamer, RootDirGuesser, type FileNamer} from './root-dir.ts'
import {DEFAULT_CORRUPTION_GRACE_MS} from './tfevents-reader.ts'

/** How often a log directory is checked for new data while the run goes on (Go: 5 s). */
export const DEFAULT_POLL_INTERVAL_MS = 5_000
/** How long the root directory guess waits for a second log directory (Go: 10 s). */
export const DEFAULT_ROOT_GUESS_TIMEOUT_MS = 10_000

/** The run settings the sync reads. */
export interface TensorBoardRunSettings {
  /** The run's files directory (media and linked tfevents files go there). */
  readonly filesDir: string
  /** x_start_time, seconds since the epoch (0: no time filter). */
  readonly startTime: number
  /** The machine's hostname (settings.host; '' : no hostname filter). */
  readonly host: string
}

export interface TensorBoardSyncOptions {
  settings: TensorBoardRunSettings
  logger: Logger
  /** Sends a derived record into the run's pipeline; resolves when it is accepted (backpressure). */
  emit: (record: Record) => Promise<void>
  clock?: Clock
  /** The working directory relative log directories are resolved against (default: process.cwd()). */
  cwd?: string
  pollIntervalMs?: number
  rootGuessTimeoutMs?: number
  corruptionGraceMs?: number
  /** Random ids for media file names (tests). */
  randomId?: (length: number) => string
}

const CLOUD_PREFIXES = ['s3://', 'gs://', 'az://']

export class TensorBoardSync {
  readonly #o: TensorBoardSyncOptions
  readonly #clock: Clock
  readonly #cwd: string
  readonly #guesser: RootDirGuesser
  readonly #watchers: LogDirWatcher[] = []
  #finishing: Promise<void> | undefined

  constructor(o: TensorBoardSyncOptions) {
    this.#o = o
    this.#clock = o.clock ?? systemClock
    this.#cwd = o.cwd ?? process.cwd()
    this.#guesser = new RootDirGuesser(this.#clock)
  }

  /** Whether any log directory is being followed (then the exit must wait for `finish()`). */
  get active(): boolean {
    return this.#watchers.length > 0
  }

  /** Starts following the tbrecord's log directory. Never throws; problems are logged. */
  handle(record: TBRecord): void {
    const {logger, settings} = this.#o
    if (this.#finishing) {
      logger.warn('tensorboard: log directory announced after the run finished; ignored', {logDir: record.log_dir})
      return
    }
    if (CLOUD_PREFIXES.some((p) => record.log_dir.startsWith(p))) {
      logger.warn('tensorboard: cloud log directories are not supported; ignored', {logDir: record.log_dir})
      return
    }
    const logDir = resolve(this.#cwd, record.log_dir)
    this.#guesser.add(logDir)
    const explicitRoot = record.root_dir !== '' ? RootDir.explicit(record.root_dir, this.#cwd) : undefined
    const watcher = new LogDirWatcher({
      logDir,
      filter: {
        startTimeSec: record.ignore_timestamp ? 0 : Math.floor(settings.startTime),
        hostname: record.ignore_hostname ? '' : settings.host,
      },
      plan: () => this.#plan(record, logDir, explicitRoot),
      media: {filesDir: settings.filesDir, randomId: this.#o.randomId},
      logger,
      clock: this.#clock,
      pollIntervalMs: this.#o.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
      corruptionGraceMs: this.#o.corruptionGraceMs ?? DEFAULT_CORRUPTION_GRACE_MS,
      emit: this.#o.emit,
    })
    this.#watchers.push(watcher)
    watcher.start()
  }

  /**
   * Reads every directory to the end of what is on disk, emits the last rows, and resolves when
   * all watchers have ended. Later tbrecords are ignored. Idempotent.
   */
  finish(): Promise<void> {
    this.#finishing ??= (async () => {
      // No tbrecord can come any more, so a root that is not guessed yet never will be.
      this.#guesser.giveUp()
      await Promise.all(this.#watchers.map((w) => w.stop()))
    })()
    return this.#finishing
  }

  /** A directory's namespace and file naming; the root is settled only when one of them needs it (as in Go). */
  async #plan(record: TBRecord, logDir: string, explicitRoot: RootDir | undefined): Promise<WatchPlan> {
    const needsRoot = record.namespace === undefined || (record.save && record.save_path === '')
    const settled = needsRoot ? await this.#settleRoot(logDir, explicitRoot) : undefined
    let fileNamer: FileNamer | undefined
    if (!record.save) fileNamer = undefined
    else if (record.save_path !== '') fileNamer = prefixFileNamer(record.save_path)
    else fileNamer = rootDirFileNamer(settled?.root)
    return {namespace: record.namespace ?? settled?.namespace ?? '', fileNamer}
  }

  /** The explicit root, else the guessed one (may wait), else the working directory without a namespace. */
  async #settleRoot(logDir: string, explicitRoot: RootDir | undefined): Promise<{root: RootDir; namespace: string}> {
    if (explicitRoot) return {root: explicitRoot, namespace: this.#namespace(explicitRoot, logDir)}
    const guessed = await this.#guesser.root(this.#o.rootGuessTimeoutMs ?? DEFAULT_ROOT_GUESS_TIMEOUT_MS)
    if (guessed) return {root: guessed, namespace: this.#namespace(guessed, logDir)}
    this.#o.logger.warn('tensorboard: no root directory; using the working directory', {logDir})
    // No namespace here: relative to the working directory it would be noise like "runs/Nov27_…".
    return {root: new RootDir(this.#cwd), namespace: ''}
  }

  #namespace(root: RootDir, logDir: string): string {
    try {
      return root.trimFrom(logDir)
    } catch (err) {
      this.#o.logger.warn('tensorboard: failed to compute namespace', {error: String(err)})
      return ''
    }
  }
}

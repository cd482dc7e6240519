/**
 * The file_stream seam: what the sender uses to stream run data (history, system metrics,
 * summary, console lines, uploaded-file notices) to `POST …/files/{entity}/{project}/{run}/file_stream`.
 * Tests replace it with a recording fake.
 */
import type {Delivery} from '../filetransfer/index.ts'

/** Where to stream, and the line offsets to continue from (a resumed run, or UpsertBucket's historyLineCount). */
export interface FileStreamTarget {
  entity: string
  project: string
  runId: string
  offsets?: Partial<FileStreamOffsets>
}

/** The first line number to write in each of the four server-side "files"; all 0 for a new run. */
export interface FileStreamOffsets {
  history: number
  events: number
  summary: number
  output: number
}

/** Consecutive console lines starting at line `offset` of this session's console (before the resume offset is added). */
export interface ConsoleRun {
  offset: number
  lines: string[]
}

/**
 * One update; every field is optional and updates merge (lines append, the latest summary and
 * console line win, uploaded names accumulate).
 */
export interface FileStreamUpdate {
  /** Complete history rows, one extended-JSON object per line. */
  history?: string[]
  /** System-metrics rows (see eventsLineFromStats). */
  events?: string[]
  /**
   * The complete current summary as one JSON line; sent only when it differs from the last one
   * sent. A function is called once when the next request is built (the summary changes every
   * step of a long run, and only the latest is ever sent).
   */
  summary?: string | (() => string)
  /** Changed console lines (already formatted as output.log lines); a later value for a line replaces an earlier one. */
  console?: ConsoleRun[]
  /** Run paths (forward slashes) whose upload finished. */
  uploaded?: string[]
  /** The process is about to be preempted: sent at once, regardless of the transmit interval. */
  preempting?: boolean
}

/**
 * A file_stream session of one run.
 *
 * - `start` begins transmitting; updates given before it are kept and sent once started. A second
 *   call is ignored.
 * - `streamUpdate` never blocks and never throws; after finish, or after the stream died of a
 *   fatal error, updates are dropped (and logged).
 * - `finishWithExit(code)` queues `complete: true, exitcode: code` after all queued data and
 *   resolves once everything was sent or the stream died; `finishWithoutExit()` does the same
 *   without marking the run complete. Both resolve (never reject) the session's Delivery; calling
 *   either again returns the same promise.
 * - `isStopped()` is true once the server answered `"stopped": true` (the user pressed Stop), or
 *   after a fatal error when the stream was told to stop on fatal errors. It never turns false.
 */
export interface FileStream {
  start(target: FileStreamTarget): void
  streamUpdate(update: FileStreamUpdate): void
  finishWithExit(exitCode: number): Promise<Delivery>
  finishWithoutExit(): Promise<Delivery>
  isStopped(): boolean
  /** Resolves once everything queued before the call was accepted by the server (or the stream ended). */
  flush(): Promise<void>
}

/** The names of the four server-side files in a request. */
export const HISTORY_FILE = 'wandb-history.jsonl'
export const EVENTS_FILE = 'wandb-events.jsonl'
export const SUMMARY_FILE = 'wandb-summary.json'
export const OUTPUT_FILE = 'output.log'

/** The JSON body of one request; a heartbeat is `{}`. */
export interface FileStreamRequestBody {
  files?: Record<string, {offset: number; content: string[]}>
  uploaded?: string[]
  preempting?: true
  complete?: true
  exitcode?: number
}

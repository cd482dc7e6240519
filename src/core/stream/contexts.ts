import type {GraphQLClient, NetworkPeeker} from '../api/index.ts'
import type {RunArtifacts} from '../artifacts/index.ts'
import type {Logger, Printer} from '../observability/index.ts'
import type {Operations} from '../operations/index.ts'
import type {Record, Response, RunRecord} from '../proto.ts'
import type {RunSettings} from '../settings/index.ts'
import type {Deferred} from '../runtime/index.ts'
import type {FileStream} from '../filestream/index.ts'
import type {RunJob} from '../jobs/index.ts'
import type {ConsolePort, Delivery, HistoryPort, MonitorPort, RunFilesPort, RunPort, SenderSummaryPort} from './ports.ts'
import type {RunTimer} from './run-timer.ts'
import type {Work} from './work.ts'

/** Upload statistics shared by the sender (which counts) and the handler (which reports poll_exit). */
export interface UploadStats {
  /** True once the exit flow has finished every upload. */
  done: boolean
  fileCounts(): {wandb: number; media: number; artifact: number; other: number}
  bytes(): {uploaded: number; total: number}
}

/**
 * What handler units may use. The handler is fast and ordered: nothing here blocks on the network.
 */
export interface HandlerContext {
  readonly settings: RunSettings
  readonly logger: Logger
  readonly printer: Printer
  readonly operations: Operations
  readonly timer: RunTimer
  readonly history: HistoryPort
  readonly monitor: MonitorPort | undefined
  readonly uploads: UploadStats
  /** The RunRecord of run_start (attach_response needs it). */
  runRecord: RunRecord | undefined
  /** Set once the exit record passed the handler. */
  exitSeen: boolean
  /** Passes work on to the writer and sender (in call order). */
  forward(work: Work): void
  /** Passes a record the handler derived (history, summary, metric, files…). */
  emit(record: Record): void
  /** Adds a record at the head of the pipeline later (async results: environment probe). */
  inject(record: Record): void
  /** Answers a request with `Result{response}`. */
  respond(work: Work, response: Response): void
  /** Writes a file into the run's files directory (requirements.txt, code, patches). */
  writeRunFile(relativePath: string, contents: string | Uint8Array): void
}

/** What sender units may use. Units may await network work; the loop runs them one at a time. */
export interface SenderContext {
  readonly settings: RunSettings
  readonly logger: Logger
  readonly printer: Printer
  readonly operations: Operations
  readonly offline: boolean
  readonly run: RunPort
  readonly summary: SenderSummaryPort
  /** Online only. */
  readonly graphql: GraphQLClient | undefined
  readonly fileStream: FileStream | undefined
  readonly runFiles: RunFilesPort | undefined
  /** Artifact saves, links and downloads (online only). */
  readonly artifacts: RunArtifacts | undefined
  /** Online and offline (offline it writes output.log only). */
  readonly console: ConsolePort | undefined
  /** The Launch job builder: online runs with job creation enabled only. */
  readonly jobs: RunJob | undefined
  readonly peeker: NetworkPeeker | undefined
  readonly uploads: UploadStats
  /** Aborted when the run is over or torn down: cancels outstanding network calls. */
  readonly runSignal: AbortSignal
  /** Set once an exit record reached the sender. */
  exitReceived: boolean
  /** Promises the exit flow must wait for (artifact saves, alerts in flight). */
  readonly pending: Set<Promise<unknown>>
  /** Outcomes of settled background uploads (artifact saves), part of the run's delivery outcome. */
  readonly backgroundOutcomes: Delivery[]
  /** Answers a request with `Result{response}`. */
  respond(work: Work, response: Response): void
  /** Waits for every file transfer (run files, artifacts) to end; part of the exit flow. */
  closeTransfers(): Promise<void>
  /** Resolved by the exit flow with every delivery outcome of the run. */
  readonly finished: Deferred<Delivery[]>
}

/**
 * The seams of a run's pipeline that tests replace: the handler's history logic, the run on the
 * server, the monitor. Uploads, console capture and file_stream are used through their own
 * modules' interfaces (FileStream, RunFilesUploader, ConsoleLogs).
 */
import type {
  ConfigRecord,
  EnvironmentRecord,
  MetricRecord,
  PartialHistoryRequest,
  Record,
  RunRecord,
  SampledHistoryItem,
  SummaryItem,
  SummaryRecord,
  SystemMetricSample,
  TelemetryRecord,
  FilesRecord,
  OutputLoggerRecord,
  OutputRawRecord,
} from '../proto.ts'
import type {Delivery} from '../filetransfer/index.ts'

export type {Delivery} from '../filetransfer/index.ts'

/** What the history logic produces for one request: records to forward, user warnings, problems to log. */
export interface HistoryResult {
  records: Record[]
  warnings: string[]
  errors: Error[]
}

/** The handler's history/summary/metric logic (runstate HistoryProcessor). */
export interface HistoryPort {
  onRunStart(startingStep: bigint): void
  handlePartialHistory(req: PartialHistoryRequest): HistoryResult
  handleMetricRecord(record: MetricRecord): void
  handleSummaryRecord(record: SummaryRecord): void
  /** The records the exit flow emits (runtime summary, final flush). */
  finish(): HistoryResult
  historyStep(): bigint
  getSummaryItems(): SummaryItem[]
  sampledHistory(): SampledHistoryItem[]
}

/** The system monitor as the handler drives it. */
export interface MonitorPort {
  start(): void
  pause(): void
  resume(): void
  finish(): Promise<void>
  /** Environment records describing the machine (emitted once at probe_system_info). */
  probe(): Promise<EnvironmentRecord[]>
  /** Buffered samples for get_system_metrics. */
  buffered(): Map<string, SystemMetricSample[]>
}

/** The run on the server: init (UpsertBucket), debounced updates, final upsert (runupserter RunUpserter). */
export interface RunPort {
  init(record: RunRecord, signal: AbortSignal): Promise<RunRecord>
  update(record: RunRecord): void
  updateConfig(record: ConfigRecord): void
  updateTelemetry(record: TelemetryRecord): void
  updateMetric(record: MetricRecord): void
  updateEnvironment(record: EnvironmentRecord): void
  finish(): Promise<void>
  configYaml(): string
  environmentJson(): string | undefined
  readonly initialized: boolean
  readonly startTimeMs: number
  readonly fileStreamOffsets: {history: number; events: number; summary: number; output: number}
  /** Sync: where file_stream continues (our own count of what the server already has). */
  setFileStreamOffsets(offsets: {history: number; events: number; summary: number; output: number}): void
}

/** Run-file uploads (runfiles RunFilesUploader). */
export interface RunFilesPort {
  process(record: FilesRecord): void
  uploadNow(runRelativePath: string): void
  uploadRemaining(): void
  finish(): Promise<{outcomes: Map<string, Delivery>}>
}

/** Console capture (console ConsoleLogs). */
export interface ConsolePort {
  handleOutputRaw(record: OutputRawRecord): void
  handleOutputLogger(record: OutputLoggerRecord): void
  finish(): Promise<void>
}

/** The sender's summary, fed only by summary records (so it can be rebuilt from a .wandb file). */
export interface SenderSummaryPort {
  apply(record: SummaryRecord): void
  serialize(): string
}

import {mkdirSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {FileLogSink, JsonLogger, type Logger} from '../observability/index.ts'
import {Feature, type GitRepoRecord, Record, type Settings, TelemetryRecord} from '../proto.ts'
import {systemClock, type Clock} from '../runtime/index.ts'
import {HistoryProcessor} from '../runstate/index.ts'
import {RunSettings} from '../settings/index.ts'
import {TransactionLogWriter} from '../txlog/index.ts'
import type {HandlerContext} from './contexts.ts'
import {CORE_VERSION, buildSender} from './create-sender.ts'
import {FlowControl} from './flow-control.ts'
import {answerWith} from './handler.ts'
import type {MonitorPort} from './ports.ts'
import {RunTimer} from './run-timer.ts'
import {Stream} from './stream.ts'
import {TensorBoardHandler} from './units/tensorboard.ts'
import type {Work} from './work.ts'
import {Writer} from './writer.ts'

/** Builds a run's system monitor: samples go to `emit`; `git` is read when the machine is probed. */
export type MonitorFactory = (o: {settings: RunSettings; emit: (record: Record) => void; logger: Logger; clock: Clock; writerId: string; git: () => GitRepoRecord | undefined}) => MonitorPort

/** Shared by every stream of a service (or a sync). */
export interface StreamDeps {
  /** The service's own log; each stream also writes its debug-internal.log. */
  logger: Logger
  /** Path of the service's core-debug log (symlinked as logs/debug-core.log), if any. */
  coreLogPath?: string
  logLevel: number
  /** Where footers go (the service's stdout). */
  print: (line: string) => void
  /** Builds the run's system monitor (sysinfo); absent: no system metrics. */
  monitor?: MonitorFactory
  clock?: Clock
  /** For tests: replaces fetch. */
  fetch?: typeof fetch
  /** For tests: flow control's memory budget in bytes (default DEFAULT_FLOW_CONTROL_MEMORY_BYTES). */
  flowControlMemoryBytes?: number
}

/**
 * The composition root of one run's pipeline: builds every dependency in order and returns the
 * started Stream. Online runs get the HTTP stack, file_stream, uploads; offline runs only the
 * transaction log and local files (output.log).
 */
export function createStream(proto: Settings, streamId: string, deps: StreamDeps): Stream {
  const settings = new RunSettings(proto)
  const clock = deps.clock ?? systemClock
  const {logger, release: releaseLog} = streamLogger(settings, deps)
  const writerId = Bun.randomUUIDv7() // Go 0.31: a time-ordered UUID, shown in wandb-metadata.json and config _wandb.e
  const parts = buildSender({settings, logger, clock, fetch: deps.fetch, writerId})
  const timer = new RunTimer()
  let stream: Stream | undefined
  const history = new HistoryProcessor(() => timer.elapsedSeconds(), {shared: settings.shared, serverSideDerivedSummary: settings.serverSideDerivedSummary})
  const forwarded: Work[] = []
  // eslint-disable-next-line prefer-const
  let handlerContext: HandlerContext
  const monitor = deps.monitor?.({
    settings,
    logger,
    clock,
    writerId,
    emit: (record) => stream?.inject(record),
    git: () => handlerContext.runRecord?.git,
  })
  handlerContext = {
    settings,
    logger,
    timer,
    history,
    monitor,
    printer: parts.printer,
    operations: parts.operations,
    uploads: parts.context.uploads,
    runRecord: undefined,
    exitSeen: false,
    forward: (work) => void forwarded.push(work),
    emit: (record) => void forwarded.push({record}),
    inject: (record) => stream?.inject(record),
    respond: answerWith,
    writeRunFile: (relativePath, contents) => {
      const path = join(settings.filesDir, relativePath)
      mkdirSync(dirname(path), {recursive: true})
      writeFileSync(path, contents)
    },
  }
  const log = openLog(settings, logger)
  // Offline, the writer passes on only run, exit and stats records and the sender does no network
  // work, so nothing piles up: flow control keeps everything in memory (as without a log).
  const flowControl = new FlowControl({
    log: settings.offline ? undefined : log,
    memoryLimitBytes: deps.flowControlMemoryBytes,
    logger,
    onFirstOffload: () => parts.context.run.updateTelemetry(TelemetryRecord.create({feature: Feature.create({flow_control_overflow: true})})),
  })
  stream = new Stream({
    id: streamId,
    settings,
    logger,
    serviceLogger: deps.logger,
    handler: new TensorBoardHandler(handlerContext, forwarded, logger, clock),
    writer: new Writer({log, offline: settings.offline, flushIntervalMs: settings.transactionLogFlushInterval * 1000, logger}),
    flowControl,
    sender: parts.sender,
    senderContext: parts.context,
    abortRun: () => parts.abort(new Error('run closed')),
    release: () => {
      void monitor?.finish()
      releaseLog()
    },
    print: deps.print,
    exitRecord: (exitCode) => Record.create({record_type: {oneofKind: 'exit', exit: {exit_code: exitCode, runtime: 0, not_complete: false}}}),
  })
  logger.info('stream: started', {id: streamId, offline: settings.offline})
  return stream
}

/** debug-internal.log for the run, and logs/debug-core.log → the service's own log. */
function streamLogger(settings: RunSettings, deps: StreamDeps): {logger: Logger; release: () => void} {
  if (!settings.logInternal) return {logger: deps.logger.with({stream_id: settings.runId}), release: () => {}}
  let sink: FileLogSink
  try {
    sink = new FileLogSink(settings.logInternal)
  } catch (err) {
    deps.logger.captureError('stream: cannot open debug-internal.log', err)
    return {logger: deps.logger.with({stream_id: settings.runId}), release: () => {}}
  }
  if (deps.coreLogPath && settings.logDir) {
    const link = join(settings.logDir, 'debug-core.log')
    try {
      rmSync(link, {force: true})
      symlinkSync(deps.coreLogPath, link)
    } catch {
      // best effort, as in Go
    }
  }
  const logger = new JsonLogger(sink.write, deps.logLevel)
  logger.info('stream: starting', {'core version': CORE_VERSION})
  return {logger, release: () => sink.close()}
}

/** The run's .wandb file, created exclusively; without it the stream runs without a log (as Go). */
function openLog(settings: RunSettings, logger: Logger): TransactionLogWriter | undefined {
  if (settings.skipTransactionLog || !settings.syncFile) return undefined
  try {
    return TransactionLogWriter.open(settings.syncFile)
  } catch (err) {
    logger.captureError('stream: cannot create the transaction log; continuing without it', err)
    return undefined
  }
}

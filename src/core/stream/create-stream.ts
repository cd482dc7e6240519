import {symlinkSync, mkdirSync, rmSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {FILE_TRANSFER_POLICY, GRAPHQL_POLICY, GraphQLClient, HttpClient, NetworkPeeker, basicAuthorization, withOverrides} from '../api/index.ts'
import {ConsoleLogs} from '../console/index.ts'
import {HttpFileStream} from '../filestream/index.ts'
import {FileTransferManager} from '../filetransfer/index.ts'
import {FileLogSink, JsonLogger, type Logger, Printer} from '../observability/index.ts'
import {Operations} from '../operations/index.ts'
import {Record, type Settings} from '../proto.ts'
import {Deferred, systemClock, type Clock} from '../runtime/index.ts'
import {RunFilesUploader} from '../runfiles/index.ts'
import {HistoryProcessor, RunSummary} from '../runstate/index.ts'
import {RunUpserter, ServerFeatures} from '../runupserter/index.ts'
import {RunSettings} from '../settings/index.ts'
import {TransactionLogWriter} from '../txlog/index.ts'
import {NEXUS_VERSION, WANDB_PROTOCOL_VERSION} from '../version.ts'
import type {HandlerContext, SenderContext} from './contexts.ts'
import {Handler, answerWith} from './handler.ts'
import type {MonitorPort} from './ports.ts'
import {RunTimer} from './run-timer.ts'
import {Sender} from './sender.ts'
import {Stream} from './stream.ts'
import type {Work} from './work.ts'
import {Writer} from './writer.ts'

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
  monitor?: (settings: RunSettings, emit: (record: Record) => void, logger: Logger) => MonitorPort
  clock?: Clock
  /** For tests: replaces fetch. */
  fetch?: typeof fetch
}

const randomId = (n: number) => Array.from(crypto.getRandomValues(new Uint8Array(n)), (b) => 'abcdefghijklmnopqrstuvwxyz0123456789'[b % 36]).join('')

/**
 * The composition root of one run's pipeline: builds every dependency in order and returns the
 * started Stream. Online runs get the HTTP stack, file_stream, uploads; offline runs only the
 * transaction log and local files (output.log).
 */
export function createStream(proto: Settings, streamId: string, deps: StreamDeps): Stream {
  const settings = new RunSettings(proto)
  const clock = deps.clock ?? systemClock
  const {logger, release: releaseLog} = streamLogger(settings, deps)
  const printer = new Printer()
  const operations = new Operations(() => clock.now())
  const timer = new RunTimer()
  const runAbort = new AbortController()
  const offline = settings.offline

  const peeker = offline ? undefined : new NetworkPeeker()
  const http = offline ? undefined : new HttpClient({
    baseUrl: settings.baseUrl,
    authorization: () => (settings.apiKey ? basicAuthorization(settings.apiKey) : undefined),
    extraHeaders: settings.extraHttpHeaders,
    logger,
    peeker,
    fetch: deps.fetch,
  })
  const graphqlPolicy = withOverrides(GRAPHQL_POLICY, settings.graphqlOverrides)
  const graphql = http ? new GraphQLClient(http, {username: settings.username, email: settings.email}) : undefined
  const features = new ServerFeatures(graphql, logger)
  const run = new RunUpserter({
    settings, logger, operations, graphql, features, graphqlPolicy,
    writerId: randomId(32),
    coreVersion: `${WANDB_PROTOCOL_VERSION}+nexus.${NEXUS_VERSION}`,
  })

  const transfers = http ? new FileTransferManager({http, logger, policy: withOverrides(FILE_TRANSFER_POLICY, settings.fileTransferOverrides), signal: runAbort.signal}) : undefined
  const fileStream = http ? new HttpFileStream({
    http, logger, clock, printer, signal: runAbort.signal,
    settings: {...settings.fileStreamOverrides, retryMax: settings.fileStreamOverrides.maxRetries, retryWaitMinSeconds: settings.fileStreamOverrides.waitMinSeconds, retryWaitMaxSeconds: settings.fileStreamOverrides.waitMaxSeconds, transmitIntervalSeconds: settings.fileStreamTransmitIntervalSeconds, maxBytes: settings.fileStreamMaxBytes, maxLineBytes: settings.fileStreamMaxLineBytes},
    stopOnFatalError: settings.stopOnFatalError,
  }) : undefined
  const runFiles = graphql && transfers ? new RunFilesUploader({
    filesDir: settings.filesDir,
    entity: () => settings.entity || undefined,
    project: () => settings.project || undefined,
    runId: () => settings.runId || undefined,
    graphql, transfers, clock, logger, graphqlPolicy,
    ignoreGlobs: settings.ignoreGlobs,
    onUploaded: (paths) => fileStream?.streamUpdate({uploaded: paths}),
    signal: runAbort.signal,
  }) : undefined
  const consoleLogs = new ConsoleLogs({
    filesDir: settings.filesDir,
    label: settings.label || undefined,
    multipart: settings.consoleMultipart,
    chunkMaxBytes: settings.consoleChunkMaxBytes,
    chunkMaxSeconds: settings.consoleChunkMaxSeconds,
    structured: () => features.cached('STRUCTURED_CONSOLE_LOGS'),
    captureEnabled: settings.consoleCaptureEnabled,
    lineOffset: 0,
    clock, logger,
    fileStreamSink: fileStream ? (update) => fileStream.streamUpdate({console: [update]}) : undefined,
    onFileReady: runFiles ? (path) => runFiles.uploadNow(path) : undefined,
  })
  const senderSummary = new RunSummary()

  let stream: Stream | undefined
  const history = new HistoryProcessor(() => timer.elapsedSeconds(), {shared: settings.shared, serverSideDerivedSummary: settings.serverSideDerivedSummary})
  const monitor = deps.monitor?.(settings, (record) => stream?.inject(record), logger)
  const forwarded: Work[] = []
  const uploads = {
    done: false,
    fileCounts: () => transfers?.stats.snapshot().counts ?? {wandb: 0, media: 0, artifact: 0, other: 0},
    bytes: () => {
      const snap = transfers?.stats.snapshot()
      return {uploaded: snap?.uploadedBytes ?? 0, total: snap?.totalBytes ?? 0}
    },
  }

  const handlerContext: HandlerContext = {
    settings, logger, printer, operations, timer, history, monitor, uploads,
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
  const senderContext: SenderContext = {
    settings, logger, printer, operations, offline, run, graphql, fileStream, peeker, uploads,
    runFiles,
    console: consoleLogs,
    summary: {apply: (r) => void senderSummary.applyRecord(r), serialize: () => senderSummary.serialize()},
    runSignal: runAbort.signal,
    exitReceived: false,
    pending: new Set(),
    respond: answerWith,
    closeTransfers: async () => {
      await transfers?.close()
    },
    finished: new Deferred(),
  }

  const log = openLog(settings, logger)
  stream = new Stream({
    id: streamId,
    settings,
    logger,
    handler: new Handler(handlerContext, forwarded, logger),
    writer: new Writer({log, offline, flushIntervalMs: settings.transactionLogFlushInterval * 1000, logger}),
    sender: new Sender(senderContext, logger),
    senderContext,
    abortRun: () => runAbort.abort(new Error('run closed')),
    release: () => {
      void monitor?.finish()
      releaseLog()
    },
    print: deps.print,
    exitRecord: (exitCode) => Record.create({record_type: {oneofKind: 'exit', exit: {exit_code: exitCode, runtime: 0, not_complete: false}}}),
  })
  logger.info('stream: started', {id: streamId, offline})
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
  logger.info('stream: starting', {'core version': `${WANDB_PROTOCOL_VERSION}+nexus.${NEXUS_VERSION}`})
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

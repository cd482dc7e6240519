import {FILE_TRANSFER_POLICY, GRAPHQL_POLICY, GraphQLClient, HttpClient, NetworkPeeker, Transport, basicAuthorization, withOverrides} from '../api/index.ts'
import {RunArtifacts} from '../artifacts/index.ts'
import {ConsoleLogs} from '../console/index.ts'
import {HttpFileStream, type FileStream} from '../filestream/index.ts'
import {RunJob, jobSettingsOf} from '../jobs/index.ts'
import {FileTransferManager} from '../filetransfer/index.ts'
import type {Logger} from '../observability/index.ts'
import {Printer} from '../observability/index.ts'
import {Operations} from '../operations/index.ts'
import {Deferred, type Clock} from '../runtime/index.ts'
import {RunFilesUploader} from '../runfiles/index.ts'
import {RunSummary} from '../runstate/index.ts'
import {RunUpserter, ServerFeatures} from '../runupserter/index.ts'
import type {RunSettings} from '../settings/index.ts'
import {NEXUS_VERSION, WANDB_PROTOCOL_VERSION} from '../version.ts'
import type {SenderContext, UploadStats} from './contexts.ts'
import {answerWith} from './handler.ts'
import {Sender} from './sender.ts'

/** The telemetry core_version nexus reports: the protocol it speaks, marked as nexus. */
export const CORE_VERSION = `${WANDB_PROTOCOL_VERSION}+nexus.${NEXUS_VERSION}`

export interface SenderOptions {
  settings: RunSettings
  logger: Logger
  clock: Clock
  /** For tests: replaces fetch. */
  fetch?: typeof fetch
  /** Proxies and TLS (default: Transport.fromSettings(settings)). */
  transport?: Transport
  /** Sync only: the .wandb file whose .syncstate pins the starting step. */
  syncStateFile?: string
  /** This writer's id (config _wandb.e key); random when absent. */
  writerId?: string
  /** Sync only: wraps the file_stream (e.g. to hold back data the server already has). */
  wrapFileStream?: (fileStream: FileStream) => FileStream
}

/** A sender stage with everything it uses: what live streams and `nexus sync` share. */
export interface SenderParts {
  sender: Sender
  context: SenderContext
  printer: Printer
  operations: Operations
  /** Cancels the run's outstanding network work. */
  abort: (reason: Error) => void
}

/**
 * Builds the sender side of a run: the HTTP stack, run upserter, file_stream, file transfers and
 * run-file uploads (online), console capture, the sender's summary. Offline runs get only what
 * works without a server (the upserter's local init, output.log).
 */
export function buildSender(o: SenderOptions): SenderParts {
  const {settings, logger, clock} = o
  const printer = new Printer()
  const operations = new Operations(() => clock.now())
  const runAbort = new AbortController()
  const offline = settings.offline
  const peeker = offline ? undefined : new NetworkPeeker()
  const transport = offline ? undefined : (o.transport ?? Transport.fromSettings(settings))
  if (transport) logger.debug('sender: transport', transport.describe())
  const http = offline
    ? undefined
    : new HttpClient({
        baseUrl: settings.baseUrl,
        authorization: () => (settings.apiKey ? basicAuthorization(settings.apiKey) : undefined),
        extraHeaders: settings.extraHttpHeaders,
        logger,
        peeker,
        transport,
        fetch: o.fetch,
      })
  const graphqlPolicy = withOverrides(GRAPHQL_POLICY, settings.graphqlOverrides)
  const graphql = http ? new GraphQLClient(http, {username: settings.username, email: settings.email}) : undefined
  const features = new ServerFeatures(graphql, logger)
  const run = new RunUpserter({
    settings,
    logger,
    operations,
    graphql,
    features,
    graphqlPolicy,
    writerId: o.writerId ?? Bun.randomUUIDv7(),
    coreVersion: CORE_VERSION,
    syncStateFile: o.syncStateFile,
  })
  const transferPolicy = withOverrides(FILE_TRANSFER_POLICY, settings.fileTransferOverrides)
  const transfers = http ? new FileTransferManager({http, logger, policy: transferPolicy, signal: runAbort.signal}) : undefined
  const fs = settings.fileStreamOverrides
  const httpFileStream = http
    ? new HttpFileStream({
        http,
        logger,
        clock,
        printer,
        operations,
        signal: runAbort.signal,
        stopOnFatalError: settings.stopOnFatalError,
        settings: {
          retryMax: fs.maxRetries,
          retryWaitMinSeconds: fs.waitMinSeconds,
          retryWaitMaxSeconds: fs.waitMaxSeconds,
          timeoutSeconds: fs.timeoutSeconds,
          transmitIntervalSeconds: settings.fileStreamTransmitIntervalSeconds,
          maxBytes: settings.fileStreamMaxBytes,
          maxLineBytes: settings.fileStreamMaxLineBytes,
        },
      })
    : undefined
  const fileStream = httpFileStream && o.wrapFileStream ? o.wrapFileStream(httpFileStream) : httpFileStream
  const runFiles =
    graphql && transfers
      ? new RunFilesUploader({
          filesDir: settings.filesDir,
          entity: () => settings.entity || undefined,
          project: () => settings.project || undefined,
          runId: () => settings.runId || undefined,
          graphql,
          transfers,
          clock,
          logger,
          graphqlPolicy,
          operations,
          ignoreGlobs: settings.ignoreGlobs,
          onUploaded: (paths) => fileStream?.streamUpdate({uploaded: paths}),
          signal: runAbort.signal,
        })
      : undefined
  const consoleLogs = new ConsoleLogs({
    filesDir: settings.filesDir,
    label: settings.label || undefined,
    multipart: settings.consoleMultipart,
    chunkMaxBytes: settings.consoleChunkMaxBytes,
    chunkMaxSeconds: settings.consoleChunkMaxSeconds,
    structured: () => features.cached('STRUCTURED_CONSOLE_LOGS'),
    captureEnabled: settings.consoleCaptureEnabled,
    lineOffset: 0,
    clock,
    logger,
    fileStreamSink: fileStream ? (update) => fileStream.streamUpdate({console: [update]}) : undefined,
    onFileReady: runFiles ? (path) => runFiles.uploadNow(path) : undefined,
  })
  const artifacts =
    graphql && http && transfers
      ? new RunArtifacts({
          graphql,
          http,
          transfers,
          logger,
          graphqlPolicy,
          transferPolicy,
          signal: runAbort.signal,
          warn: (message) => printer.warn(message),
          useArtifactEntityProject: (signal) => features.enabled('USE_ARTIFACT_WITH_ENTITY_AND_PROJECT_INFORMATION', signal),
        })
      : undefined
  const summary = new RunSummary()
  const jobSettings = jobSettingsOf(settings)
  const jobs =
    artifacts && graphql && !jobSettings.disabled
      ? new RunJob({
          settings: jobSettings,
          logger,
          operations,
          artifacts,
          graphql,
          graphqlPolicy,
          signal: runAbort.signal,
          runState: () => ({config: run.config.toNested(), summary: summary.toNested(), entity: run.params.entity, project: run.params.project, runId: run.params.runId}),
        })
      : undefined
  const uploads: UploadStats = {
    done: false,
    fileCounts: () => transfers?.stats.snapshot().counts ?? {wandb: 0, media: 0, artifact: 0, other: 0},
    bytes: () => {
      const snap = transfers?.stats.snapshot()
      return {uploaded: snap?.uploadedBytes ?? 0, total: snap?.totalBytes ?? 0}
    },
  }
  const context: SenderContext = {
    settings,
    logger,
    printer,
    operations,
    offline,
    run,
    graphql,
    fileStream,
    peeker,
    uploads,
    runFiles,
    artifacts,
    console: consoleLogs,
    jobs,
    summary: {apply: (r) => void summary.applyRecord(r), serialize: () => summary.serialize()},
    runSignal: runAbort.signal,
    exitReceived: false,
    pending: new Set(),
    backgroundOutcomes: [],
    respond: answerWith,
    closeTransfers: async () => {
      await transfers?.close()
    },
    finished: new Deferred(),
  }
  return {sender: new Sender(context, logger), context, printer, operations, abort: (reason) => runAbort.abort(reason)}
}

import {FILE_TRANSFER_POLICY, GRAPHQL_POLICY, HttpClient, Transport, withOverrides} from '../api/index.ts'
import {WandbError, errorMessage} from '../errors.ts'
import type {Logger} from '../observability/index.ts'
import type {ApiRequest, ApiResponse} from '../proto.ts'
import type {RunSettings} from '../settings/index.ts'
import {dispatchApiRequest} from './api-handlers.ts'
import {credentialsFor} from './credentials.ts'
import {GraphQLTransport} from './graphql-transport.ts'
import {mergeHeaders} from './headers.ts'
import {HistoryDownloads} from './history-downloads.ts'
import {HistoryScans} from './history-scans.ts'
import {probeTelemetryProxy} from './otel-probe.ts'
import {RequestSlots} from './request-slots.ts'
import {apiError} from './responses.ts'
import {ServerFeatures} from './server-features.ts'
import type {SessionTools} from './session-tools.ts'

/** Requests of one session handled at once (Go core: 10); the rest wait. */
export const SESSION_CONCURRENCY = 10

export interface ApiSessionOptions {
  logger: Logger
  fetch?: typeof fetch
  /** Send the telemetry-proxy probe (off with --no-observability and for offline settings). */
  probeTelemetry: boolean
}

/**
 * One api_init: an account on a W&B server (settings: base_url, credentials, extra headers, retry
 * overrides) and the clients built for it. Handles its requests concurrently, at most
 * SESSION_CONCURRENCY at a time.
 */
export class ApiSession {
  readonly id: string
  readonly #tools: SessionTools
  readonly #slots = new RequestSlots(SESSION_CONCURRENCY)
  readonly #closing = new AbortController()

  /** Throws (a WandbError with a user-readable message) when the base URL or the credentials are unusable. */
  constructor(id: string, settings: RunSettings, o: ApiSessionOptions) {
    this.id = id
    const logger = o.logger.with({api_id: id})
    const baseUrl = settings.baseUrl
    try {
      new URL(baseUrl)
    } catch (err) {
      throw new WandbError(`error parsing base URL: ${errorMessage(err)}`, {cause: err})
    }
    const extraHeaders = mergeHeaders(settings.extraHttpHeaders)
    const transport = Transport.fromSettings(settings)
    let credentials
    try {
      credentials = credentialsFor(settings, {headers: extraHeaders, logger, fetch: o.fetch, transport})
    } catch (err) {
      throw new WandbError(`error reading credentials: ${errorMessage(err)}`, {cause: err})
    }
    const http = new HttpClient({baseUrl, authorization: () => credentials.authorization(), logger, transport, fetch: o.fetch})
    const gql = new GraphQLTransport({
      http,
      policy: withOverrides(GRAPHQL_POLICY, settings.graphqlOverrides),
      headers: mergeHeaders({'x-wandb-username': settings.username, 'x-wandb-user-email': settings.email}, extraHeaders, {'content-type': 'application/json'}),
    })
    let lastHistoryId = 0
    const historyIds = () => ++lastHistoryId
    this.#tools = {
      settings,
      logger,
      http,
      gql,
      credentials,
      extraHeaders,
      transferPolicy: withOverrides(FILE_TRANSFER_POLICY, settings.fileTransferOverrides),
      features: new ServerFeatures(gql, logger),
      historyDownloads: new HistoryDownloads(historyIds),
      historyScans: new HistoryScans(historyIds),
    }
    logger.debug('wbapi: session started', {base_url: baseUrl, credentials: credentials.kind})
    if (o.probeTelemetry && !settings.offline) {
      void probeTelemetryProxy({baseUrl, logger, transport, fetch: o.fetch, signal: this.#closing.signal})
    }
  }

  /**
   * Handles one request; resolves undefined for requests that take no answer (telemetry).
   * Rejects only with RequestCancelledError (abort while waiting for a slot) or on a bug.
   */
  async handle(request: ApiRequest, signal: AbortSignal): Promise<ApiResponse | undefined> {
    const r = request.request
    if (r.oneofKind === 'open_telemetry_request') {
      // nexus exports no telemetry: the SDK publishes these and expects no answer
      return r.open_telemetry_request.request.oneofKind === undefined ? apiError('unsupported API request type') : undefined
    }
    const release = await this.#slots.acquire(signal)
    try {
      return await dispatchApiRequest(this.#tools, r, signal)
    } finally {
      release()
    }
  }

  /** Stops the session's background work (the telemetry probe). Requests in flight run to their end. */
  close(): void {
    this.#closing.abort()
  }
}

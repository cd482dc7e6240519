import {errorMessage} from '../errors.ts'
import type {Logger} from '../observability/index.ts'
import {Settings, type ApiRequest, type ApiResponse, type ServerApiInitRequest, type ServerApiInitResponse, type ServerAuthenticateRequest, type ServerAuthenticateResponse} from '../proto.ts'
import type {ApiSessions} from '../server/index.ts'
import {RunSettings} from '../settings/index.ts'
import {abortable} from './abortable.ts'
import {ApiSession} from './api-session.ts'
import {RequestCancelledError} from './errors.ts'
import {legacyAuthenticate} from './legacy-authenticate.ts'
import {apiError} from './responses.ts'

export interface WbApiSessionsOptions {
  logger: Logger
  /** For tests: replaces globalThis.fetch in every client the sessions build. */
  fetch?: typeof fetch
  /** False with --no-observability: no telemetry-proxy probe at api_init. Default true. */
  observability?: boolean
}

/**
 * The public-API passthrough of the service (Go core's wbapi): api_init opens a session
 * ("api-N", unique for the life of this object) with its own HTTP clients built from the
 * settings, api_request is routed to its session, api_cleanup forgets it. `handle` honours the
 * signal (the SDK cancels on timeout) and never rejects: every failure is an api_error_response.
 */
export class WbApiSessions implements ApiSessions {
  readonly #o: WbApiSessionsOptions
  readonly #sessions = new Map<string, ApiSession>()
  #nextId = 0

  constructor(o: WbApiSessionsOptions) {
    this.#o = o
  }

  /** Sessions open now. */
  get size(): number {
    return this.#sessions.size
  }

  init(request: ServerApiInitRequest): ServerApiInitResponse {
    const id = `api-${this.#nextId++}`
    const settings = new RunSettings(request.settings ?? Settings.create())
    try {
      const session = new ApiSession(id, settings, {logger: this.#o.logger, fetch: this.#o.fetch, probeTelemetry: this.#o.observability ?? true})
      this.#sessions.set(id, session)
      return {api_id: id, error_message: ''}
    } catch (err) {
      this.#o.logger.warn('wbapi: api_init failed', {error: errorMessage(err)})
      return {api_id: '', error_message: errorMessage(err)}
    }
  }

  async handle(request: ApiRequest, signal: AbortSignal): Promise<ApiResponse | undefined> {
    const session = this.#sessions.get(request.api_id)
    if (!session) return apiError('WandbAPI is not initialized')
    try {
      return await abortable(session.handle(request, signal), signal)
    } catch (err) {
      if (err instanceof RequestCancelledError) return apiError(err.message)
      this.#o.logger.captureError('wbapi: request failed unexpectedly', err, {api_id: request.api_id, kind: request.request.oneofKind})
      return apiError(`wbapi: internal error: ${errorMessage(err)}`)
    }
  }

  cleanup(apiId: string): void {
    this.#sessions.get(apiId)?.close()
    this.#sessions.delete(apiId)
  }

  authenticate(request: ServerAuthenticateRequest, signal: AbortSignal): Promise<ServerAuthenticateResponse> {
    return legacyAuthenticate(request, {logger: this.#o.logger, fetch: this.#o.fetch}, signal)
  }

  /** Forgets every session (service shutdown); requests in flight run to their end. */
  close(): void {
    for (const session of this.#sessions.values()) session.close()
    this.#sessions.clear()
  }
}

import type {Logger} from '../observability/index.ts'
import type {
  ApiRequest,
  ApiResponse,
  ServerApiInitRequest,
  ServerApiInitResponse,
  ServerAuthenticateRequest,
  ServerAuthenticateResponse,
  ServerInitSyncRequest,
  ServerInitSyncResponse,
  ServerSyncRequest,
  ServerSyncResponse,
  ServerSyncStatusRequest,
  ServerSyncStatusResponse,
} from '../proto.ts'
import type {StreamFactory} from './run-stream.ts'
import type {StreamRegistry} from './stream-registry.ts'

/** The public-API passthrough sessions (api_init / api_request / api_cleanup, legacy authenticate). */
export interface ApiSessions {
  init(request: ServerApiInitRequest): ServerApiInitResponse
  /** Resolves the response, or undefined when the request needs none. Never rejects. */
  handle(request: ApiRequest, signal: AbortSignal): Promise<ApiResponse | undefined>
  cleanup(apiId: string): void
  authenticate(request: ServerAuthenticateRequest, signal: AbortSignal): Promise<ServerAuthenticateResponse>
}

/** Replays of .wandb files requested through the socket (`wandb sync` via the service). */
export interface SyncSessions {
  init(request: ServerInitSyncRequest): ServerInitSyncResponse
  sync(request: ServerSyncRequest, signal: AbortSignal): Promise<ServerSyncResponse>
  status(request: ServerSyncStatusRequest): ServerSyncStatusResponse
}

/** What the server-request handlers may use. */
export interface ServiceContext {
  readonly logger: Logger
  readonly streams: StreamRegistry
  readonly createStream: StreamFactory
  readonly api: ApiSessions
  readonly sync: SyncSessions
  /** inform_teardown: finish every run with `exitCode`, then stop the service (exit 0). */
  teardown(exitCode: number): Promise<void>
}

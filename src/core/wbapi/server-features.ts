import {ServerFeature} from '../proto.ts'
import type {Logger} from '../observability/index.ts'
import {abortable} from './abortable.ts'
import {SERVER_FEATURES} from './graphql-documents.ts'
import type {GraphQLTransport} from './graphql-transport.ts'

interface ServerFeaturesData {
  serverInfo?: {features?: Array<{name?: string; isEnabled?: boolean} | null> | null} | null
}

/**
 * The server's boolean features for one session, queried once (ServerFeaturesQuery) and then
 * answered from memory; a failed query leaves every feature disabled for that call and is tried
 * again on the next. Names the proto's ServerFeature enum does not know are ignored. Concurrent
 * callers share one query.
 */
export class ServerFeatures {
  readonly #gql: GraphQLTransport
  readonly #logger: Logger
  #enabled: Map<ServerFeature, boolean> | undefined
  #loading: Promise<void> | undefined

  constructor(gql: GraphQLTransport, logger: Logger) {
    this.#gql = gql
    this.#logger = logger
  }

  /** Whether `feature` is on; false when unknown, when the query fails, or when `signal` aborts. */
  async enabled(feature: ServerFeature, signal?: AbortSignal): Promise<boolean> {
    if (!this.#enabled) {
      this.#loading ??= this.#load(signal).finally(() => (this.#loading = undefined))
      try {
        await abortable(this.#loading, signal)
      } catch {
        return false
      }
    }
    return this.#enabled?.get(feature) ?? false
  }

  async #load(signal: AbortSignal | undefined): Promise<void> {
    const outcome = await this.#gql.execute<ServerFeaturesData>({query: SERVER_FEATURES, operationName: 'ServerFeaturesQuery'}, signal)
    if (!outcome.ok) {
      this.#logger.warn('wbapi: failed to load server features, all are disabled', {error: outcome.failure.message})
      return
    }
    const list = outcome.data?.serverInfo?.features
    if (!list) {
      this.#logger.warn('wbapi: the server sent no serverInfo.features')
      return
    }
    const enabled = new Map<ServerFeature, boolean>()
    for (const f of list) {
      const value = f?.name === undefined ? undefined : (ServerFeature as unknown as Record<string, unknown>)[f.name]
      if (typeof value === 'number' && value !== ServerFeature.SERVER_FEATURE_UNSPECIFIED) enabled.set(value, f?.isEnabled === true)
    }
    this.#enabled = enabled
  }
}

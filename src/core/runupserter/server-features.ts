import type {GraphQLClient} from '../api/index.ts'
import type {Logger} from '../observability/index.ts'
import {SERVER_FEATURES, type ServerFeaturesData} from './operations.ts'

/**
 * The server's feature flags (ServerFeaturesQuery), asked once per run and cached. A failed query
 * is not cached: the next check asks again (as Go core does). Offline: every feature is off.
 */
export class ServerFeatures {
  readonly #gql: GraphQLClient | undefined
  readonly #logger: Logger
  #enabled: Set<string> | undefined
  #inflight: Promise<Set<string>> | undefined

  constructor(gql: GraphQLClient | undefined, logger: Logger) {
    this.#gql = gql
    this.#logger = logger
  }

  /** Whether the server enables the feature named as in the ServerFeature enum (e.g. "STRUCTURED_CONSOLE_LOGS"). */
  async enabled(name: string, signal?: AbortSignal): Promise<boolean> {
    if (!this.#gql) return false
    if (!this.#enabled) {
      this.#inflight ??= this.#load(signal)
      try {
        this.#enabled = await this.#inflight
      } catch (err) {
        this.#logger.captureError('features: query failed', err)
        return false
      } finally {
        this.#inflight = undefined
      }
    }
    return this.#enabled.has(name)
  }

  /** The cached answer without asking the server (false until the first query succeeded). */
  cached(name: string): boolean {
    return this.#enabled?.has(name) ?? false
  }

  async #load(signal?: AbortSignal): Promise<Set<string>> {
    const data = await this.#gql!.request<ServerFeaturesData>({query: SERVER_FEATURES, operationName: 'ServerFeaturesQuery'}, {signal})
    return new Set((data.serverInfo?.features ?? []).filter((f) => f.isEnabled).map((f) => f.name))
  }
}

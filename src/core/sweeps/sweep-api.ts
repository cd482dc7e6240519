/**
 * The sweep requests to a W&B server, on the shared HTTP stack (GraphQL retry policy with the
 * SDK's WANDB__GRAPHQL_RETRY_* / WANDB_X_GRAPHQL_RETRY_* overrides): UpsertSweep with wandb's
 * fallback through older documents, the sweep's id and state, and the state change.
 */
import {GRAPHQL_POLICY, GraphQLClient, GraphQLError, HttpClient, basicAuthorization, withOverrides, type RetryPolicy} from '../api/index.ts'
import {HttpError} from '../errors.ts'
import {nullLogger, type Logger} from '../observability/index.ts'
import {
  GET_DEFAULT_ENTITY,
  SET_SWEEP_STATE,
  SWEEP_STATE,
  SWEEP_WITH_RUNS,
  UPSERT_SWEEP_DOCUMENTS,
  type DefaultEntityData,
  type SweepStateData,
  type SweepWithRunsData,
  type UpsertSweepData,
} from './documents.ts'

type Env = Readonly<Record<string, string | undefined>>

/** The sweep states the server knows (upper-case). */
export type SweepState = 'PENDING' | 'RUNNING' | 'PAUSED' | 'FINISHED' | 'CANCELED'

/** The variables of UpsertSweep as wandb sends them when creating a sweep (null = not given). */
export interface UpsertSweepVariables {
  id: string | null
  config: string
  description: unknown
  entityName: string | null
  projectName: string | null
  /** The local controller's state (JSON text); null when creating. */
  controller: string | null
  launchScheduler: null
  templateVariableValues: 'null'
  scheduler: null
  priorRunsFilters: string | null
  displayName: null
}

/** Options of SweepApi. */
export interface SweepApiOptions {
  /** Normalised base URL. */
  baseUrl: string
  /** The API key (never logged). */
  apiKey: string
  /** For the retry overrides (default process.env). */
  env?: Env
  logger?: Logger
  /** For tests: replaces globalThis.fetch. */
  fetch?: typeof fetch
  signal?: AbortSignal
}

/** A sweep as the state change needs it. */
export interface SweepRef {
  /** The server's object id (the mutation's `id`). */
  id: string
  state: string
}

/** The SDK setting `x_<name>` from WANDB__<NAME> or WANDB_X_<NAME>, as a number. */
export function envNumber(env: Env, name: string): number | undefined {
  const raw = env[`WANDB__${name.toUpperCase()}`] ?? env[`WANDB_X_${name.toUpperCase()}`]
  if (raw === undefined || raw.trim() === '') return undefined
  const n = Number(raw)
  return Number.isFinite(n) ? n : undefined
}

/** The GraphQL client of the sweep commands and the SDK's retry overrides from the environment (WANDB__GRAPHQL_* / WANDB_X_GRAPHQL_*). */
export function sweepGraphQL(o: SweepApiOptions): {gql: GraphQLClient; overrides: Parameters<typeof withOverrides>[1]} {
  const env = o.env ?? process.env
  const http = new HttpClient({baseUrl: o.baseUrl, authorization: () => basicAuthorization(o.apiKey), logger: o.logger ?? nullLogger, fetch: o.fetch})
  return {
    gql: new GraphQLClient(http),
    overrides: {
      maxRetries: envNumber(env, 'graphql_retry_max'),
      waitMinSeconds: envNumber(env, 'graphql_retry_wait_min_seconds'),
      waitMaxSeconds: envNumber(env, 'graphql_retry_wait_max_seconds'),
      timeoutSeconds: envNumber(env, 'graphql_timeout_seconds'),
    },
  }
}

/** GraphQL for sweeps. Each method throws the api's errors (HttpError, NetworkError, TimeoutError, GraphQLError). */
export class SweepApi {
  readonly #gql: GraphQLClient
  readonly #policy: RetryPolicy
  readonly #signal: AbortSignal | undefined

  constructor(o: SweepApiOptions) {
    const {gql, overrides} = sweepGraphQL(o)
    this.#gql = gql
    this.#policy = withOverrides(GRAPHQL_POLICY, overrides)
    this.#signal = o.signal
  }

  /**
   * Creates (or, with `id`, updates) a sweep. Like wandb, tries the newest UpsertSweep document
   * first and falls back to older ones when the server rejects the document (a GraphQL error or
   * HTTP 400); when all are rejected, throws the last rejection. Other failures throw at once.
   */
  async upsertSweep(variables: UpsertSweepVariables): Promise<UpsertSweepData> {
    let last: unknown
    for (const query of UPSERT_SWEEP_DOCUMENTS) {
      try {
        return await this.#gql.request<UpsertSweepData>({query, operationName: 'UpsertSweep', variables: {...variables}}, {policy: this.#policy, signal: this.#signal})
      } catch (err) {
        if (!(err instanceof GraphQLError) && !(err instanceof HttpError && err.status === 400)) throw err
        last = err
      }
    }
    throw last
  }

  /** The sweep `name` in entity/project (null = the server's default), or null when there is none. */
  async sweepRef(entity: string | null, project: string | null, name: string): Promise<SweepRef | null> {
    const data = await this.#gql.request<SweepStateData>({query: SWEEP_STATE, operationName: 'SweepState', variables: {entity, project, sweep: name}}, {policy: this.#policy, signal: this.#signal})
    const sweep = data?.project?.sweep
    if (!sweep?.id) return null
    return {id: sweep.id, state: sweep.state ?? ''}
  }

  /** The sweep `name` with its runs; `specs` is the sampledHistory spec (one JSON text, as wandb sends it). */
  async sweepWithRuns(entity: string | null, project: string | null, name: string, specs: string): Promise<SweepWithRunsData> {
    return this.#gql.request<SweepWithRunsData>(
      {query: SWEEP_WITH_RUNS, operationName: 'SweepWithRuns', variables: {entity, project, sweep: name, specs}},
      {policy: this.#policy, signal: this.#signal},
    )
  }

  /** Sets the state of the sweep with object id `id`. */
  async setState(id: string, state: SweepState, entity: string | null, project: string | null): Promise<void> {
    await this.#gql.request({query: SET_SWEEP_STATE, operationName: 'UpsertSweep', variables: {id, state, entityName: entity, projectName: project}}, {policy: this.#policy, signal: this.#signal})
  }

  /** The viewer's default entity, or undefined when the server names none. */
  async defaultEntity(): Promise<string | undefined> {
    const data = await this.#gql.request<DefaultEntityData>({query: GET_DEFAULT_ENTITY, operationName: 'GetDefaultEntity'}, {policy: this.#policy, signal: this.#signal})
    return data?.viewer?.entity || undefined
  }
}

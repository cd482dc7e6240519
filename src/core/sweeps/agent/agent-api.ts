/**
 * The agent's requests to a W&B server, on the shared HTTP stack with the same GraphQL retry
 * policy and overrides as SweepApi; the heartbeat gets wandb's 60 s timeout.
 */
import {GRAPHQL_POLICY, GraphQLClient, HttpClient, basicAuthorization, withOverrides, type RetryPolicy} from '../../api/index.ts'
import {nullLogger} from '../../observability/index.ts'
import {envNumber, type SweepApiOptions} from '../sweep-api.ts'
import {AGENT_HEARTBEAT, CREATE_AGENT, SWEEP_WITH_RUNS, type AgentHeartbeatData, type CreateAgentData, type SweepWithRunsData} from './documents.ts'

/** The sweep as the agent reads it. */
export interface AgentSweepData {
  id: string
  name: string
  state: string
  /** The config YAML ('' when none). */
  config: string
}

/** GraphQL for the agent. Methods throw the api's errors (HttpError, NetworkError, TimeoutError, GraphQLError). */
export class AgentApi {
  readonly #gql: GraphQLClient
  readonly #policy: RetryPolicy
  readonly #heartbeatPolicy: RetryPolicy
  readonly #signal: AbortSignal | undefined

  constructor(o: SweepApiOptions) {
    const env = o.env ?? process.env
    const http = new HttpClient({baseUrl: o.baseUrl, authorization: () => basicAuthorization(o.apiKey), logger: o.logger ?? nullLogger, fetch: o.fetch})
    this.#gql = new GraphQLClient(http)
    const overrides = {
      maxRetries: envNumber(env, 'graphql_retry_max'),
      waitMinSeconds: envNumber(env, 'graphql_retry_wait_min_seconds'),
      waitMaxSeconds: envNumber(env, 'graphql_retry_wait_max_seconds'),
    }
    this.#policy = withOverrides(GRAPHQL_POLICY, {...overrides, timeoutSeconds: envNumber(env, 'graphql_timeout_seconds')})
    this.#heartbeatPolicy = withOverrides(GRAPHQL_POLICY, {...overrides, timeoutSeconds: 60})
    this.#signal = o.signal
  }

  /** The sweep `name` (null entity/project: the server's defaults), or null when there is none. */
  async sweep(entity: string | null, project: string | null, name: string): Promise<AgentSweepData | null> {
    const data = await this.#gql.request<SweepWithRunsData>(
      {query: SWEEP_WITH_RUNS, operationName: 'SweepWithRuns', variables: {entity, project, sweep: name, specs: '{}'}},
      {policy: this.#policy, signal: this.#signal},
    )
    const s = data?.project?.sweep
    if (!s) return null
    return {id: s.id ?? '', name: s.name ?? name, state: s.state ?? '', config: s.config ?? ''}
  }

  /** Registers an agent on `host` for the sweep; returns the agent's id. */
  async createAgent(host: string, entity: string | null, project: string | null, sweep: string): Promise<string> {
    const data = await this.#gql.request<CreateAgentData>(
      {query: CREATE_AGENT, operationName: 'CreateAgent', variables: {host, entityName: entity, projectName: project, sweep}},
      {policy: this.#policy, signal: this.#signal},
    )
    const id = data?.createAgent?.agent?.id
    if (!id) throw new Error('createAgent answered without an agent id')
    return id
  }

  /** One heartbeat; returns the `commands` JSON text ('[]' when the server sent none). */
  async heartbeat(agentId: string, metrics: string, runState: string): Promise<string> {
    const data = await this.#gql.request<AgentHeartbeatData>(
      {query: AGENT_HEARTBEAT, operationName: 'Heartbeat', variables: {id: agentId, metrics, runState}},
      {policy: this.#heartbeatPolicy, signal: this.#signal},
    )
    return data?.agentHeartbeat?.commands ?? '[]'
  }
}

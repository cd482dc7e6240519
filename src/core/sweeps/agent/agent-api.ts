/**
 * The agent's requests to a W&B server, on the shared HTTP stack with the same GraphQL retry
 * policy and overrides as SweepApi; the heartbeat gets wandb's 60 s timeout.
 */
import {GRAPHQL_POLICY, withOverrides, type GraphQLClient, type RetryPolicy} from '../../api/index.ts'
import {sweepGraphQL, type SweepApiOptions} from '../sweep-api.ts'
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
    const {gql, overrides} = sweepGraphQL(o)
    this.#gql = gql
    this.#policy = withOverrides(GRAPHQL_POLICY, overrides)
    // wandb gives the heartbeat a 60 s timeout of its own
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

/**
 * The GraphQL documents `wandb agent` 0.31 sends (wandb/apis/public/sweeps.py): the sweep with its
 * runs (the agent reads the config's `command`), CreateAgent, and the heartbeat, whose
 * `commands` answer is a JSON string.
 */

export {SWEEP_WITH_RUNS, type SweepWithRunsData} from '../documents.ts'

/** `_register_agent`. */
export const CREATE_AGENT = `
    mutation CreateAgent(
        $host: String!
        $projectName: String,
        $entityName: String,
        $sweep: String!
    ) {
        createAgent(input: {
            host: $host,
            projectName: $projectName,
            entityName: $entityName,
            sweep: $sweep,
        }) {
            agent {
                id
            }
        }
    }
    `

/** The answer of CREATE_AGENT. */
export interface CreateAgentData {
  createAgent?: {agent?: {id?: string} | null} | null
}

/** `_agent_heartbeat`. */
export const AGENT_HEARTBEAT = `
    mutation Heartbeat(
        $id: ID!,
        $metrics: JSONString,
        $runState: JSONString
    ) {
        agentHeartbeat(input: {
            id: $id,
            metrics: $metrics,
            runState: $runState
        }) {
            agent {
                id
            }
            commands
        }
    }
    `

/** The answer of AGENT_HEARTBEAT. */
export interface AgentHeartbeatData {
  agentHeartbeat?: {commands?: string | null} | null
}

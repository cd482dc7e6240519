/**
 * The seam of the sweep agent: where its commands come from (the W&B server, or a local offline
 * sweep), what a command is, and where its user-facing lines go.
 */

/** A parameter of a trial as the controller sends it: `{value: v}` (v a PyValue or plain JSON value). */
export type AgentArgs = Record<string, {value: unknown}>

/** One command of a heartbeat's answer (wandb_agent.py `_process_command`). */
export type AgentCommand =
  | {type: 'run'; runId: string; program: string | null; args: AgentArgs}
  | {type: 'stop'; runId: string}
  | {type: 'exit'}
  | {type: 'resume'; runId: string; program: string | null; args: AgentArgs}

/** The sweep an agent works for. */
export interface AgentSweep {
  /** The sweep's id (its name on the server, e.g. "abcd1234"). */
  id: string
  /** The entity and project the agent resolved ('' when the server's default is used). */
  entity: string
  project: string
  /** The sweep config, parsed from the server's YAML (values as PyValues); {} when it has none. */
  config: Record<string, unknown>
}

/** Where an agent gets its commands: the W&B server (OnlineCommandSource) or a local offline sweep. */
export interface AgentCommandSource {
  /** Registers the agent with the sweep; returns the sweep (config parsed from its YAML/JSON). */
  start(): Promise<AgentSweep>
  /**
   * One heartbeat: runState maps each run id the agent knows to its state (true while the trial
   * runs, as wandb sends it). Resolves to the commands to carry out, in order; a failed exchange
   * resolves to [] (the next heartbeat tries again), except a lost sweep, which rejects with
   * SweepGoneError.
   */
  heartbeat(runState: Record<string, unknown>): Promise<AgentCommand[]>
  /** Extra environment for a trial (offline: WANDB_MODE=offline). */
  trialEnv(runId: string): Record<string, string>
  /** Called when a trial process ends (exitCode null: killed by a signal). */
  trialEnded(runId: string, exitCode: number | null): Promise<void>
  /** Releases what the source holds; idempotent. */
  close(): Promise<void>
}

/**
 * Where the agent's lines go, as `wandb agent` writes them on stderr: `info`/`error` are wandb's
 * termlog/termerror lines ("wandb: …", "wandb: ERROR …"); `log` is a line of the agent's Python
 * logger ("<time> - wandb.wandb_agent - LEVEL - message").
 */
export interface AgentOutput {
  info(line: string): void
  error(line: string): void
  log(level: 'INFO' | 'ERROR', message: string): void
}

/**
 * A command source that remembers what the agent did with it: the sweep it started for and each
 * trial's end, for `nexus agent --json`'s summary.
 */
import type {AgentCommand, AgentCommandSource, AgentSweep} from './types.ts'

/** One trial as the summary lists it (exitCode null: ended by a signal). */
export interface TrialOutcome {
  runId: string
  exitCode: number | null
}

export class RecordingSource implements AgentCommandSource {
  readonly #inner: AgentCommandSource
  sweep: AgentSweep | undefined
  readonly trials: TrialOutcome[] = []

  constructor(inner: AgentCommandSource) {
    this.#inner = inner
  }

  async start(): Promise<AgentSweep> {
    this.sweep = await this.#inner.start()
    return this.sweep
  }

  heartbeat(runState: Record<string, unknown>): Promise<AgentCommand[]> {
    return this.#inner.heartbeat(runState)
  }

  trialEnv(runId: string): Record<string, string> {
    return this.#inner.trialEnv(runId)
  }

  async trialEnded(runId: string, exitCode: number | null): Promise<void> {
    this.trials.push({runId, exitCode})
    await this.#inner.trialEnded(runId, exitCode)
  }

  close(): Promise<void> {
    return this.#inner.close()
  }
}

/**
 * The run queue of a local-scheduler sweep (a config with a `scheduler` block, driven by
 * `wandb sweep-scheduler`): the server searches nothing itself. `enqueueSweepRun` stores a
 * `pending` run of the sweep with the scheduler's wire config and no agent; an agent heartbeat
 * takes the oldest such run (first in, first out) and gets it as a `run` command.
 */
import type {AgentRow, RunRow, Store, SweepRow} from '../store/index.ts'
import {tryParseExtendedJson} from '../extended-json.ts'
import {randomName} from '../ids.ts'
import type {SweepConfig} from './config.ts'

/** Whether the sweep is driven by a local scheduler (`scheduler:` in its config). */
export function isSchedulerSweep(config: SweepConfig): boolean {
  const scheduler = (config as {scheduler?: unknown}).scheduler
  return scheduler !== undefined && scheduler !== null
}

/** Enqueues and hands out the runs of local-scheduler sweeps. Stateless apart from the store. */
export class SweepRunQueue {
  constructor(private readonly store: Store) {}

  /** Stores a queued run with `wireConfig` ({k: {value: v}} JSON text); returns the run. */
  enqueue(sweep: SweepRow, wireConfig: string, displayName: string | null): RunRow {
    const {row} = this.store.runs.upsert(sweep.project_id, randomName(8), {
      state: 'pending',
      sweep_name: sweep.name,
      config: wireConfig,
      display_name: displayName,
    })
    return row
  }

  /** The oldest queued run of the sweep, now assigned to `agent`; undefined when none waits. */
  take(sweep: SweepRow, agent: AgentRow): {run: RunRow; args: Record<string, {value: unknown}>} | undefined {
    const run = this.store.runs.listBySweep(sweep.project_id, sweep.name).find((r) => r.agent_id === null && r.state === 'pending')
    if (!run) return undefined
    this.store.runs.update(run.id, {agent_id: agent.id})
    const args = (tryParseExtendedJson(run.config, {}) ?? {}) as Record<string, {value: unknown}>
    return {run, args}
  }
}

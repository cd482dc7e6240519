/**
 * When an agent gives up on failing trials, as wandb 0.31's agent decides after each trial that
 * exits with a status above 0 (a trial killed by a signal is not a failure): `max` consecutive
 * failures (--max-consecutive-failed-runs), flapping (3 failures within the agent's first 60 s,
 * unless WANDB_AGENT_DISABLE_FLAPPING=true), or failing (at least WANDB_AGENT_MAX_INITIAL_FAILURES
 * failures and no more successes than failures).
 */
import type {AgentSettings} from './agent-settings.ts'

/** Why the agent stops, with the lines wandb prints (`error` also as a termerror line). */
export interface StopVerdict {
  reason: 'consecutive' | 'flapping' | 'failing'
  logs: {level: 'INFO' | 'ERROR'; message: string}[]
  termerror?: string
}

/** Counts trial outcomes. Not thread-safe; one per agent. */
export class FailurePolicy {
  #failed = 0
  #consecutive = 0
  readonly #startMs: number

  constructor(
    readonly settings: AgentSettings,
    startMs: number,
    readonly maxConsecutive = Number.POSITIVE_INFINITY,
  ) {
    this.#startMs = startMs
  }

  get failed(): number {
    return this.#failed
  }

  /**
   * Records a trial's end (`status` > 0 a failure; signals count as negative) with `finished`
   * trials cleaned up before it; returns the verdict when the agent must stop.
   */
  record(status: number, finished: number, nowMs: number): StopVerdict | undefined {
    const failedNow = status > 0
    if (failedNow) {
      this.#failed += 1
      this.#consecutive += 1
    } else {
      this.#consecutive = 0
    }
    if (this.#consecutive >= this.maxConsecutive) {
      const message = `Detected ${this.#consecutive} consecutive failed runs, shutting down.`
      return {reason: 'consecutive', logs: [{level: 'ERROR', message}], termerror: message}
    }
    if (!failedNow) return undefined
    const s = this.settings
    if (!s.disableFlapping && nowMs < this.#startMs + s.flappingMs && this.#failed >= s.flappingMaxFailures) {
      return {
        reason: 'flapping',
        logs: [
          {level: 'ERROR', message: `Detected ${s.flappingMaxFailures} failed runs in the first ${s.flappingMs / 1000} seconds, shutting down.`},
          {level: 'INFO', message: 'To disable this check set WANDB_AGENT_DISABLE_FLAPPING=true'},
        ],
      }
    }
    if (this.#failed >= finished && s.maxInitialFailures <= this.#failed) {
      return {
        reason: 'failing',
        logs: [
          {level: 'ERROR', message: `Detected ${s.maxInitialFailures} failed runs in a row, shutting down.`},
          {level: 'INFO', message: 'To change this value set WANDB_AGENT_MAX_INITIAL_FAILURES=val'},
        ],
      }
    }
    return undefined
  }
}

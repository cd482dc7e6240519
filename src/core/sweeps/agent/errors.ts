/**
 * The errors of the sweep agent, each a UserFacingError with the sentence the CLI prints and its
 * exit code.
 */
import {UserFacingError} from '../../errors.ts'
import {ExitCode} from '../../exit-codes.ts'

/**
 * A heartbeat answered 404: the sweep was deleted or the server lost the agent (wandb's
 * SweepNotFoundError). The agent reports it and stops; the CLI exits 1, as `wandb agent` does.
 */
export class SweepGoneError extends UserFacingError {
  override name = 'SweepGoneError'
  constructor(cause?: unknown) {
    super('sweeps: agent: heartbeat answered 404 (sweep deleted or agent unknown)', 'Stopping agent.', {cause, exitCode: ExitCode.INTERNAL})
  }
}

/** A WANDB_AGENT_* setting that is not an integer where wandb requires one. */
export class AgentSettingError extends UserFacingError {
  override name = 'AgentSettingError'
  constructor(variable: string, value: string, what: string, rule = 'a whole number of seconds') {
    super(`sweeps: agent: bad ${variable} ${JSON.stringify(value)}`, `Invalid agent ${what}: ${variable} must be ${rule}, not ${JSON.stringify(value)}.`, {
      exitCode: ExitCode.USAGE,
    })
  }
}

/** A flag value the agent cannot use (--count below 0, --max-consecutive-failed-runs below 1…). */
export class AgentUsageError extends UserFacingError {
  override name = 'AgentUsageError'
  constructor(userText: string) {
    super(`sweeps: agent: ${userText}`, userText, {exitCode: ExitCode.USAGE})
  }
}

/**
 * The agent's timings and limits, from the environment as wandb 0.31 reads them (wandb/env.py):
 * WANDB_AGENT_REPORT_INTERVAL and WANDB_AGENT_KILL_DELAY must be integers (else the agent
 * refuses to start), WANDB_AGENT_MAX_INITIAL_FAILURES falls back to its default when it is not
 * one, WANDB_AGENT_DISABLE_FLAPPING=true turns the flapping check off.
 */
import {AgentSettingError} from './errors.ts'

type Env = Readonly<Record<string, string | undefined>>

/** wandb's Agent constants. */
export const AGENT_DEFAULTS = {
  /** Seconds between heartbeats (wandb waits this long on its command queue each loop). */
  pollIntervalSeconds: 5,
  /** Seconds between "Running runs" log lines; 0: only after a run starts or ends. */
  reportIntervalSeconds: 0,
  /** Seconds after a stop's SIGTERM before a later stop sends SIGKILL. */
  killDelaySeconds: 30,
  /** Failed runs within the first flappingSeconds that stop the agent. */
  flappingMaxFailures: 3,
  flappingSeconds: 60,
  /** Failed runs (with no more successes than failures) that stop the agent. */
  maxInitialFailures: 5,
} as const

/** The agent's settings. */
export interface AgentSettings {
  pollIntervalMs: number
  reportIntervalMs: number
  killDelayMs: number
  flappingMaxFailures: number
  flappingMs: number
  maxInitialFailures: number
  disableFlapping: boolean
}

/** Python's int(str): optional sign, digits with single underscores between them, surrounding spaces. */
function pyInt(text: string): number | undefined {
  const t = text.trim()
  return /^[-+]?\d+(?:_\d+)*$/.test(t) ? Number(t.replaceAll('_', '')) : undefined
}

function required(env: Env, name: string, fallback: number, what: string): number {
  const raw = env[name]
  if (raw === undefined) return fallback
  const n = pyInt(raw)
  if (n === undefined) throw new AgentSettingError(name, raw, what)
  return n
}

/**
 * The settings from `env`. NEXUS_AGENT_POLL_INTERVAL (seconds above 0, may be fractional) changes the
 * heartbeat period, which wandb fixes at 5 s; tests use it. Throws AgentSettingError.
 */
export function agentSettings(env: Env): AgentSettings {
  const d = AGENT_DEFAULTS
  const poll = env.NEXUS_AGENT_POLL_INTERVAL
  const pollSeconds = poll !== undefined && poll.trim() !== '' ? Number(poll) : d.pollIntervalSeconds
  if (!Number.isFinite(pollSeconds) || pollSeconds <= 0) throw new AgentSettingError('NEXUS_AGENT_POLL_INTERVAL', poll as string, 'poll interval', 'a number of seconds above 0')
  const initial = env.WANDB_AGENT_MAX_INITIAL_FAILURES
  return {
    pollIntervalMs: pollSeconds * 1000,
    reportIntervalMs: required(env, 'WANDB_AGENT_REPORT_INTERVAL', d.reportIntervalSeconds, 'report interval') * 1000,
    killDelayMs: required(env, 'WANDB_AGENT_KILL_DELAY', d.killDelaySeconds, 'kill delay') * 1000,
    flappingMaxFailures: d.flappingMaxFailures,
    flappingMs: d.flappingSeconds * 1000,
    maxInitialFailures: (initial === undefined ? undefined : pyInt(initial)) ?? d.maxInitialFailures,
    disableFlapping: env.WANDB_AGENT_DISABLE_FLAPPING === 'true',
  }
}

/**
 * The signals an agent listens to, behind an interface for tests. Without --forward-signals only
 * SIGINT (Ctrl-C) is handled, as in wandb (SIGTERM then ends the agent at once); with it, the
 * signals below are passed on to every running trial, and the terminating ones also drive the
 * agent's shutdown steps.
 */

/** Subscribes a handler to signals; returns the unsubscribe function. */
export interface SignalSource {
  subscribe(signals: readonly NodeJS.Signals[], handler: (signal: NodeJS.Signals) => void): () => void
}

/** The process's signals. */
export const processSignals: SignalSource = {
  subscribe(signals, handler) {
    for (const s of signals) process.on(s, handler)
    return () => {
      for (const s of signals) process.off(s, handler)
    }
  },
}

/** Signals --forward-signals passes on (the catchable ones orchestrators and users send). */
export const FORWARDED_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2']

/** Signals that move the agent to its next shutdown step. */
export const SHUTDOWN_SIGNALS: ReadonlySet<NodeJS.Signals> = new Set(['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'])

const NUMBERS: Readonly<Partial<Record<NodeJS.Signals, number>>> = {SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGTERM: 15}

/** The exit status of an agent ended by `signal`: 128 + its number, as shells report it. */
export function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + (NUMBERS[signal] ?? 15)
}

/** How wandb names the signal in its shutdown lines ("ctrl-c" for SIGINT). */
export function signalLabel(signal: NodeJS.Signals): string {
  return signal === 'SIGINT' ? 'ctrl-c' : signal
}

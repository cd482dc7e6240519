/**
 * A trial's process, behind an interface so the agent can be tested with fakes. The real one
 * starts the command as wandb's agent does: its own process group (here a new session, the
 * nearest Bun offers: Ctrl-C in the agent's terminal does not reach it), stdin closed (a read
 * gets EOF instead of blocking), stdout and stderr shared with the agent.
 */

/** How a trial ended: `code` its exit status, or null with `signal` when a signal killed it. */
export interface TrialExit {
  code: number | null
  signal: string | null
}

/** A started trial. */
export interface TrialProcess {
  readonly pid: number
  /** How it ended, or undefined while it runs (never blocks). */
  poll(): TrialExit | undefined
  /** Resolves once it has ended. */
  readonly exited: Promise<TrialExit>
  /** Sends `signal`; a trial that already ended is left alone. */
  signal(signal: NodeJS.Signals): void
}

/** Starts a trial; throws (ENOENT, EACCES…) when the program cannot be started. */
export type SpawnTrial = (argv: readonly string[], o: {env: Record<string, string>; cwd: string}) => TrialProcess

/** The real spawner (Bun.spawn). */
export const spawnTrial: SpawnTrial = (argv, o) => {
  const proc = Bun.spawn([...argv], {cwd: o.cwd, env: o.env, stdin: 'ignore', stdout: 'inherit', stderr: 'inherit', detached: true})
  let ended: TrialExit | undefined
  const exited = proc.exited.then((): TrialExit => {
    const signal = proc.signalCode ? String(proc.signalCode) : null
    ended = {code: signal ? null : proc.exitCode, signal}
    return ended
  })
  return {
    pid: proc.pid,
    poll: () => ended,
    exited,
    signal: (signal) => {
      if (ended) return
      try {
        proc.kill(signal)
      } catch {
        // it ended between the check and the kill
      }
    },
  }
}

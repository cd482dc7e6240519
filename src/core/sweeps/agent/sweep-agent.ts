/**
 * The sweep agent of wandb 0.31 (wandb_agent.py `Agent`), for command lines: every poll interval
 * it reaps ended trials (deciding on failures), heartbeats the command source with the live
 * trials, and carries out the commands (run/resume: start a trial; stop: SIGTERM, then SIGKILL on
 * a later stop once the kill delay has passed; exit: SIGKILL all and stop). It ends when told to
 * exit, after --count trials, when trials keep failing, or on a shutdown signal, which goes
 * through wandb's steps: wait for the trials, then (on a second signal) SIGTERM them, then (on a
 * third, or past --term-timeout) SIGKILL them.
 */
import {errorMessage} from '../../errors.ts'
import {systemClock, type Clock} from '../../runtime/index.ts'
import {agentSettings, type AgentSettings} from './agent-settings.ts'
import {SweepGoneError} from './errors.ts'
import {FailurePolicy} from './failure-policy.ts'
import {FORWARDED_SIGNALS, SHUTDOWN_SIGNALS, processSignals, signalExitCode, signalLabel, type SignalSource} from './signals.ts'
import {TrialLauncher, runIdList} from './trial-launcher.ts'
import {spawnTrial, type SpawnTrial, type TrialExit, type TrialProcess} from './trial-process.ts'
import type {AgentCommand, AgentCommandSource, AgentOutput, AgentSweep} from './types.ts'

/** What a SweepAgent needs. */
export interface SweepAgentDeps {
  source: AgentCommandSource
  out: AgentOutput
  /** The agent's environment (WANDB_SWEEP_ID, WANDB_ENTITY/PROJECT already set); changed per trial as wandb changes os.environ. */
  env: Record<string, string | undefined>
  cwd: string
  clock?: Clock
  spawn?: SpawnTrial
  signals?: SignalSource
  platform?: NodeJS.Platform
  /** Timings and limits (default: from `env`). */
  settings?: AgentSettings
  /** Trials to run before exiting (0 or undefined: until the sweep ends). */
  count?: number
  forwardSignals?: boolean
  /** With forwardSignals: seconds to wait for trials after a shutdown signal before killing them. */
  termTimeoutSeconds?: number
  maxConsecutiveFailedRuns?: number
}

/** How run() ended. */
export type AgentEnd = 'done' | 'failing' | {signal: NodeJS.Signals}

interface Trial {
  proc: TrialProcess
  lastSigtermMs: number | undefined
}

/** Exit status of an agent that stopped because its trials kept failing. */
export const FAILING_EXIT = 1

/** One agent run; not reusable. */
export class SweepAgent {
  readonly #d: SweepAgentDeps
  readonly #clock: Clock
  readonly #settings: AgentSettings
  readonly #trials = new Map<string, Trial>()
  readonly #pendingSignals: NodeJS.Signals[] = []
  /** Trials an exit command killed. */
  readonly #killed = new Set<TrialProcess>()
  #wake: (() => void) | undefined
  #running = true
  #finished = 0
  #lastReportMs: number | undefined
  #sweepGone = false
  #failing = false
  #closed = false
  #launcher: TrialLauncher | undefined
  #failures: FailurePolicy | undefined

  constructor(deps: SweepAgentDeps) {
    this.#d = deps
    this.#clock = deps.clock ?? systemClock
    this.#settings = deps.settings ?? agentSettings(deps.env)
    if (deps.env.WANDB_DIR === undefined) deps.env.WANDB_DIR = deps.cwd
  }

  /** Trials started and not yet reaped, by run id. */
  get liveRunIds(): string[] {
    return [...this.#trials.keys()]
  }

  /**
   * Runs the agent to its end; resolves to its exit status: 0, FAILING_EXIT when trials kept
   * failing, 128 + n after shutdown signal n. Rejects with the source's start errors and with
   * SweepGoneError when the sweep disappears while no trial runs.
   */
  async run(): Promise<number> {
    const d = this.#d
    const sweep = await d.source.start()
    const unsubscribe = (d.signals ?? processSignals).subscribe(d.forwardSignals ? FORWARDED_SIGNALS : ['SIGINT'], (s) => this.#onSignal(s))
    try {
      this.#failures = new FailurePolicy(this.#settings, this.#clock.now(), d.maxConsecutiveFailedRuns)
      this.#launcher = this.#makeLauncher(sweep)
      const end = await this.#runLoop()
      await this.#shutdown(end)
      return end === 'done' ? 0 : end === 'failing' ? FAILING_EXIT : signalExitCode(end.signal)
    } finally {
      unsubscribe()
      await d.source.close()
    }
  }

  /** Stops a running agent as an exit command would (SIGKILL to trials), and closes the source; idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    this.#running = false
    for (const t of this.#trials.values()) t.proc.signal('SIGKILL')
    this.#wake?.()
    await this.#d.source.close()
  }

  #makeLauncher(sweep: AgentSweep): TrialLauncher {
    const d = this.#d
    return new TrialLauncher({
      sweepId: sweep.id,
      command: sweep.config.command,
      env: d.env,
      cwd: d.cwd,
      platform: d.platform ?? process.platform,
      spawn: d.spawn ?? spawnTrial,
      out: d.out,
      trialEnv: (runId) => d.source.trialEnv(runId),
    })
  }

  #onSignal(signal: NodeJS.Signals): void {
    if (this.#d.forwardSignals) for (const t of this.#trials.values()) t.proc.signal(signal)
    if (!SHUTDOWN_SIGNALS.has(signal)) return
    this.#pendingSignals.push(signal)
    this.#wake?.()
  }

  /** Waits for `p` or a shutdown signal (one received earlier counts); the signal wins a tie. */
  async #orSignal<T>(p: Promise<T>): Promise<{value: T} | {signal: NodeJS.Signals}> {
    const pending = this.#pendingSignals.shift()
    if (pending) return {signal: pending}
    // a heartbeat a signal cut short may still fail later: that failure no longer matters
    p.catch(() => {})
    let wake!: () => void
    const woken = new Promise<void>((resolve) => (wake = resolve))
    this.#wake = wake
    try {
      const r = await Promise.race([p.then((value) => ({value})), woken.then(() => undefined)])
      const signal = this.#pendingSignals.shift()
      if (signal) return {signal}
      return r ?? {value: undefined as T}
    } finally {
      this.#wake = undefined
    }
  }

  async #runLoop(): Promise<AgentEnd> {
    const s = this.#settings
    while (this.#running && !this.#closed) {
      const slept = await this.#orSignal(this.#clock.sleep(s.pollIntervalMs))
      if ('signal' in slept) return this.#interrupted(slept.signal)
      if (this.#closed) break
      const now = this.#clock.now()
      if (this.#lastReportMs === undefined || (s.reportIntervalMs !== 0 && now > this.#lastReportMs + s.reportIntervalMs)) {
        this.#d.out.log('INFO', `Running runs: ${runIdList(this.liveRunIds)}`)
        this.#lastReportMs = now
      }
      const runState = await this.#reap(now)
      if (this.#sweepGone && this.#trials.size === 0) break
      const count = this.#d.count ?? 0
      if ((count > 0 && this.#finished >= count) || !this.#running) break
      const beat = await this.#orSignal(this.#heartbeat(runState))
      if ('signal' in beat) return this.#interrupted(beat.signal)
      for (const command of beat.value) this.#process(command)
    }
    return this.#failing ? 'failing' : 'done'
  }

  /** Reaps ended trials; returns the live ones' run state. Stops the loop when failures say so. */
  async #reap(now: number): Promise<Record<string, boolean>> {
    const runState: Record<string, boolean> = {}
    for (const [runId, trial] of [...this.#trials]) {
      const exit = trial.proc.poll()
      if (!exit) {
        runState[runId] = true
        continue
      }
      await this.#d.source.trialEnded(runId, exit.code)
      const verdict = this.#failures!.record(statusOf(exit), this.#finished, now)
      if (verdict) {
        for (const l of verdict.logs) this.#d.out.log(l.level, l.message)
        if (verdict.termerror) this.#d.out.error(verdict.termerror)
        this.#failing = true
        this.#running = false
        break
      }
      this.#d.out.log('INFO', `Cleaning up finished run: ${runId}`)
      this.#trials.delete(runId)
      this.#lastReportMs = undefined
      this.#finished += 1
    }
    return runState
  }

  async #heartbeat(runState: Record<string, boolean>): Promise<AgentCommand[]> {
    if (this.#sweepGone) return []
    try {
      return await this.#d.source.heartbeat(runState)
    } catch (err) {
      if (!(err instanceof SweepGoneError)) throw err
      if (this.#trials.size === 0) {
        this.#d.out.error('Sweep was deleted or agent was not found.')
        throw err
      }
      this.#d.out.error('Sweep was deleted or agent was not found. Active runs will be allowed to finish before the agent exits.')
      this.#sweepGone = true
      return []
    }
  }

  #process(command: AgentCommand): void {
    this.#d.out.log('INFO', `Agent received command: ${command.type}`)
    try {
      if (command.type === 'run' || command.type === 'resume') this.#commandRun(command.runId, command.program, command.args)
      else if (command.type === 'stop') this.#commandStop(command.runId)
      else this.#commandExit()
    } catch (err) {
      this.#d.out.log('ERROR', `Exception while processing command: ${command.type}${'runId' in command ? ` ${command.runId}` : ''}\n${errorMessage(err)}`)
    }
  }

  #commandRun(runId: string, program: string | null, args: Extract<AgentCommand, {type: 'run'}>['args']): void {
    let proc: TrialProcess
    try {
      proc = this.#launcher!.launch(runId, program, args)
    } catch (err) {
      // wandb drops such a run and the server hands out the next one at once; counting it as a
      // failed trial lets the failure checks stop an agent that can start nothing
      this.#d.out.log('ERROR', `Could not start run ${runId}: ${errorMessage(err)}`)
      proc = endedTrial({code: 127, signal: null})
    }
    this.#trials.set(runId, {proc, lastSigtermMs: undefined})
    this.#lastReportMs = undefined
  }

  #commandStop(runId: string): void {
    const trial = this.#trials.get(runId)
    if (!trial) {
      this.#d.out.log('ERROR', `Run ${runId} not running`)
      return
    }
    const now = this.#clock.now()
    if (trial.lastSigtermMs === undefined) {
      trial.lastSigtermMs = now
      this.#d.out.log('INFO', `Stop: ${runId}`)
      trial.proc.signal('SIGTERM')
    } else if (now > trial.lastSigtermMs + this.#settings.killDelayMs) {
      this.#d.out.log('INFO', `Kill: ${runId}`)
      trial.proc.signal('SIGKILL')
    }
  }

  #commandExit(): void {
    this.#d.out.log('INFO', 'Received exit command. Killing runs and quitting.')
    for (const t of this.#trials.values()) {
      t.lastSigtermMs = this.#clock.now()
      t.proc.signal('SIGKILL')
      this.#killed.add(t.proc)
    }
    this.#running = false
  }

  #interrupted(signal: NodeJS.Signals): AgentEnd {
    const label = signalLabel(signal)
    this.#d.out.info(`${label} received. Waiting for runs to end. Send ${label} again to terminate them.`)
    return {signal}
  }

  /** wandb's shutdown steps after the loop: after a signal, wait; otherwise (or on the next signal) terminate; then kill. */
  async #shutdown(end: AgentEnd): Promise<void> {
    let step: 'wait' | 'terminate' | 'kill' = typeof end === 'object' ? 'wait' : 'terminate'
    // trials an exit command killed are gone once reaped; wait for that so they are not "terminated" again
    await Promise.all([...this.#killed].map((p) => p.exited))
    for (;;) {
      if (step === 'kill') {
        this.#d.out.info('Killing runs and quitting.')
        for (const t of this.#trials.values()) t.proc.signal('SIGKILL')
        return
      }
      if (step === 'terminate') {
        if (![...this.#trials.values()].some((t) => !t.proc.poll())) return
        this.#d.out.info('Terminating and syncing runs. Send shutdown signal again to kill.')
        for (const t of this.#trials.values()) t.proc.signal('SIGTERM')
      }
      const waited = await this.#orSignal(this.#waitForTrials())
      if ('signal' in waited) {
        step = step === 'wait' ? 'terminate' : 'kill'
        continue
      }
      if (waited.value === 'timeout') {
        this.#d.out.info(`Child runs took longer than ${this.#d.termTimeoutSeconds} seconds to end. Attempting to kill them.`)
        step = 'kill'
        continue
      }
      return
    }
  }

  /** Waits for every trial to end; 'timeout' past --term-timeout (only with --forward-signals). */
  async #waitForTrials(): Promise<'ended' | 'timeout'> {
    const all = Promise.all([...this.#trials.values()].map((t) => t.proc.exited)).then(() => 'ended' as const)
    const limit = this.#d.forwardSignals ? this.#d.termTimeoutSeconds : undefined
    if (limit === undefined) return all
    const abort = new AbortController()
    const timeout = this.#clock.sleep(limit * 1000, abort.signal).then(
      () => 'timeout' as const,
      () => 'ended' as const,
    )
    try {
      return await Promise.race([all, timeout])
    } finally {
      abort.abort()
    }
  }
}

/** Python's returncode: the exit status, or minus one for a trial a signal ended. */
function statusOf(exit: TrialExit): number {
  return exit.code ?? -1
}

/** A trial that never ran, already ended with `exit`. */
function endedTrial(exit: TrialExit): TrialProcess {
  return {pid: 0, poll: () => exit, exited: Promise.resolve(exit), signal: () => {}}
}

/**
 * The agent's command source for an offline sweep: no server, the search runs in the agent. Each
 * heartbeat reads the sweep's trials (every agent's), asks the early-termination policy which of
 * this agent's live trials to stop, and when nothing runs asks the search for the next point and
 * records it as a trial. Trials run as offline runs (WANDB_MODE=offline) whose sweep id is the
 * offline sweep's; `nexus sync` later creates the sweep on a server and links them.
 */
import {createHash} from 'node:crypto'
import {hostname} from 'node:os'
import type {AgentCommand, AgentCommandSource, AgentSweep} from '../agent/types.ts'
import type {SweepSearch} from '../controller/index.ts'
import type {SweepRun} from '../search/index.ts'
import type {OfflineSweepStore, TrialRecord} from './offline-sweep-store.ts'
import {HistoryTail, offlineRunDir, readSummary} from './trial-results.ts'

export interface OfflineSourceOptions {
  store: OfflineSweepStore
  /** The wandb folder the trials' offline runs are written to. */
  wandbDir: string
  search: SweepSearch
  newRunId: () => string
  host?: string
  pid?: number
  now?: () => Date
}

export class OfflineCommandSource implements AgentCommandSource {
  readonly #o: OfflineSourceOptions
  readonly #tails = new Map<string, HistoryTail>()
  readonly #metric: string | undefined

  constructor(o: OfflineSourceOptions) {
    this.#o = o
    const metric = (o.store.info.config.metric as {name?: unknown} | undefined)?.name
    this.#metric = typeof metric === 'string' ? metric : undefined
  }

  async start(): Promise<AgentSweep> {
    const info = this.#o.store.info
    return {id: info.id, entity: info.entity ?? '', project: info.project, config: info.config}
  }

  async heartbeat(runState: Record<string, unknown>): Promise<AgentCommand[]> {
    const config = this.#o.store.info.config
    const live = new Set(
      Object.entries(runState)
        .filter(([, alive]) => alive === true)
        .map(([id]) => id),
    )
    const trials = this.#o.store.trials()
    const runs = trials.map((t) => this.#asRun(t, live.has(t.runId)))
    const commands: AgentCommand[] = []
    if (config.early_terminate !== undefined && config.early_terminate !== null) {
      for (const run of this.#o.search.stopRuns(config, runs)) {
        const trial = trials.find((t) => t.runId === run.name)
        if (!trial || !live.has(run.name) || trial.stopRequested) continue
        this.#o.store.writeTrial({...trial, stopRequested: true})
        commands.push({type: 'stop', runId: run.name})
      }
    }
    if (live.size > 0) return commands
    // run_cap counts every trial of the sweep, of every agent, as the server counts runs
    if (typeof config.run_cap === 'number' && trials.length >= config.run_cap) return [...commands, {type: 'exit'}]
    const next = this.#claimNext(config, runs)
    if (!next) return [...commands, {type: 'exit'}]
    const program = typeof config.program === 'string' ? config.program : null
    return [...commands, {type: 'run', runId: next.runId, program, args: next.config}]
  }

  /** Offline runs, in the sweep's project (and entity) so that `nexus sync` puts them and the sweep together. */
  trialEnv(): Record<string, string> {
    const info = this.#o.store.info
    return {WANDB_MODE: 'offline', WANDB_PROJECT: info.project, ...(info.entity ? {WANDB_ENTITY: info.entity} : {})}
  }

  async trialEnded(runId: string, exitCode: number | null): Promise<void> {
    const trial = this.#o.store.trials().find((t) => t.runId === runId)
    if (!trial) return
    const dir = offlineRunDir(this.#o.wandbDir, runId)
    const summary = dir ? readSummary(dir) : undefined
    const history = dir ? this.#tail(runId, dir).rows() : []
    const state = exitCode === 0 ? 'finished' : trial.stopRequested || exitCode === null ? 'killed' : 'failed'
    this.#o.store.writeTrial({
      ...trial,
      state,
      exitCode,
      endedAt: this.#now().toISOString(),
      ...(summary ? {summary: jsonSafe(summary)} : {}),
      history: jsonSafe(history),
    })
    this.#tails.delete(runId)
  }

  async close(): Promise<void> {
    this.#tails.clear()
  }

  /** The next point of the search, taken for a new trial; undefined when the search is exhausted. */
  #claimNext(config: Record<string, unknown>, runs: SweepRun[]): TrialRecord | undefined {
    const seen = [...runs]
    for (;;) {
      const next = this.#o.search.nextRun(config, seen)
      if (!next) return undefined
      const runId = this.#o.newRunId()
      // a grid point is taken once across agents; another agent's fresh claim is a run the search has not seen yet
      if (config.method === 'grid' && !this.#o.store.claim(pointKey(next.config), runId)) {
        seen.push({...next, name: `claimed-${seen.length}`, state: 'pending'})
        continue
      }
      const trial: TrialRecord = {
        runId,
        config: next.config,
        state: 'running',
        exitCode: null,
        host: this.#o.host ?? hostname(),
        pid: this.#o.pid ?? process.pid,
        startedAt: this.#now().toISOString(),
      }
      this.#o.store.writeTrial(trial)
      return trial
    }
  }

  /** A trial as the search sees it: its own live trials with the history logged so far. */
  #asRun(t: TrialRecord, liveHere: boolean): SweepRun {
    let history = t.history ?? []
    let summary = t.summary ?? {}
    if (liveHere) {
      const dir = offlineRunDir(this.#o.wandbDir, t.runId)
      if (dir) {
        history = this.#tail(t.runId, dir).rows()
        summary = readSummary(dir) ?? summary
      }
    }
    return {name: t.runId, state: t.state, config: t.config, summaryMetrics: summary, history}
  }

  #tail(runId: string, dir: string): HistoryTail {
    let tail = this.#tails.get(runId)
    if (!tail) {
      tail = new HistoryTail(dir, runId, this.#metric ? [this.#metric] : [])
      this.#tails.set(runId, tail)
    }
    return tail
  }

  #now(): Date {
    return (this.#o.now ?? (() => new Date()))()
  }
}

/** A grid point's claim file name: a digest of its parameter values in key order. */
function pointKey(config: Record<string, {value: unknown}>): string {
  const values = Object.keys(config)
    .sort()
    .map((k) => [k, config[k]?.value])
  return createHash('sha256').update(JSON.stringify(values)).digest('hex').slice(0, 32)
}

/** Values JSON can hold (bigints as numbers, non-finite numbers as strings as wandb's JSON writes them). */
function jsonSafe<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? Number(v) : typeof v === 'number' && !Number.isFinite(v) ? String(v) : v))) as T
}

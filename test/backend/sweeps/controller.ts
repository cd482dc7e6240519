/**
 * The server-side sweep controller: what the W&B cloud does when an agent heartbeats
 * (network-protocol.md §8.4). An agent with no live run gets one `run` command with freshly chosen
 * parameters; the run is stored right away as a `pending` run of the sweep (the agent's
 * `wandb.init` later upserts the same run id). Grid enumerates the Cartesian product of discrete
 * values, skipping combinations some run of the sweep already has; random samples each parameter;
 * bayes uses the Gaussian-process search in bayes.ts. Sweeps with `controller.type: local` are
 * driven by the client's controller JSON (`schedule`/`earlystop`) instead, and sweeps with a
 * `scheduler` block by the runs a local scheduler enqueued (run-queue.ts).
 */
import {randomName} from '../ids.ts'
import type {AgentRow, RunRow, Store, SweepRow} from '../store/index.ts'
import {tryParseExtendedJson} from '../extended-json.ts'
import {suggestBayes} from './bayes.ts'
import {gridValues, paramLeaves, parseSweepConfig, toArgs, type ParamLeaf, type SweepConfig} from './config.ts'
import {isSchedulerSweep, SweepRunQueue} from './run-queue.ts'
import {sampleParam, type Random} from './sampling.ts'

/** A command for an agent; the heartbeat returns a JSON string of an array of these. */
export type AgentCommand = {type: 'run'; run_id: string; program: string | null; args: Record<string, {value: unknown}>} | {type: 'stop'; run_id: string} | {type: 'exit'}

/** Decides what each agent heartbeat gets. Stateless apart from the store; safe to share. */
export class SweepController {
  constructor(
    private readonly store: Store,
    private readonly rand: Random = Math.random,
  ) {}

  /**
   * Answers one heartbeat of `agent`, whose live runs are the keys of `runState` with value true.
   * Creates at most one run. Call inside a transaction.
   */
  heartbeat(agent: AgentRow, runState: Record<string, unknown>): AgentCommand[] {
    const sweep = this.store.sweeps.get(agent.sweep_id)
    if (!sweep) return [{type: 'exit'}]
    this.store.sweeps.touchAgent(agent)
    const live = Object.entries(runState)
      .filter(([, alive]) => alive === true)
      .map(([id]) => id)
    const runs = this.store.runs.listBySweep(sweep.project_id, sweep.name)
    const earlystop = new Set(this.earlystop(sweep))
    const stops = runs.filter((r) => live.includes(r.name) && (r.stop_requested === 1 || earlystop.has(r.name))).map((r) => ({type: 'stop' as const, run_id: r.name}))

    if (sweep.state === 'CANCELED' || sweep.state === 'CANCELLED') {
      return [...live.map((id) => ({type: 'stop' as const, run_id: id})), {type: 'exit'}]
    }
    if (sweep.state === 'FINISHED') return live.length > 0 ? stops : [{type: 'exit'}]
    const config = parseSweepConfig(sweep.config)
    const local = config.controller?.type === 'local'
    // a local controller's sweep stays PENDING on the server; its schedule is what starts runs
    const serving = sweep.state === 'RUNNING' || (local && sweep.state === 'PENDING')
    if (!serving || live.length > 0) return stops
    if (isSchedulerSweep(config)) return this.dispatchQueued(sweep, agent, config)
    if (local && this.scheduleExhausted(sweep)) return this.finish(sweep)
    if (!local && typeof config.run_cap === 'number' && runs.length >= config.run_cap) return this.finish(sweep)
    const args = local ? this.nextScheduled(sweep) : this.nextParams(config, runs)
    if (args === undefined) return local ? [] : this.finish(sweep)

    const runId = randomName(8)
    const {row} = this.store.runs.upsert(sweep.project_id, runId, {
      state: 'pending',
      sweep_name: sweep.name,
      agent_id: agent.id,
      config: JSON.stringify(args.args),
    })
    if (args.scheduleId) this.recordScheduled(sweep, args.scheduleId, row.name)
    return [{type: 'run', run_id: row.name, program: config.program ?? null, args: args.args}]
  }

  /** A local-scheduler sweep: the oldest queued run, or nothing (the scheduler has not enqueued one yet). */
  private dispatchQueued(sweep: SweepRow, agent: AgentRow, config: SweepConfig): AgentCommand[] {
    const next = new SweepRunQueue(this.store).take(sweep, agent)
    return next ? [{type: 'run', run_id: next.run.name, program: config.program ?? null, args: next.args}] : []
  }

  /** The number of runs the sweep will make when that is known (grid size or run_cap), else null. */
  expectedRunCount(sweep: SweepRow): number | null {
    const config = parseSweepConfig(sweep.config)
    const cap = typeof config.run_cap === 'number' ? config.run_cap : null
    if (config.method !== 'grid') return cap
    const size = paramLeaves(config).reduce((n, leaf) => n * (gridValues(leaf.spec)?.length ?? 1), 1)
    return cap === null ? size : Math.min(cap, size)
  }

  private finish(sweep: SweepRow): AgentCommand[] {
    this.store.sweeps.update(sweep.id, {state: 'FINISHED'})
    return [{type: 'exit'}]
  }

  /** Parameters for the next run, or undefined when the search is exhausted (grid). */
  private nextParams(config: SweepConfig, runs: RunRow[]): {args: Record<string, {value: unknown}>; scheduleId?: string} | undefined {
    const leaves = paramLeaves(config)
    if (config.method === 'grid') {
      const used = new Set(runs.map((r) => comboKey(leaves, configValues(r))))
      for (const combo of cartesian(leaves.map((l) => gridValues(l.spec) ?? [l.spec.value]))) {
        const args = toArgs(leaves, combo)
        if (!used.has(comboKey(leaves, unwrap(args)))) return {args}
      }
      return undefined
    }
    if (config.method === 'bayes') {
      const values = suggestBayes(
        config,
        leaves,
        runs.map((r) => ({config: configValues(r), summary: summaryOf(this.store, r)})),
        this.rand,
      )
      return {args: toArgs(leaves, values)}
    }
    return {
      args: toArgs(
        leaves,
        leaves.map((l) => sampleParam(l.spec, this.rand)),
      ),
    }
  }

  /** The first entry of a local controller's schedule that has no run yet. */
  private nextScheduled(sweep: SweepRow): {args: Record<string, {value: unknown}>; scheduleId: string} | undefined {
    const controller = tryParseExtendedJson(sweep.controller, {}) as {schedule?: {id: string; data?: {args?: Record<string, {value: unknown}> | null}}[]}
    const scheduled = new Set(this.scheduled(sweep).map((s) => s.id))
    const entry = (controller?.schedule ?? []).find((e) => !scheduled.has(e.id) && e.data?.args)
    return entry?.data?.args ? {args: entry.data.args, scheduleId: entry.id} : undefined
  }

  /** The runs a local controller asks to stop (controller.earlystop). */
  private earlystop(sweep: SweepRow): string[] {
    const controller = tryParseExtendedJson(sweep.controller, {}) as {earlystop?: unknown} | null
    return Array.isArray(controller?.earlystop) ? controller.earlystop.filter((r): r is string => typeof r === 'string') : []
  }

  /** The local controller scheduled `{args: null}`: its search is exhausted (wandb_controller.py `schedule(None)`). */
  private scheduleExhausted(sweep: SweepRow): boolean {
    const controller = tryParseExtendedJson(sweep.controller, {}) as {schedule?: {data?: {args?: unknown}}[]} | null
    return (controller?.schedule ?? []).some((e) => e.data !== undefined && e.data.args === null)
  }

  private scheduled(sweep: SweepRow): {id: string; runid: string}[] {
    const s = tryParseExtendedJson(sweep.scheduler, {}) as {scheduled?: {id: string; runid: string}[]} | null
    return s?.scheduled ?? []
  }

  private recordScheduled(sweep: SweepRow, id: string, runid: string): void {
    this.store.sweeps.update(sweep.id, {scheduler: JSON.stringify({scheduled: [...this.scheduled(sweep), {id, runid}]})})
  }
}

/** The run's config as plain values ({k: v}), unwrapped from {"value": v}. */
function configValues(r: RunRow): Record<string, unknown> {
  const parsed = tryParseExtendedJson(r.config, {}) as Record<string, unknown> | null
  return unwrap(parsed ?? {})
}

function unwrap(config: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(config)) {
    out[k] = v !== null && typeof v === 'object' && 'value' in (v as object) ? (v as {value: unknown}).value : v
  }
  return out
}

function summaryOf(store: Store, r: RunRow): Record<string, unknown> {
  const line = store.lines.last(r.id, 'wandb-summary.json') ?? r.summary_metrics
  return (tryParseExtendedJson(line, {}) ?? {}) as Record<string, unknown>
}

/** A canonical string of the leaf values found in a plain config (missing leaves included). */
function comboKey(leaves: ParamLeaf[], values: Record<string, unknown>): string {
  return JSON.stringify(leaves.map((l) => l.path.reduce<unknown>((node, k) => (node as Record<string, unknown> | undefined)?.[k], values) ?? null))
}

function* cartesian(lists: unknown[][]): Generator<unknown[]> {
  if (lists.length === 0) {
    yield []
    return
  }
  const [head, ...rest] = lists
  for (const v of head) for (const tail of cartesian(rest)) yield [v, ...tail]
}

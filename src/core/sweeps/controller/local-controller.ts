/**
 * The local sweep controller (`wandb controller`, wandb_controller.py): every few seconds it reads
 * the sweep with its runs, asks the search for the next run and schedules it in the sweep's
 * `controller.schedule` (one at a time: the server turns the entry into a run for the next agent
 * that asks), asks the early-termination policy which runs to stop (`controller.earlystop`), and
 * drops entries the server has acted on (`scheduler.scheduled`). It ends when the sweep leaves
 * the pending/running states.
 *
 * Two differences from wandb: when the search is exhausted (a grid that has run every point, or
 * `run_cap` runs made) and no run of the sweep is pending or running, this controller finishes
 * the sweep and returns, where wandb's waits for an agent's heartbeat to end it; and it honours
 * `run_cap`, which wandb's local controller ignores.
 */
import {LocalControllerError, SweepNotFoundError} from '../errors.ts'
import type {SweepRun} from '../search/index.ts'
import type {ControllerBackend} from './controller-backend.ts'
import {statusLine} from './status-line.ts'
import type {ControllerState, SweepSnapshot} from './sweep-snapshot.ts'

/** The search functions (src/core/sweeps/search): injected so tests can script them. */
export interface SweepSearch {
  nextRun(config: Record<string, unknown>, runs: SweepRun[]): SweepRun | null
  stopRuns(config: Record<string, unknown>, runs: SweepRun[]): SweepRun[]
}

/** What the controller prints: status lines and (verbose) its actions, on stdout as wandb prints them. */
export interface ControllerOutput {
  line(text: string): void
}

export interface LocalControllerOptions {
  backend: ControllerBackend
  search: SweepSearch
  out: ControllerOutput
  /** The sweep's path, for errors. */
  path: string
  /** Print the schedule/stop actions (`--verbose`). */
  verbose?: boolean
  /** Seconds between steps (wandb: 5). */
  intervalSeconds?: number
  /** Waits `ms` or until `signal` aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>
  /** Finishes the sweep (state FINISHED); used when the search is exhausted. */
  finish(sweep: SweepSnapshot): Promise<void>
  rng?: () => number
  signal?: AbortSignal
}

const LIVE_SWEEP_STATES = new Set(['PREEMPTING', 'PENDING', 'RUNNING'])
const ID_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789'

/** How a controller run ended. */
export type ControllerEnd = 'sweep-ended' | 'exhausted' | 'stopped'

export class LocalController {
  readonly #o: LocalControllerOptions
  #sweep: SweepSnapshot | undefined
  #controller: ControllerState = {}
  #written = '{}'
  #lastStatus = ''
  #actions: string[] = []
  #exhausted = false

  constructor(o: LocalControllerOptions) {
    this.#o = o
  }

  /** Runs until the sweep ends, the search is exhausted with nothing in flight, or `signal` aborts. */
  async run(): Promise<ControllerEnd> {
    await this.#start()
    const interval = (this.#o.intervalSeconds ?? 5) * 1000
    const sleep = this.#o.sleep ?? abortableSleep
    for (;;) {
      if (this.#o.signal?.aborted) return 'stopped'
      const sweep = this.#sweep as SweepSnapshot
      if (!LIVE_SWEEP_STATES.has(sweep.state.toUpperCase())) return 'sweep-ended'
      this.#printStatus(sweep)
      await this.step()
      this.#printActions()
      if (this.#exhausted && !(this.#sweep as SweepSnapshot).runs.some((r) => r.state === 'pending' || r.state === 'running')) {
        await this.#o.finish(this.#sweep as SweepSnapshot)
        this.#o.out.line(`Sweep ${(this.#sweep as SweepSnapshot).name}: the search is exhausted and no run is in flight; the sweep is finished.`)
        return 'exhausted'
      }
      await sleep(interval, this.#o.signal)
    }
  }

  /** One step: read, drop acted-on entries, schedule the next run, stop what the policy stops. */
  async step(): Promise<void> {
    const sweep = await this.#read()
    const {startedIds, stoppedRuns, doneRuns} = scheduledRuns(sweep)
    this.#controller.schedule = (this.#controller.schedule ?? []).filter((s) => !startedIds.has(s.id))
    this.#controller.earlystop = (this.#controller.earlystop ?? []).filter((r) => !stoppedRuns.has(r) && !doneRuns.has(r))

    // run_cap counts the sweep's runs (the search itself ignores it, as the sweeps package does)
    const cap = sweep.config.run_cap
    const capped = typeof cap === 'number' && sweep.runs.length >= cap
    const next = capped ? null : this.#o.search.nextRun(sweep.config, sweep.runs)
    this.#exhausted = next === null
    await this.#schedule(next)
    if (sweep.config.early_terminate !== undefined && sweep.config.early_terminate !== null) {
      const stop = this.#o.search.stopRuns(sweep.config, sweep.runs)
      if (stop.length > 0) {
        const names = [...new Set(stop.map((r) => r.name))]
        this.#actions.push(`Stop (${names.join(',')})`)
        this.#controller.earlystop = names
        await this.#sync()
      }
    }
  }

  async #start(): Promise<void> {
    const sweep = await this.#read()
    const controller = sweep.config.controller as {type?: unknown} | undefined
    if (controller?.type !== 'local')
      throw new LocalControllerError(`Only sweeps with a local controller are currently supported: ${this.#o.path} has no \`controller: {type: local}\` (create it with \`nexus sweep --controller\`).`)
    // as wandb: start from an empty controller state
    this.#controller = {}
    this.#written = ''
    await this.#sync()
  }

  async #read(): Promise<SweepSnapshot> {
    const metric = (this.#sweep?.config.metric as {name?: unknown} | undefined)?.name
    const sweep = await this.#o.backend.read(typeof metric === 'string' ? metric : undefined)
    if (!sweep) throw new SweepNotFoundError(this.#o.path)
    this.#sweep = sweep
    return sweep
  }

  async #schedule(run: SweepRun | null): Promise<void> {
    // one entry at a time, as wandb
    if ((this.#controller.schedule ?? []).length > 0) return
    const id = this.#scheduleId()
    if (run) {
      const params = Object.keys(run.config)
        .sort()
        .map((k) => `${k}=${String(pyLike(run.config[k]?.value))}`)
      this.#actions.push(`Schedule (${params.join(',')})`)
    }
    this.#controller.schedule = [{id, data: {args: run ? run.config : null}}]
    await this.#sync()
  }

  async #sync(): Promise<void> {
    const text = JSON.stringify(this.#controller)
    if (text === this.#written) return
    await this.#o.backend.writeController(this.#sweep as SweepSnapshot, this.#controller)
    this.#written = text
  }

  #printStatus(sweep: SweepSnapshot): void {
    const status = statusLine(sweep)
    if (status !== this.#lastStatus) this.#o.out.line(status)
    this.#lastStatus = status
  }

  #printActions(): void {
    if (this.#o.verbose) for (const a of this.#actions) this.#o.out.line(`INFO: ${a}`)
    this.#actions = []
  }

  #scheduleId(): string {
    const rng = this.#o.rng ?? Math.random
    return Array.from({length: 10}, () => ID_CHARS[Math.floor(rng() * ID_CHARS.length)]).join('')
  }
}

/** wandb_controller.py `_parse_scheduled`: which schedule entries became runs, and which of those stopped or ended. */
function scheduledRuns(sweep: SweepSnapshot): {startedIds: Set<string>; stoppedRuns: Set<string>; doneRuns: Set<string>} {
  const runs = new Map(sweep.runs.map((r) => [r.name, r]))
  const startedIds = new Set<string>()
  const stoppedRuns = new Set<string>()
  const doneRuns = new Set<string>()
  for (const s of sweep.scheduler.scheduled ?? []) {
    const run = s.runid ? runs.get(s.runid) : undefined
    if (!run || !s.runid) continue
    if (run.stopped) stoppedRuns.add(s.runid)
    if (run.state === 'pending' && Object.keys(run.summaryMetrics).length === 0) continue
    if (s.id) startedIds.add(s.id)
    if (run.state !== 'running') doneRuns.add(s.runid)
  }
  return {startedIds, stoppedRuns, doneRuns}
}

/** Python's str() of a JSON value for the action line (True/False/None). */
function pyLike(v: unknown): unknown {
  if (v === true) return 'True'
  if (v === false) return 'False'
  if (v === null || v === undefined) return 'None'
  return typeof v === 'object' ? JSON.stringify(v) : v
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve()
    const timer = setTimeout(done, ms)
    function done() {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    signal?.addEventListener('abort', done, {once: true})
  })
}

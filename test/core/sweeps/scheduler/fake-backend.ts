/**
 * An in-memory SchedulerBackend for the scheduler's unit tests: a sweep with a state, runs by
 * name (state, wire config, summary), a record of every call, and failures a test can queue.
 */
import type {PollPage, PollRun, SchedulerBackend, SweepFacts} from '../../../../src/core/sweeps/scheduler/index.ts'
import {SchedulerApiError, type Disposition} from '../../../../src/core/sweeps/scheduler/index.ts'

export interface FakeRun {
  name: string
  state: string
  config: Record<string, unknown>
  summary?: Record<string, unknown>
}

export class FakeBackend implements SchedulerBackend {
  supported = true
  sweepState = 'RUNNING'
  sweepConfig = 'method: grid\nmetric:\n  name: loss\n'
  readonly runs: FakeRun[] = []
  readonly calls: string[] = []
  readonly stopped: string[] = []
  /** The next call of this method fails with this disposition (once each). */
  readonly failNext = new Map<string, Disposition>()
  #minted = 0

  async localSchedulerSupported(): Promise<boolean> {
    return this.supported
  }

  async fetchSweep(): Promise<SweepFacts> {
    this.#call('fetchSweep')
    return {nodeId: 'U3dlZXA6MQ==', state: this.sweepState, config: this.sweepConfig, displayName: 'my sweep', controllerRunName: 'ctl'}
  }

  async warmStartPage(pageSize: number, cursor: string | null): Promise<PollPage> {
    this.#call('warmStartPage')
    const start = cursor === null ? 0 : Number(cursor)
    const rows = this.runs.slice(start, start + pageSize).map(toRow)
    const next = start + pageSize < this.runs.length ? String(start + pageSize) : null
    return {sweepState: this.sweepState, runs: rows, nextCursor: next}
  }

  async fetchWatchedRuns(names: string[]): Promise<PollPage> {
    this.#call('fetchWatchedRuns')
    return {sweepState: this.sweepState, runs: this.runs.filter((r) => names.includes(r.name)).map(toRow), nextCursor: null}
  }

  async confirmRunExists(name: string): Promise<boolean> {
    this.#call('confirmRunExists')
    return this.runs.some((r) => r.name === name)
  }

  async enqueueRun(_sweepNodeId: string, wireConfigJson: string): Promise<string> {
    this.#call('enqueueRun')
    const name = `run-${++this.#minted}`
    const wire = JSON.parse(wireConfigJson) as Record<string, {value: unknown}>
    this.runs.push({name, state: 'pending', config: wire})
    return name
  }

  async stopRun(storageId: string): Promise<boolean> {
    this.#call('stopRun')
    this.stopped.push(storageId)
    return true
  }

  async upsertSweepState(_id: string, state: string): Promise<void> {
    this.#call('upsertSweepState')
    this.sweepState = state
  }

  run(name: string): FakeRun {
    const run = this.runs.find((r) => r.name === name)
    if (!run) throw new Error(`no run ${name}`)
    return run
  }

  #call(method: string): void {
    this.calls.push(method)
    const failure = this.failNext.get(method)
    if (failure) {
      this.failNext.delete(method)
      throw new SchedulerApiError(failure, `${method} failed (${failure})`)
    }
  }
}

function toRow(r: FakeRun): PollRun {
  return {
    storageId: `id-${r.name}`,
    name: r.name,
    state: r.state,
    configJson: JSON.stringify(r.config),
    summaryJson: r.summary ? JSON.stringify(r.summary) : '',
    historyJson: '',
  }
}

import {errorMessage} from '../core/errors.ts'
import type {Logger} from '../core/observability/index.ts'
import type {EnvironmentRecord, GitRepoRecord, Record, Settings, SystemMetricSample} from '../core/proto.ts'
import type {Clock} from '../core/runtime/index.ts'
import {createResources} from './default-resources.ts'
import {executionContext} from './execution-context.ts'
import {probeResources} from './environment-probe.ts'
import {MetricsBuffer} from './metrics-buffer.ts'
import {monitorSettings, type MonitorSettings} from './monitor-settings.ts'
import type {Resource} from './resource.ts'
import {statsRecord} from './stats-record.ts'

export interface SystemMonitorOptions {
  settings: Settings
  clock: Clock
  logger: Logger
  /** Hands a stats record to the run's pipeline; a rejection is logged and sampling goes on. */
  emit: (record: Record) => Promise<void>
  /** The sources to sample; default: this host's (see createResources), created on first use. */
  resources?: Resource[]
  /** This writer's id, stored in the machine description. */
  writerId?: string
  /** The run's git remote/commit, read when the machine description is probed. */
  git?: () => GitRepoRecord | undefined
  /**
   * Awaited before the hardware record is built: the run's CoreWeave lookup, whose record the
   * run merges into the machine description itself (wandb-core puts it into the same record).
   */
  beforeHardwareProbe?: () => Promise<void> | undefined
}

export type MonitorState = 'stopped' | 'running' | 'paused' | 'finished'

/**
 * Samples system metrics for a run (Go core's `monitor.SystemMonitor`). Each resource has its own
 * loop: once at start (without the process `cpu` rate, as Go core 0.31 does), then every
 * `x_stats_sampling_interval` seconds (default 15) it samples — never overlapping
 * itself; a tick missed while a slow sample ran is skipped — and emits one stats record, keys
 * labelled with `x_label`. Nothing is sampled with `x_disable_stats` or `x_disable_machine_info`.
 *
 * Lifecycle: `start()` begins sampling (once), `pause()`/`resume()` skip ticks in between, and
 * `finish()` stops the loops, waits for an in-flight sample and closes the resources; it is
 * idempotent and no record is emitted after it has been called. Methods are safe to call in any
 * order; none throws. Structurally compatible with the stream's MonitorPort.
 */
export class SystemMonitor {
  readonly #o: SystemMonitorOptions
  readonly #s: MonitorSettings
  readonly #buffer: MetricsBuffer | undefined
  readonly #abort = new AbortController()
  #state: MonitorState = 'stopped'
  #resources: Promise<Resource[]> | undefined
  #loops: Promise<void>[] = []
  #finishing: Promise<void> | undefined

  constructor(o: SystemMonitorOptions) {
    this.#o = o
    this.#s = monitorSettings(o.settings)
    this.#buffer = this.#s.bufferSize !== 0 && this.#sampling ? new MetricsBuffer(this.#s.bufferSize) : undefined
    if (o.resources) this.#resources = Promise.resolve(o.resources)
  }

  get state(): MonitorState {
    return this.#state
  }

  /** Seconds between samples. */
  get intervalS(): number {
    return this.#s.samplingIntervalS
  }

  get #sampling(): boolean {
    return !this.#s.disableStats && !this.#s.disableMachineInfo
  }

  /** Starts the sampling loops; only the first call on a stopped monitor has an effect. */
  start(): void {
    if (this.#state !== 'stopped') return
    this.#state = 'running'
    if (!this.#sampling) return
    this.#o.logger.debug('sysinfo: monitor starting', {intervalS: this.#s.samplingIntervalS})
    this.#loops.push(this.#getResources().then((resources) => Promise.all(resources.map((r) => this.#loop(r))).then(() => undefined)))
  }

  pause(): void {
    if (this.#state === 'running') this.#state = 'paused'
  }

  resume(): void {
    if (this.#state === 'paused') this.#state = 'running'
  }

  /**
   * Samples every resource once now and emits the records (as a tick would, whatever the
   * paused/running state). Does nothing after finish() or when stats are disabled.
   */
  async sampleOnce(): Promise<void> {
    if (this.#state === 'finished' || !this.#sampling) return
    const resources = await this.#getResources()
    await Promise.all(resources.map((r) => this.#sampleResource(r)))
  }

  /** The buffered samples per metric key (empty unless x_stats_buffer_size is set). */
  buffered(): Map<string, SystemMetricSample[]> {
    return this.#buffer?.snapshot() ?? new Map()
  }

  /**
   * The two machine-description records (execution context, then hardware), or [] with
   * x_disable_meta / x_disable_machine_info or after finish(). As in Go, x_disable_stats leaves the
   * monitor without resources, so the hardware record then holds only the writer id and overrides.
   */
  async probe(): Promise<EnvironmentRecord[]> {
    if (this.#s.disableMeta || this.#s.disableMachineInfo || this.#state === 'finished') return []
    const writerId = this.#o.writerId ?? ''
    const resources = this.#sampling ? await this.#getResources() : []
    await this.#o.beforeHardwareProbe?.()
    return [executionContext(this.#o.settings, {writerId, git: this.#o.git?.()}), await probeResources(resources, this.#s, {writerId, logger: this.#o.logger})]
  }

  finish(): Promise<void> {
    this.#finishing ??= this.#finish()
    return this.#finishing
  }

  async #finish(): Promise<void> {
    this.#state = 'finished'
    this.#abort.abort(new Error('sysinfo: monitor finished'))
    await Promise.all(this.#loops)
    const resources = this.#resources ? await this.#resources : []
    for (const r of resources) {
      try {
        await r.close?.()
      } catch (err) {
        this.#o.logger.captureError(`sysinfo: closing ${r.name} failed`, err)
      }
    }
    this.#o.logger.debug('sysinfo: monitor stopped')
  }

  #getResources(): Promise<Resource[]> {
    this.#resources ??= createResources(this.#s, {now: () => this.#o.clock.now(), logger: this.#o.logger}).catch((err) => {
      this.#o.logger.captureError('sysinfo: creating resources failed', err)
      return []
    })
    return this.#resources
  }

  async #loop(r: Resource): Promise<void> {
    const clock = this.#o.clock
    const period = this.#s.samplingIntervalS * 1000
    const signal = this.#abort.signal
    let next = clock.now() + period
    // Like Go core 0.31: one sample as monitoring starts (so even a run shorter than the interval
    // has system metrics), then one per interval.
    if (this.#state === 'running') await this.#sampleResource(r, {first: true})
    while (!signal.aborted) {
      try {
        await clock.sleep(Math.max(0, next - clock.now()), signal)
      } catch {
        return
      }
      const now = clock.now()
      next += period
      if (next <= now) next = now + period
      if (this.#state === 'running') await this.#sampleResource(r)
    }
  }

  async #sampleResource(r: Resource, o: {first?: boolean} = {}): Promise<void> {
    let metrics
    try {
      metrics = await r.sample()
    } catch (err) {
      this.#o.logger.captureError(`sysinfo: sampling ${r.name} failed`, err, {error: errorMessage(err)})
      return
    }
    // Go's first sample has no process CPU: that rate needs an interval to be measured over.
    if (o.first) metrics.delete('cpu')
    if (metrics.size === 0 || this.#state === 'finished') return
    const at = this.#o.clock.now()
    this.#buffer?.push(metrics, at)
    const record = statsRecord(metrics, at, this.#s.label)
    if (!record) return
    const sent = Promise.resolve()
      .then(() => this.#o.emit(record))
      .catch((err) => this.#o.logger.captureError('sysinfo: emitting stats failed', err))
    // Wait for the pipeline to take the record, but not past finish(): the listener is removed
    // once the emit settles, so nothing piles up on the signal over a long run.
    const signal = this.#abort.signal
    if (signal.aborted) return
    await new Promise<void>((resolve) => {
      const onAbort = () => resolve()
      signal.addEventListener('abort', onAbort, {once: true})
      void sent.then(() => {
        signal.removeEventListener('abort', onAbort)
        resolve()
      })
    })
  }
}

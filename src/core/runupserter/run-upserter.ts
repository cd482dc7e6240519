import {GRAPHQL_POLICY, type GraphQLClient, GraphQLError, type RetryPolicy, UPSERT_BUCKET_POLICY} from '../api/index.ts'
import {HttpError, TimeoutError, errorMessage, findInChain} from '../errors.ts'
import {stringifyExtendedJson} from '../json/index.ts'
import type {Logger} from '../observability/index.ts'
import type {Operation, Operations} from '../operations/index.ts'
import {ConfigRecord, EnvironmentRecord, MetricRecord, RunRecord, TelemetryRecord} from '../proto.ts'
import {MetricHandler, RunConfig, mergeTelemetry} from '../runstate/index.ts'
import type {RunSettings} from '../settings/index.ts'
import {applyFork, applyResume, applyRewind} from './branching.ts'
import {registerCoreWeaveLookup} from './coreweave-lookups.ts'
import {CoreWeaveProbe} from './coreweave-probe.ts'
import {UPSERT_BUCKET, type UpsertBucketData} from './operations.ts'
import {RunEnvironment} from './run-environment.ts'
import {ErrorCode, RunInitError} from './run-init-error.ts'
import {RunParams, type FileStreamOffsets} from './run-params.ts'
import type {ServerFeatures} from './server-features.ts'
import {getOrInitStartingStep} from './sync-state.ts'

/** Changes after init are uploaded at most this often (Go: 5 s debounce). */
const DEBOUNCE_MS = 5000

export interface RunUpserterOptions {
  settings: RunSettings
  logger: Logger
  operations: Operations
  /** undefined offline. */
  graphql: GraphQLClient | undefined
  /** Random id of this writer (config _wandb.e key). */
  writerId: string
  /** The telemetry core_version we report. */
  coreVersion: string
  /** `<sync_file>` whose .syncstate pins the starting step (sync only; live runs keep it in memory). */
  syncStateFile?: string
  /** The server's features; queried first thing at init, as Go core does. */
  features?: ServerFeatures
  /** Override of the graphql retry policy (from settings). */
  graphqlPolicy?: RetryPolicy
  debounceMs?: number
  /** Replaces the global fetch for the CoreWeave instance metadata request (tests). */
  metadataFetch?: typeof fetch
}

/**
 * The run on the server (Go runupserter): `init` handles resume/fork/rewind and the first, blocking
 * UpsertBucket; later run/config/telemetry/metric/environment changes mark the run dirty and are
 * uploaded by a debounced loop; `finish` stops the loop and uploads what is left. Offline, init only
 * computes the run locally. Serialised by its own promise chain (one upsert at a time).
 */
export class RunUpserter {
  readonly #o: RunUpserterOptions
  readonly params = new RunParams()
  readonly config = new RunConfig()
  readonly #telemetry = TelemetryRecord.create()
  readonly #metrics = new MetricHandler()
  readonly #environment: RunEnvironment
  #initialized = false
  #paramsDirty = false
  #configDirty = false
  #timer: ReturnType<typeof setTimeout> | undefined
  #chain: Promise<void> = Promise.resolve()
  #finished = false
  #coreWeave: Promise<void> | undefined
  #finishing: Promise<void> | undefined
  /** "updating run metadata": from the start of a debounce until its upsert ended (Go core shows the wait too). */
  #updating: Operation | undefined
  readonly #coreWeaveAbort = new AbortController()

  constructor(o: RunUpserterOptions) {
    this.#o = o
    this.#environment = new RunEnvironment(o.writerId)
  }

  get initialized(): boolean {
    return this.#initialized
  }
  get startTimeMs(): number {
    return this.params.startTimeMs
  }
  get fileStreamOffsets(): FileStreamOffsets {
    return this.params.offsets
  }

  setFileStreamOffsets(offsets: FileStreamOffsets): void {
    this.params.offsets = {...offsets}
  }

  async init(record: RunRecord, signal: AbortSignal): Promise<RunRecord> {
    const s = this.#o.settings
    const timeout = AbortSignal.timeout(Math.max(1, s.initTimeoutSeconds) * 1000)
    const initSignal = AbortSignal.any([signal, timeout])
    try {
      for (const e of this.config.applyChangeRecord(record.config ?? ConfigRecord.create())) this.#o.logger.warn('runupserter: bad config value', {error: e.message})
      if (record.telemetry) mergeTelemetry(this.#telemetry, record.telemetry)
      this.#telemetry.core_version = this.#o.coreVersion
      this.params.update(record, {disableMachineInfo: s.disableMachineInfo, program: s.program})
      if (!this.params.entity) this.params.entity = s.entity
      if (!this.params.project) this.params.project = s.project
      if (!this.params.startTimeMs && s.startTime > 0) this.params.startTimeMs = Math.round(s.startTime * 1000)
      this.#refreshInternalData()
      await this.#o.features?.enabled('EXPAND_DEFINED_METRIC_GLOBS', initSignal)
      const bp = record.branch_point
      if (s.resume && this.#o.graphql) await applyResume(s.resume, this.#o.graphql, this.params, this.config, initSignal)
      else if (bp && bp.run && bp.run === this.params.runId) await applyRewind(this.#o.graphql, this.params, this.config, bp, initSignal)
      else if (bp && bp.run) applyFork(this.params, bp)
      this.params.startingStep = getOrInitStartingStep(this.#o.syncStateFile, this.params.startingStep)
      if (this.#o.graphql) {
        const data = await this.#upsert(true, true, initSignal)
        this.#adopt(data)
      }
      this.#initialized = true
      this.#startCoreWeaveProbe()
      return this.fillRunRecord(record)
    } catch (err) {
      throw toInitError(err, timeout.aborted)
    }
  }

  /** The run_result run: the client's record with our view of it (config wrapped as {"value": v}). */
  fillRunRecord(record: RunRecord): RunRecord {
    const out = RunRecord.fromBinary(RunRecord.toBinary(record))
    this.params.setOn(out)
    out.config = ConfigRecord.create({update: this.config.toWrappedItems()})
    return out
  }

  update(record: RunRecord): void {
    this.params.update(record, {disableMachineInfo: this.#o.settings.disableMachineInfo, program: this.#o.settings.program})
    this.#paramsDirty = true
    this.#schedule()
  }

  updateConfig(record: ConfigRecord): void {
    for (const e of this.config.applyChangeRecord(record)) this.#o.logger.warn('runupserter: bad config value', {error: e.message})
    this.#configDirty = true
    this.#schedule()
  }

  updateTelemetry(record: TelemetryRecord): void {
    mergeTelemetry(this.#telemetry, record)
    this.#refreshInternalData()
  }

  updateMetric(record: MetricRecord): void {
    try {
      this.#metrics.processRecord(record)
    } catch (err) {
      this.#o.logger.captureError('runupserter: bad metric record', err)
      return
    }
    this.#refreshInternalData()
  }

  updateEnvironment(record: EnvironmentRecord): void {
    this.#environment.add(record)
    this.#refreshInternalData()
  }

  environmentJson(): string | undefined {
    return this.#environment.toJson()
  }

  configYaml(): string {
    return this.config.toYaml()
  }

  /**
   * The CoreWeave lookup started by init, as a promise that settles when it is over (undefined
   * when none was started). Its result, if any, is already merged into the run's environment.
   */
  coreWeaveProbe(): Promise<void> | undefined {
    return this.#coreWeave
  }

  /**
   * Stops debouncing and uploads pending changes (online). A CoreWeave lookup still under way is
   * cancelled first (as Go drops the probe when the run ends). Idempotent.
   */
  finish(): Promise<void> {
    this.#finishing ??= this.#finish()
    return this.#finishing
  }

  async #finish(): Promise<void> {
    this.#finished = true
    this.#coreWeaveAbort.abort(new Error('runupserter: run finished'))
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = undefined
    // settles at once now that it is aborted; a record it got in time goes into the final upsert
    await this.#coreWeave
    this.#flush()
    await this.#chain
  }

  /**
   * Go core 0.31 probes CoreWeave with the system monitor's resources, for live online runs of the
   * primary writer whose machine is described (not x_disable_stats, x_disable_meta,
   * x_disable_machine_info), once the run exists on the server (with the entity the server
   * settled on). `wandb sync` has no monitor, so no lookup. The result, an EnvironmentRecord with
   * `coreweave`, is merged like the monitor's records (config _wandb.e, wandb-metadata.json).
   */
  #startCoreWeaveProbe(): void {
    const s = this.#o.settings
    const graphql = this.#o.graphql
    if (!graphql || this.#o.syncStateFile !== undefined || !s.primary || s.disableStats || s.disableMeta || s.disableMachineInfo) return
    const probe = new CoreWeaveProbe({graphql, logger: this.#o.logger, settings: s.proto, policy: this.#o.graphqlPolicy, fetch: this.#o.metadataFetch})
    this.#coreWeave = probe.probe(this.params.entity, this.#coreWeaveAbort.signal).then((record) => {
      if (record) this.updateEnvironment(record)
    })
    registerCoreWeaveLookup(s.proto, this.#coreWeave)
  }

  #refreshInternalData(): void {
    this.config.addInternalData({
      telemetry: this.#telemetry,
      metrics: this.#metrics.toRunConfigData(),
      environment: this.#environment.toRunConfigData(),
    })
    this.#configDirty = true
    this.#schedule()
  }

  #schedule(): void {
    if (!this.#initialized || !this.#o.graphql || this.#finished || this.#timer) return
    this.#updating ??= this.#o.operations.start('updating run metadata')
    this.#timer = setTimeout(() => {
      this.#timer = undefined
      this.#flush()
    }, this.#o.debounceMs ?? DEBOUNCE_MS)
  }

  #flush(): void {
    const waiting = this.#updating
    this.#updating = undefined
    if (!this.#initialized || !this.#o.graphql || (!this.#paramsDirty && !this.#configDirty)) {
      waiting?.finish()
      return
    }
    const op = waiting ?? this.#o.operations.start('updating run metadata')
    const params = this.#paramsDirty
    const config = this.#configDirty
    this.#paramsDirty = false
    this.#configDirty = false
    this.#chain = this.#chain
      .then(() => op.run(() => this.#upsert(params, config)))
      .then(
        () => undefined,
        (err) => this.#o.logger.captureError('runupserter: failed to upload run changes', err),
      )
      .finally(() => op.finish())
  }

  async #upsert(params: boolean, config: boolean, signal?: AbortSignal): Promise<UpsertBucketData> {
    const p = this.params
    const nz = (v: string) => (v === '' ? null : v)
    const variables = {
      id: params ? nz(p.storageId) : null,
      name: nz(p.runId),
      project: nz(p.project),
      entity: nz(p.entity),
      groupName: params ? nz(p.groupName) : null,
      description: null,
      displayName: params ? nz(p.displayName) : null,
      notes: params ? nz(p.notes) : null,
      commit: params ? nz(p.commit) : null,
      config: config ? stringifyExtendedJson(this.config.toWrappedJson()) : null,
      host: params ? nz(p.host) : null,
      debug: null,
      program: params ? nz(p.program) : null,
      repo: params ? nz(p.remoteUrl) : null,
      jobType: params ? nz(p.jobType) : null,
      state: null,
      sweep: params ? nz(p.sweepId) : null,
      tags: params ? [...p.tags] : null,
      summaryMetrics: null,
    }
    const policy = {...(this.#o.graphqlPolicy ?? GRAPHQL_POLICY), retryStatus: UPSERT_BUCKET_POLICY.retryStatus}
    return this.#o.graphql!.request<UpsertBucketData>({query: UPSERT_BUCKET, operationName: 'UpsertBucket', variables}, {policy, signal})
  }

  #adopt(data: UpsertBucketData): void {
    const bucket = data.upsertBucket?.bucket
    if (!bucket) {
      this.#o.logger.error('runupserter: upsert bucket response empty')
      return
    }
    this.params.storageId = bucket.id
    this.params.runId = bucket.name
    this.params.displayName = bucket.displayName ?? ''
    this.params.sweepId = bucket.sweepName ?? ''
    if (bucket.historyLineCount && bucket.historyLineCount > 0) this.params.offsets = {...this.params.offsets, history: bucket.historyLineCount}
    if (bucket.project) {
      this.params.project = bucket.project.name
      this.params.entity = bucket.project.entity?.name ?? this.params.entity
    } else {
      this.#o.logger.error('runupserter: upsert bucket project is nil')
    }
  }
}

/** Maps a failure of run init to what the SDK shows (Go ToRunUpdateError). */
function toInitError(err: unknown, timedOut: boolean): RunInitError {
  if (err instanceof RunInitError) return err
  const hint = 'Consider increasing the init_timeout setting:\n  wandb.init(settings=wandb.Settings(init_timeout=...))'
  if (timedOut || findInChain(err, TimeoutError)) {
    return new RunInitError(ErrorCode.COMMUNICATION, `Timed out initializing run: ${errorMessage(err)}\n${hint}`, {cause: err})
  }
  const http = findInChain(err, HttpError)
  if (http) return new RunInitError(ErrorCode.COMMUNICATION, gqlErrorText(http.bodySnippet) || '<no message>', {cause: err})
  const gql = findInChain(err, GraphQLError)
  if (gql) return new RunInitError(ErrorCode.COMMUNICATION, gql.messages.join('; '), {cause: err})
  return new RunInitError(ErrorCode.UNKNOWN, `Error initializing run: ${errorMessage(err)}`, {cause: err})
}

/** The messages of a GraphQL error body (`{"errors": [{message}]}`, `{"error": …}`), or the raw text. */
function gqlErrorText(body: string): string {
  try {
    const parsed = JSON.parse(body) as {errors?: Array<{message?: string} | string>; error?: string | {message?: string}}
    if (Array.isArray(parsed.errors))
      return parsed.errors
        .map((e) => (typeof e === 'string' ? e : (e.message ?? '')))
        .filter(Boolean)
        .join('; ')
    if (typeof parsed.error === 'string') return parsed.error
    if (parsed.error?.message) return parsed.error.message
  } catch {
    // not JSON
  }
  return body.trim()
}

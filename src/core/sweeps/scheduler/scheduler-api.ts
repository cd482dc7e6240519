/**
 * The scheduler's typed view of the W&B backend, for one sweep (Go core's sweepApi): the feature
 * check, the sweep's facts, pages of its runs with sampled history, the strongly consistent run
 * lookup, and the three writes (enqueue a run, stop a run, set the sweep's state). Every failure
 * is a SchedulerApiError classified as Go classifies it: HTTP 404 → not-found, 429 → rate-limited
 * (never retried here: the loop's own slowdown is the retry), anything else fatal.
 */
import {HttpClient, type RetryPolicy} from '../../api/index.ts'
import {HttpError, errorMessage} from '../../errors.ts'
import {graphqlErrorsFailure} from '../../wbapi/graphql-errors.ts'
import type {ServerFeatures} from '../../wbapi/server-features.ts'
import {ServerFeature} from '../../proto.ts'
import {
  ENQUEUE_SWEEP_RUN,
  RUN_STATE,
  STOP_RUN,
  SWEEP_CONFIG,
  SWEEP_RUNS_WITH_HISTORY,
  SWEEP_WATCHED_RUNS,
  UPSERT_SWEEP_STATE,
  type EnqueueSweepRunData,
  type PollRunsData,
  type RunStateData,
  type StopRunData,
  type SweepConfigData,
  type SweepRunsWithHistoryData,
  type SweepWatchedRunsData,
} from './documents.ts'
import {SchedulerApiError, SchedulerSweepNotFoundError, type Disposition} from './errors.ts'
import {sortedJson} from './sorted-json.ts'

/** Rows each sampled history is cut down to. */
export const HISTORY_SAMPLES = 20

/** The history key fetched with the metrics, so the optimizer can plot against steps. */
const STEP_KEY = '_step'

/** The sweep as fetched at init and on state checks. */
export interface SweepFacts {
  /** The GraphQL node id (the mutations' `id`). */
  nodeId: string
  state: string
  /** The sweep config as the server stores it (YAML text). */
  config: string
  displayName: string
  /** The run the client logs the scheduler's lines to. */
  controllerRunName: string
}

/** One run row of a poll page. */
export interface PollRun {
  /** The run's GraphQL node id (StopRun's `id`). */
  storageId: string
  name: string
  state: string
  /** `{param: {"value": v}}` JSON text ('' when absent). */
  configJson: string
  summaryJson: string
  /** The first spec's sampled rows as a JSON array ('' when none). */
  historyJson: string
}

/** One page of runs, with the sweep's state. `nextCursor` is null on the last page. */
export interface PollPage {
  sweepState: string
  runs: PollRun[]
  nextCursor: string | null
}

/** What the scheduler needs from the backend; SchedulerApi is the real one. */
export interface SchedulerBackend {
  localSchedulerSupported(signal?: AbortSignal): Promise<boolean>
  fetchSweep(signal?: AbortSignal): Promise<SweepFacts>
  warmStartPage(pageSize: number, cursor: string | null, metricKeys: string[], signal?: AbortSignal): Promise<PollPage>
  fetchWatchedRuns(names: string[], pageSize: number, cursor: string | null, metricKeys: string[], signal?: AbortSignal): Promise<PollPage>
  confirmRunExists(name: string, signal?: AbortSignal): Promise<boolean>
  /** Returns the name of the run the backend minted (pending in the sweep from now on). */
  enqueueRun(sweepNodeId: string, wireConfigJson: string, signal?: AbortSignal): Promise<string>
  /** False when the backend refused (an already stopped run). */
  stopRun(storageId: string, signal?: AbortSignal): Promise<boolean>
  upsertSweepState(sweepNodeId: string, state: string, signal?: AbortSignal): Promise<void>
}

export interface SchedulerApiOptions {
  /** Sends the session's credentials to URLs under the base URL. */
  http: HttpClient
  /** GRAPHQL_POLICY with the settings' overrides; 429 is taken out of its retried statuses. */
  policy: RetryPolicy
  /** Sent with every request (content-type, X-WANDB-USERNAME/-EMAIL, the extra headers). */
  headers: Record<string, string>
  features: Pick<ServerFeatures, 'enabled'>
  entity: string
  project: string
  sweepId: string
}

/** The GraphQL side of the scheduler for one sweep. Safe to use concurrently. */
export class SchedulerApi implements SchedulerBackend {
  readonly #o: SchedulerApiOptions
  readonly #policy: RetryPolicy

  constructor(o: SchedulerApiOptions) {
    this.#o = o
    const base = o.policy
    this.#policy = {...base, retryStatus: (status) => status !== 429 && base.retryStatus(status)}
  }

  localSchedulerSupported(signal?: AbortSignal): Promise<boolean> {
    return this.#o.features.enabled(ServerFeature.SWEEPS_LOCAL_SCHEDULER, signal)
  }

  async fetchSweep(signal?: AbortSignal): Promise<SweepFacts> {
    const data = await this.#request<SweepConfigData>('SweepConfig', SWEEP_CONFIG, this.#sweepVars(), signal)
    const sweep = data?.project?.sweep
    if (!sweep) throw new SchedulerSweepNotFoundError()
    return {
      nodeId: sweep.id ?? '',
      state: sweep.state ?? '',
      config: sweep.config ?? '',
      displayName: sweep.displayName ?? '',
      controllerRunName: sweep.controllerRunName ?? '',
    }
  }

  async warmStartPage(pageSize: number, cursor: string | null, metricKeys: string[], signal?: AbortSignal): Promise<PollPage> {
    const data = await this.#request<SweepRunsWithHistoryData>(
      'SweepRunsWithHistory',
      SWEEP_RUNS_WITH_HISTORY,
      {...this.#sweepVars(), first: pageSize, cursor, historySpecs: historySpecs(metricKeys)},
      signal,
    )
    const sweep = data?.project?.sweep
    if (!sweep) throw new SchedulerSweepNotFoundError()
    return pollPage(sweep.state ?? '', sweep.runs)
  }

  async fetchWatchedRuns(names: string[], pageSize: number, cursor: string | null, metricKeys: string[], signal?: AbortSignal): Promise<PollPage> {
    // only the names: a run moved out of the sweep still reads back instead of looking deleted
    const filters = JSON.stringify({name: {$in: names}})
    const data = await this.#request<SweepWatchedRunsData>(
      'SweepWatchedRuns',
      SWEEP_WATCHED_RUNS,
      {...this.#sweepVars(), filters, first: pageSize, cursor, historySpecs: historySpecs(metricKeys)},
      signal,
    )
    const project = data?.project
    if (!project?.sweep) throw new SchedulerSweepNotFoundError()
    return pollPage(project.sweep.state ?? '', project.runs)
  }

  async confirmRunExists(name: string, signal?: AbortSignal): Promise<boolean> {
    const data = await this.#request<RunStateData>('RunState', RUN_STATE, {entity: this.#o.entity, project: this.#o.project, run: name}, signal)
    return Boolean(data?.project?.run)
  }

  async enqueueRun(sweepNodeId: string, wireConfigJson: string, signal?: AbortSignal): Promise<string> {
    const data = await this.#request<EnqueueSweepRunData>('EnqueueSweepRun', ENQUEUE_SWEEP_RUN, {id: sweepNodeId, config: wireConfigJson, displayName: null}, signal)
    const payload = data?.enqueueSweepRun
    if (!payload) throw new SchedulerApiError('fatal', 'scheduler: enqueueSweepRun returned no payload')
    return payload.id ?? ''
  }

  async stopRun(storageId: string, signal?: AbortSignal): Promise<boolean> {
    const data = await this.#request<StopRunData>('StopRun', STOP_RUN, {id: storageId}, signal)
    return data?.stopRun?.success === true
  }

  async upsertSweepState(sweepNodeId: string, state: string, signal?: AbortSignal): Promise<void> {
    await this.#request('UpsertSweepState', UPSERT_SWEEP_STATE, {id: sweepNodeId, state}, signal)
  }

  #sweepVars(): Record<string, unknown> {
    return {entity: this.#o.entity, project: this.#o.project, sweep: this.#o.sweepId}
  }

  /** One operation; throws SchedulerApiError (or the signal's reason when aborted). */
  async #request<T>(operationName: string, query: string, variables: Record<string, unknown>, signal?: AbortSignal): Promise<T> {
    const {http, headers} = this.#o
    const policy = this.#policy
    let status: number
    let text: string
    try {
      const res = await http.send({
        method: 'POST',
        url: http.url('graphql'),
        headers,
        body: JSON.stringify({query, variables, operationName}),
        policy,
        signal,
        acceptStatus: (s) => !policy.retryStatus(s),
      })
      status = res.status
      text = await res.text()
    } catch (err) {
      if (signal?.aborted) throw signal.reason
      if (!(err instanceof HttpError)) throw new SchedulerApiError('fatal', errorMessage(err), {cause: err})
      // the retries ran out on a retried status: not an HTTP error to the loop, so fatal
      throw new SchedulerApiError('fatal', retriesExhaustedText(http.url('graphql'), policy.maxRetries + 1, err.status, err.bodySnippet), {cause: err})
    }
    if (status !== 200) throw new SchedulerApiError(dispositionOf(status), httpErrorText(status, text))
    let parsed: {data?: T; errors?: unknown}
    try {
      parsed = JSON.parse(text) as {data?: T; errors?: unknown}
    } catch (err) {
      throw new SchedulerApiError('fatal', `scheduler: the ${operationName} response is not JSON: ${errorMessage(err)}`, {cause: err})
    }
    if (Array.isArray(parsed?.errors) && parsed.errors.length > 0) {
      throw new SchedulerApiError('fatal', graphqlErrorsFailure(parsed.errors).message)
    }
    return parsed?.data as T
  }
}

function dispositionOf(status: number): Disposition {
  if (status === 404) return 'not-found'
  if (status === 429) return 'rate-limited'
  return 'fatal'
}

/**
 * genqlient's HTTPError text: "returned error <status>: <response JSON>", the body re-encoded as
 * a GraphQL response ({"data": …, "errors": […]}), or as one error holding the body when it is
 * not JSON.
 */
export function httpErrorText(status: number, body: string): string {
  let response: {data: unknown; extensions?: unknown; errors?: unknown[]}
  try {
    const parsed = JSON.parse(body) as Record<string, unknown>
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object')
    response = {data: parsed.data ?? null}
    if (parsed.extensions !== undefined && parsed.extensions !== null) response.extensions = parsed.extensions
    if (Array.isArray(parsed.errors) && parsed.errors.length > 0) response.errors = parsed.errors.map(gqlErrorJson)
  } catch {
    response = {data: null, errors: [{message: body}]}
  }
  return `returned error ${status}: ${JSON.stringify(response)}`
}

/**
 * Go core's error when its retries ran out on a retried status (go-retryablehttp's "giving up"
 * plus wandb's RetryError): the last status with the body's GraphQL error messages (one as is,
 * several as "[a; b]") or else its first KB.
 */
export function retriesExhaustedText(url: string, attempts: number, status: number, body: string): string {
  let detail = body.slice(0, 1024)
  try {
    const parsed = JSON.parse(detail) as {errors?: Array<{message?: unknown}>}
    const messages = Array.isArray(parsed?.errors) ? parsed.errors.map((e) => (typeof e?.message === 'string' ? e.message : '')) : []
    if (messages.length === 1) detail = messages[0]
    else if (messages.length > 1) detail = `[${messages.join('; ')}]`
  } catch {
    // not JSON: the body itself
  }
  return `POST ${url} giving up after ${attempts} attempt(s)\nwhile retrying: HTTP ${status}: ${detail}`
}

/** One error as gqlparser encodes it: message, then locations / path / extensions when present. */
function gqlErrorJson(e: unknown): Record<string, unknown> {
  if (e === null || typeof e !== 'object') return {message: String(e)}
  const src = e as Record<string, unknown>
  const out: Record<string, unknown> = {message: typeof src.message === 'string' ? src.message : ''}
  if (Array.isArray(src.locations) && src.locations.length > 0) out.locations = src.locations
  if (Array.isArray(src.path) && src.path.length > 0) out.path = src.path
  if (src.extensions !== null && typeof src.extensions === 'object' && Object.keys(src.extensions).length > 0) out.extensions = src.extensions
  return out
}

/** The sampledHistory spec: the metric keys plus _step, 20 samples. */
export function historySpecs(metricKeys: string[]): string[] {
  return [sortedJson({keys: [...metricKeys, STEP_KEY], samples: HISTORY_SAMPLES})]
}

function pollPage(sweepState: string, runs: PollRunsData | null | undefined): PollPage {
  const page: PollPage = {sweepState, runs: [], nextCursor: null}
  if (!runs) return page
  for (const edge of runs.edges ?? []) {
    const node = edge?.node
    if (!node) continue
    page.runs.push({
      storageId: node.id ?? '',
      name: node.name ?? '',
      state: node.state ?? '',
      configJson: node.config ?? '',
      summaryJson: node.summaryMetrics ?? '',
      historyJson: node.sampledHistory && node.sampledHistory.length > 0 ? sortedJson(node.sampledHistory[0]) : '',
    })
  }
  if (runs.pageInfo?.hasNextPage) page.nextCursor = runs.pageInfo.endCursor ?? null
  return page
}

/**
 * Resume, fork and rewind (Go runbranch): what the server already has for this run id decides
 * the starting step, runtime, line offsets, merged config and restored summary.
 */
import type {GraphQLClient} from '../api/index.ts'
import {HttpError, errorMessage} from '../errors.ts'
import {parseExtendedJson} from '../json/index.ts'
import type {RunConfig} from '../runstate/index.ts'
import {REWIND_RUN, RUN_RESUME_STATUS, type ResumeBucket, type RewindRunData, type RunResumeStatusData} from './operations.ts'
import {ErrorCode, RunInitError} from './run-init-error.ts'
import type {RunParams} from './run-params.ts'

function parseObject(text: string | null | undefined): Record<string, unknown> | undefined {
  if (!text) return undefined
  const v = parseExtendedJson(text)
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined
}

/** The last element of a tail (a JSON string of an array of JSON strings), parsed. */
function lastTailLine(tail: string | null): Record<string, unknown> | undefined {
  if (!tail) return undefined
  const lines = parseExtendedJson(tail)
  if (!Array.isArray(lines) || lines.length === 0) return undefined
  const last = lines[lines.length - 1]
  return typeof last === 'string' ? parseObject(last) : undefined
}

const runtimeOf = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0)

/** A run "exists" only if the server has it AND it ever started (its wandbConfig has "t"). */
function started(bucket: ResumeBucket | null | undefined): bucket is ResumeBucket {
  if (!bucket?.wandbConfig) return false
  try {
    const cfg = JSON.parse(bucket.wandbConfig)
    return cfg !== null && typeof cfg === 'object' && 't' in cfg
  } catch {
    return false
  }
}

/** resume = allow | must | never | auto: asks the server about the run and adopts its state. */
export async function applyResume(mode: string, gql: GraphQLClient, params: RunParams, config: RunConfig, signal: AbortSignal): Promise<void> {
  let data: RunResumeStatusData
  try {
    data = await gql.request<RunResumeStatusData>(
      {query: RUN_RESUME_STATUS, operationName: 'RunResumeStatus', variables: {project: params.project, entity: params.entity || null, name: params.runId}},
      {signal},
    )
  } catch (err) {
    throw new RunInitError(ErrorCode.COMMUNICATION, `Failed to get resume status for run ${params.runId}: ${errorMessage(err)}`, {cause: err})
  }
  const bucket = data.model?.bucket
  const exists = started(bucket)
  if (!exists) {
    if (mode === 'must') {
      throw new RunInitError(
        ErrorCode.USAGE,
        `You provided an invalid value for the \`resume\` argument. The value 'must' is not a valid option for resuming the run (${params.runId}) that has not been initialized. Please check your inputs and try again with a valid run ID. If you are trying to start a new run, please omit the \`resume\` argument or use \`resume='allow'\`.`,
      )
    }
    return
  }
  if (mode === 'never') {
    throw new RunInitError(
      ErrorCode.USAGE,
      `You provided an invalid value for the \`resume\` argument.  The value 'never' is not a valid option for resuming a run (${params.runId}) that already exists.  Please check your inputs and try again with a valid value for the \`resume\` argument.`,
    )
  }
  try {
    adoptResumedRun(bucket, params, config)
  } catch (err) {
    if (mode === 'must') {
      throw new RunInitError(ErrorCode.USAGE, `The run (${params.runId}) failed to resume, and the \`resume\` argument is set to 'must'.`, {cause: err})
    }
    throw err
  }
}

function adoptResumedRun(b: ResumeBucket, params: RunParams, config: RunConfig): void {
  const oldConfig = parseObject(b.config)
  if (oldConfig) {
    const unwrapped: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(oldConfig)) unwrapped[k] = v && typeof v === 'object' && 'value' in v ? (v as {value: unknown}).value : v
    config.mergeResumedConfig(unwrapped)
  }
  if (b.historyLineCount == null || b.eventsLineCount == null || b.logLineCount == null) {
    throw new Error('runbranch: the server did not return line counts for the resumed run')
  }
  params.offsets = {history: b.historyLineCount, events: b.eventsLineCount, summary: 0, output: b.logLineCount}
  const events = lastTailLine(b.eventsTail)
  if (events && '_runtime' in events) params.runtime = Math.trunc(Math.max(runtimeOf(events._runtime), params.runtime))
  const summary = parseObject(b.summaryMetrics)
  if (summary) {
    params.summary = {...params.summary, ...summary}
    if (Number.isInteger(summary._step)) params.startingStep = BigInt(summary._step as number)
    const w = params.summary._wandb
    const rt = w && typeof w === 'object' ? (w as Record<string, unknown>).runtime : params.summary._runtime
    if (rt !== undefined) params.runtime = Math.trunc(Math.max(runtimeOf(rt), params.runtime))
  }
  const history = lastTailLine(b.historyTail)
  if (history) {
    if (Number.isInteger(history._step)) params.startingStep = BigInt(history._step as number)
    if ('_runtime' in history) params.runtime = Math.trunc(Math.max(runtimeOf(history._runtime), params.runtime))
  }
  if (params.offsets.history > 0) params.startingStep += 1n
  if (params.tags.length === 0) params.tags = b.tags ?? []
  if (!params.notes && b.notes) params.notes = b.notes
  params.storageId = b.id
  params.resumed = true
}

/** fork_from: a new run continuing another's history at step value+1 (no server query). */
export function applyFork(params: RunParams, from: {run: string; metric: string; value: number}): void {
  if (from.metric !== '_step') throw new RunInitError(ErrorCode.UNSUPPORTED, 'fork_from only supports `_step` metric name currently')
  if (from.run === params.runId) throw new RunInitError(ErrorCode.USAGE, 'fork_from run id must be different from current run id')
  params.forked = true
  params.startingStep = BigInt(Math.trunc(from.value)) + 1n
}

/** resume_from on the same run: the server rewinds it; history continues at value+1. */
export async function applyRewind(gql: GraphQLClient | undefined, params: RunParams, config: RunConfig, at: {run: string; metric: string; value: number}, signal: AbortSignal): Promise<void> {
  if (at.run !== params.runId) throw new RunInitError(ErrorCode.USAGE, 'resume_from run id must match the current run id')
  if (at.metric !== '_step') throw new RunInitError(ErrorCode.UNSUPPORTED, 'resume_from only supports `_step` metric name currently')
  params.startingStep = BigInt(Math.trunc(at.value)) + 1n
  params.forked = true
  if (!gql) return
  let data: RewindRunData
  try {
    data = await gql.request<RewindRunData>(
      {
        query: REWIND_RUN,
        operationName: 'RewindRun',
        variables: {runName: params.runId, entity: params.entity || null, project: params.project || null, metricName: at.metric, metricValue: at.value},
      },
      {signal},
    )
  } catch (err) {
    const detail = err instanceof HttpError ? err.bodySnippet : errorMessage(err)
    throw new RunInitError(ErrorCode.COMMUNICATION, `failed to rewind run: ${detail}`, {cause: err})
  }
  const run = data.rewindRun?.rewoundRun
  if (!run) throw new RunInitError(ErrorCode.COMMUNICATION, 'failed to rewind run: run not found')
  if (run.historyLineCount) params.offsets.history = run.historyLineCount
  if (run.project?.name) params.project = run.project.name
  if (run.project?.entity?.name) params.entity = run.project.entity.name
  const old = parseObject(run.config)
  if (old) {
    const unwrapped: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(old)) unwrapped[k] = v && typeof v === 'object' && 'value' in v ? (v as {value: unknown}).value : v
    config.mergeResumedConfig(unwrapped)
  }
  params.storageId = run.id
  params.runId = run.name
  if (run.displayName) params.displayName = run.displayName
  if (run.sweepName) params.sweepId = run.sweepName
}

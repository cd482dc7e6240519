/**
 * Run mutations: `upsertBucket` (create/update a run; null inputs leave fields unchanged),
 * `createRunFiles` (one upload URL per requested name, never null), `markRunFilesUploaded`,
 * `notifyScriptableRunAlert`, `stopRun`, `rewindRun`.
 */
import {asList, type Ctx, entityOr, projectOr, str} from '../context.ts'
import {GqlError} from '../executor.ts'
import {tryParseExtendedJson} from '../../extended-json.ts'
import {fromGqlId, randomName, toGqlId} from '../../ids.ts'
import {HISTORY, type RunFields, type RunRow} from '../../store/index.ts'
import {runFileUrl, runObject} from '../objects/run.ts'

/** UpsertBucket's input (all fields nullable). */
interface UpsertBucketInput {
  id?: string | null
  name?: string | null
  modelName?: string | null
  entityName?: string | null
  groupName?: string | null
  description?: string | null
  displayName?: string | null
  notes?: string | null
  config?: string | null
  commit?: string | null
  host?: string | null
  jobProgram?: string | null
  jobRepo?: string | null
  jobType?: string | null
  state?: string | null
  sweep?: string | null
  tags?: string | string[] | null
  summaryMetrics?: string | null
}

/** Finds a run by (entity, project, name); throws a GraphQL error when it does not exist. */
export function requireRun(ctx: Ctx, entity: unknown, project: unknown, name: unknown): RunRow {
  const p = ctx.store.projects.find(entityOr(ctx, entity), projectOr(project))
  const r = p && str(name) ? ctx.store.runs.find(p.id, name as string) : null
  if (!r) throw new GqlError(`run ${entityOr(ctx, entity)}/${projectOr(project)}/${String(name)} not found`)
  return r
}

function upsertBucket(args: {input?: UpsertBucketInput}, ctx: Ctx) {
  const input = args.input ?? {}
  const fields: RunFields = {
    display_name: str(input.displayName),
    description: input.description ?? null,
    notes: input.notes ?? null,
    group_name: str(input.groupName),
    job_type: str(input.jobType),
    host: str(input.host),
    program: str(input.jobProgram),
    repo: str(input.jobRepo),
    commit_hash: str(input.commit),
    config: str(input.config),
    summary_metrics: str(input.summaryMetrics),
    tags: input.tags == null ? null : JSON.stringify(asList(input.tags)),
    state: str(input.state),
    sweep_name: str(input.sweep),
  }
  const store = ctx.store
  let row: RunRow
  let inserted = false
  const storageId = fromGqlId(input.id, 'Run')
  if (input.id && storageId !== null) {
    const existing = store.runs.get(storageId)
    if (!existing) throw new GqlError(`run ${input.id} not found`)
    store.runs.update(existing.id, fields)
    row = existing
  } else {
    const project = store.projects.ensure(entityOr(ctx, input.entityName), projectOr(input.modelName))
    const result = store.runs.upsert(project.id, str(input.name) ?? randomName(8), fields)
    row = result.row
    inserted = result.inserted
  }
  if (fields.state === null && row.state === 'pending') store.runs.setState(row.id, 'running')
  const fresh = store.runs.get(row.id) as RunRow
  return {__typename: 'UpsertBucketPayload', bucket: runObject(ctx, fresh), inserted}
}

function createRunFiles(args: {input?: {entityName?: string; projectName?: string; runName?: string; files?: string | string[]}}, ctx: Ctx) {
  const input = args.input ?? {}
  const run = requireRun(ctx, input.entityName, input.projectName, input.runName)
  const names = asList(input.files)
  for (const n of names) ctx.store.runFiles.declareFile(run.id, n)
  return {
    __typename: 'CreateRunFilesPayload',
    runID: toGqlId('Run', run.id),
    uploadHeaders: [],
    files: names.map((name) => ({__typename: 'File', name, uploadUrl: runFileUrl(ctx, run.id, name)})),
  }
}

function markRunFilesUploaded(args: {input?: {entityName?: string; projectName?: string; runName?: string; files?: string | string[]}}, ctx: Ctx) {
  const input = args.input ?? {}
  const run = requireRun(ctx, input.entityName, input.projectName, input.runName)
  ctx.store.runFiles.setUploaded(run.id, asList(input.files))
  return {__typename: 'MarkRunFilesUploadedPayload', success: true}
}

function notifyScriptableRunAlert(args: {input?: Record<string, unknown>}, ctx: Ctx) {
  const input = args.input ?? {}
  const run = requireRun(ctx, input.entityName, input.projectName, input.runName)
  const wait = Number(input.waitDuration)
  ctx.store.runFiles.addAlert(run.id, {
    title: str(input.title),
    text: str(input.text),
    severity: str(input.severity) ?? 'INFO',
    waitDuration: Number.isFinite(wait) ? wait : null,
  })
  return {__typename: 'NotifyScriptableRunAlertPayload', success: true}
}

function stopRun(args: {input?: {id?: string}}, ctx: Ctx) {
  const id = fromGqlId(args.input?.id, 'Run')
  const run = id === null ? null : ctx.store.runs.get(id)
  if (!run) throw new GqlError(`run ${String(args.input?.id)} not found`)
  ctx.store.runs.requestStop(run.id)
  return {__typename: 'StopRunPayload', success: true, clientMutationId: null}
}

/** Drops history rows after the one whose `metricName` equals `metricValue` (resume_from). */
function rewindRun(args: {input?: {runName?: string; entityName?: string; projectName?: string; metricName?: string; metricValue?: number}}, ctx: Ctx) {
  const input = args.input ?? {}
  const run = requireRun(ctx, input.entityName, input.projectName, input.runName)
  const metric = input.metricName ?? '_step'
  const rows = ctx.store.lines.lines(run.id, HISTORY)
  const cut = rows.findIndex((l) => {
    const v = (tryParseExtendedJson(l, {}) as Record<string, unknown>)[metric]
    return typeof v === 'number' && v > Number(input.metricValue)
  })
  if (cut >= 0) ctx.store.lines.truncate(run.id, HISTORY, cut)
  ctx.store.runs.setState(run.id, 'running')
  return {__typename: 'RewindRunPayload', rewoundRun: runObject(ctx, ctx.store.runs.get(run.id) as RunRow)}
}

/** Root fields of this domain. */
export const runsRoot = {
  upsertBucket,
  createRunFiles,
  markRunFilesUploaded,
  notifyScriptableRunAlert,
  stopRun,
  rewindRun,
}

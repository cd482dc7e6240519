/**
 * GraphQL views of runs and run files. JSONString fields (config, summaryMetrics, historyTail,
 * wandbConfig …) are strings of JSON, as the real server sends them.
 */
import {asList, type Ctx} from '../context.ts'
import type {GqlObject} from '../executor.ts'
import {tryParseExtendedJson} from '../../extended-json.ts'
import {stableHash, toGqlId} from '../../ids.ts'
import {EVENTS, HISTORY, OUTPUT, SUMMARY, hexToB64, type RunFileRow, type RunRow} from '../../store/index.ts'
import {artifactObject} from './artifact.ts'
import {connection} from './connection.ts'
import {projectObject} from './project.ts'

const TAIL_LINES = 10

/** The run's current summary as a JSON string: the last file_stream summary line, else UpsertBucket's. */
export function runSummaryJson(ctx: Ctx, r: RunRow): string {
  return ctx.store.lines.last(r.id, SUMMARY) ?? r.summary_metrics ?? '{}'
}

/** A run ("bucket"). */
export function runObject(ctx: Ctx, r: RunRow): GqlObject {
  const lines = ctx.store.lines
  const stopped = r.stop_requested === 1 || r.state === 'killed'
  return {
    __typename: 'Run',
    id: toGqlId('Run', r.id),
    name: r.name,
    displayName: r.display_name,
    description: r.description,
    notes: r.notes,
    group: r.group_name,
    jobType: r.job_type,
    host: r.host,
    program: r.program,
    commit: r.commit_hash,
    repo: r.repo,
    state: r.state,
    exitcode: r.exit_code,
    sweepName: r.sweep_name,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    heartbeatAt: r.heartbeat_at ?? r.updated_at,
    tags: tryParseExtendedJson(r.tags, []) ?? [],
    config: r.config ?? '{}',
    summaryMetrics: () => runSummaryJson(ctx, r),
    systemMetrics: () => lines.last(r.id, EVENTS) ?? '{}',
    historyLineCount: () => lines.lineCount(r.id, HISTORY),
    // the public API's RunFragment: the project's internal (integer) id and the history key index
    projectId: r.project_id,
    historyKeys: () => historyKeys(lines.lines(r.id, HISTORY)),
    // all of the run's uploaded files, whatever `files(names:)` selects (the public API's len(run.files()))
    fileCount: () => ctx.store.runFiles.files(r.id).filter((f) => f.md5 !== null).length,
    eventsLineCount: () => lines.lineCount(r.id, EVENTS),
    logLineCount: () => lines.lineCount(r.id, OUTPUT),
    historyTail: () => JSON.stringify(lines.tail(r.id, HISTORY, TAIL_LINES)),
    eventsTail: () => JSON.stringify(lines.tail(r.id, EVENTS, TAIL_LINES)),
    history: (args: {samples?: number}) => sample(lines.lines(r.id, HISTORY), args.samples),
    events: (args: {samples?: number}) => sample(lines.lines(r.id, EVENTS), args.samples),
    sampledHistory: (args: {specs?: string | string[]}) => asList(args.specs).map((spec) => sampledHistory(lines.lines(r.id, HISTORY), spec)),
    wandbConfig: (args: {keys?: string | string[]}) => wandbConfig(r.config, args.keys == null ? undefined : asList(args.keys)),
    running: r.state === 'running',
    failed: r.state === 'failed' || r.state === 'crashed',
    stopped,
    shouldStop: r.stop_requested === 1,
    readOnly: false,
    user: {__typename: 'User', id: toGqlId('User', 1), name: ctx.viewer.username, username: ctx.viewer.username, email: ctx.viewer.email},
    project: () => {
      const p = ctx.store.projects.get(r.project_id)
      return p ? projectObject(ctx, p) : null
    },
    files: (args: {names?: string | string[] | null; first?: number; after?: string}) => {
      const names = asList(args.names)
      let files = ctx.store.runFiles.files(r.id).filter((f) => f.md5 !== null)
      if (names.length > 0) files = files.filter((f) => names.includes(f.name))
      return connection('FileConnection', files, args, (f) => runFileObject(ctx, r, f))
    },
    outputArtifacts: (args: {first?: number; after?: string}) => connection('ArtifactConnection', ctx.store.artifacts.createdByRun(r.id), args, (a) => artifactObject(ctx, a)),
    inputArtifacts: (args: {first?: number; after?: string}) => {
      const used = ctx.store.artifacts
        .usedByRun(r.id)
        .map((id) => ctx.store.artifacts.get(id))
        .filter((a) => a !== null)
      return connection('ArtifactConnection', used, args, (a) => artifactObject(ctx, a))
    },
  }
}

/** URL of a run file on this server's storage (upload and download). */
export function runFileUrl(ctx: Ctx, runId: number, name: string): string {
  return `${ctx.baseUrl}/_storage/runs/${runId}/${name.split('/').map(encodeURIComponent).join('/')}`
}

/** A run file. */
export function runFileObject(ctx: Ctx, r: RunRow, f: RunFileRow): GqlObject {
  const url = runFileUrl(ctx, r.id, f.name)
  const md5 = f.md5 ? hexToB64(f.md5) : null
  return {
    __typename: 'File',
    id: toGqlId('File', stableHash(`${r.id}/${f.name}`)),
    name: f.name,
    displayName: f.name,
    url,
    directUrl: url,
    uploadUrl: url,
    sizeBytes: f.size ?? 0,
    md5,
    digest: md5,
    mimetype: null,
    storagePath: `runs/${r.id}/${f.name}`,
    updatedAt: f.updated_at,
    state: f.uploaded ? 'FINISHED' : 'PENDING',
  }
}

/**
 * `historyKeys` (a JSON scalar, not a string): `{lastStep, keys: {key: {typeCounts: [{type, count}]}}}`
 * like the server's key index; `lastStep` is -1 for a run without history.
 */
export function historyKeys(rows: string[]): {lastStep: number; keys: Record<string, {typeCounts: {type: string; count: number}[]}>} {
  const counts = new Map<string, Map<string, number>>()
  let lastStep = -1
  for (const line of rows) {
    const row = (tryParseExtendedJson(line, {}) ?? {}) as Record<string, unknown>
    if (typeof row._step === 'number') lastStep = row._step
    for (const [k, v] of Object.entries(row)) {
      const type = v === null ? 'nil' : Array.isArray(v) ? 'list' : typeof v === 'object' ? String((v as {_type?: unknown})._type ?? 'map') : typeof v === 'boolean' ? 'bool' : typeof v
      const byType = counts.get(k) ?? new Map<string, number>()
      byType.set(type, (byType.get(type) ?? 0) + 1)
      counts.set(k, byType)
    }
  }
  const keys = Object.fromEntries([...counts].sort(([a], [b]) => a.localeCompare(b)).map(([k, byType]) => [k, {typeCounts: [...byType].map(([type, count]) => ({type, count}))}]))
  return {lastStep, keys}
}

function sample(rows: string[], samples?: number): string[] {
  if (!samples || samples >= rows.length) return rows
  const step = rows.length / samples
  return Array.from({length: samples}, (_, i) => rows[Math.floor(i * step)])
}

/** `sampledHistory(specs)` for one spec `{"keys": [...], "samples": n}`: rows that have any key. */
function sampledHistory(rows: string[], specJson: string): Record<string, unknown>[] {
  const spec = (tryParseExtendedJson(specJson, {}) ?? {}) as {keys?: string[]; samples?: number}
  const parsed = rows.map((l) => tryParseExtendedJson(l, {}) as Record<string, unknown>)
  if (!spec.keys || spec.keys.length === 0) return parsed
  const keys = spec.keys
  const picked = parsed.filter((row) => keys.some((k) => k !== '_step' && row[k] !== undefined)).map((row) => Object.fromEntries(keys.filter((k) => row[k] !== undefined).map((k) => [k, row[k]])))
  return spec.samples && picked.length > spec.samples ? picked.slice(-spec.samples) : picked
}

/** The requested keys of the run config's `_wandb` value, as a JSON string. */
function wandbConfig(config: string | null, keys?: string[]): string {
  const parsed = tryParseExtendedJson(config, {}) as Record<string, {value?: Record<string, unknown>}> | null
  const internal = parsed?._wandb?.value ?? {}
  const out: Record<string, unknown> = {}
  for (const k of keys ?? Object.keys(internal)) if (internal[k] !== undefined) out[k] = internal[k]
  return JSON.stringify(out)
}

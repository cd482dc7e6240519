/**
 * `artifact put` without Python: what `wandb artifact put` does — build the artifact from a file or
 * folder, start a run with job_type "cli_put" and config {path}, log the artifact from it, finish
 * the run — by feeding a run's stream (the same pipeline the service runs for the SDK) the records
 * the SDK would send, so uploads take the one save path of nexus.
 */
import {mkdirSync} from 'node:fs'
import {stat} from 'node:fs/promises'
import {hostname, tmpdir} from 'node:os'
import {basename, join, resolve} from 'node:path'
import {Record as PbRecord, Request, RunRecord, Settings, Timestamp, type ServerResponse} from '../proto.ts'
import {CapturingResponder, type RunStream} from '../server/index.ts'
import {parseArtifactPath, resolveAliases, validateArtifactName, validateArtifactType} from './artifact-path.ts'
import {defaultEntity, envSetting, openCliApi} from './cli-api.ts'
import {ArtifactInputError, ArtifactRunError, ArtifactSaveError} from './errors.ts'
import {ARTIFACT_VERSION, type ArtifactVersionData} from './gql-download.ts'
import {buildLocalArtifact, randomBase36, stagingDir as defaultStagingDir} from './local-artifact.ts'
import {manifestFromProto} from './manifest.ts'
import {deleteStagedFiles} from './saver.ts'

type Env = Readonly<Record<string, string | undefined>>

/** The inputs of `artifact put` (flags, credentials, the stream factory). */
export interface PutArtifactOptions {
  path: string
  /** `[entity/project/]name`; default: the basename of `path`. */
  name?: string
  type?: string
  /** Default ["latest"]; "latest" is always added. */
  aliases?: string[]
  description?: string
  /** Log from this run id (default: a new one). */
  runId?: string
  /** Resume the run given by `runId` (resume "allow"). */
  resume?: boolean
  skipCache?: boolean
  policy?: 'mutable' | 'immutable'
  baseUrl: string
  apiKey: string
  /** Entity and project defaults from the user's settings files. */
  defaults?: {entity?: string; project?: string}
  env?: Env
  cwd?: string
  /** Builds the run's stream: core/stream's createStream, bound to its dependencies. */
  openStream: (settings: Settings, runId: string) => RunStream
  /** Progress lines for the user. */
  log?: (line: string) => void
  /** Upload progress while the files go up, every `progressEveryMs` (default 1 s). */
  onProgress?: (p: {doneBytes: number; totalBytes: number}) => void
  progressEveryMs?: number
}

/** What was uploaded. */
export interface PutArtifactResult {
  artifactId: string
  entity: string
  project: string
  name: string
  /** The version index (undefined if the server did not say). */
  version?: number
  runId: string
  /** Warnings the run produced ("already exists with the same content" …). */
  warnings: string[]
}

/**
 * Uploads `o.path` as a new version of the artifact. Throws ArtifactInputError for bad input,
 * ArtifactRunError when the run cannot start, ArtifactSaveError when the upload fails (the run is
 * still finished, as the SDK does), and HTTP errors of the entity lookup.
 */
export async function putArtifact(o: PutArtifactOptions): Promise<PutArtifactResult> {
  const env = o.env ?? process.env
  const cwd = o.cwd ?? process.cwd()
  const log = o.log ?? (() => {})
  if (o.path.includes('://')) throw new ArtifactInputError('Reference artifacts (a PATH with "://") need the Python SDK; `nexus artifact put` uploads local files and folders.')
  const localPath = resolve(cwd, o.path)
  const parsed = parseArtifactPath(o.name ?? basename(localPath))
  if (parsed.version !== undefined) throw new ArtifactInputError(`The artifact name ${JSON.stringify(o.name)} must not have a version or alias; use --alias.`)
  const name = validateArtifactName(parsed.name)
  const type = validateArtifactType(o.type ?? 'dataset')
  const aliases = resolveAliases(o.aliases && o.aliases.length > 0 ? o.aliases : ['latest'])
  if (o.resume && !o.runId) throw new ArtifactInputError('--resume needs the run to resume: give it with --id.')
  const runId = o.runId ?? randomBase36(8)

  const {record, stagingDir} = await buildLocalArtifact({
    path: localPath,
    name,
    type,
    description: o.description,
    aliases,
    entity: '',
    project: '',
    runId,
    skipCache: o.skipCache ?? false,
    policy: o.policy ?? 'mutable',
    stagingDir: defaultStagingDir(env),
  })
  let handedOver = false
  const api = openCliApi({baseUrl: o.baseUrl, apiKey: o.apiKey, env})
  try {
    // Like `wandb.Api()` in the SDK's command, ask who we are first: a refused key or an unreachable
    // server fails here, before a run is started.
    const viewerEntity = await defaultEntity(api)
    const entity = parsed.prefix || env.WANDB_ENTITY || o.defaults?.entity || viewerEntity
    const project = parsed.project || env.WANDB_PROJECT || o.defaults?.project || 'uncategorized'
    if (!entity) throw new ArtifactInputError('No entity to upload to: give one in the name (entity/project/name) or set WANDB_ENTITY.')
    const isDir = (await stat(localPath)).isDirectory()
    log(`Uploading ${isDir ? 'directory' : 'file'} ${o.path} to: "${entity}/${project}/${name}:${o.aliases?.[0] ?? 'latest'}" (${type})`)

    const stream = o.openStream(runSettings({o, env, cwd, runId, entity, project}), runId)
    let result: {artifactId: string; error: string; warnings: string[]; run: RunRecord}
    try {
      const run = await startRun(stream, {runId, entity, project, path: o.path, resume: o.resume ?? false})
      Object.assign(record, {entity: run.entity, project: run.project, run_id: run.run_id})
      handedOver = true
      const logged = ask(stream, request({oneofKind: 'log_artifact', log_artifact: {artifact: record, history_step: 0n, staging_dir: stagingDir}}))
      if (o.onProgress) await reportProgress(stream, logged, o.onProgress, o.progressEveryMs ?? 1000)
      const answer = responseOf(await logged, 'log_artifact_response')
      const warnings = responseOf(await ask(stream, request({oneofKind: 'internal_messages', internal_messages: {wait: false}})), 'internal_messages_response')?.messages?.warning ?? []
      await ask(stream, PbRecord.create({record_type: {oneofKind: 'exit', exit: {exit_code: 0, runtime: 0, not_complete: false}}}))
      result = {artifactId: answer?.artifact_id ?? '', error: answer?.error_message ?? 'no answer to log_artifact', warnings, run}
    } finally {
      await stream.close()
    }
    if (result.error !== '' || result.artifactId === '') throw new ArtifactSaveError('logArtifact', new Error(result.error || 'the server returned no artifact id'))
    const version = await api.graphql.request<ArtifactVersionData>({query: ARTIFACT_VERSION, operationName: 'ArtifactVersion', variables: {id: result.artifactId}}, {policy: api.graphqlPolicy}).then(
      (d) => d?.artifact?.versionIndex ?? undefined,
      () => undefined,
    )
    return {artifactId: result.artifactId, entity: result.run.entity, project: result.run.project, name, version, runId, warnings: result.warnings}
  } finally {
    await api.close()
    if (!handedOver) await deleteStagedFiles(await manifestFromProto(record.manifest), stagingDir)
  }
}

/** Settings for the put run: the SDK's run-folder layout under WANDB_DIR (or the working folder). */
function runSettings(a: {o: PutArtifactOptions; env: Env; cwd: string; runId: string; entity: string; project: string}): Settings {
  const now = new Date()
  const pad = (n: number) => String(n).padStart(2, '0')
  const stamp = `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}_${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`
  let root = join(resolve(a.cwd, a.env.WANDB_DIR || '.'), 'wandb')
  let runDir = join(root, `run-${stamp}-${a.runId}`)
  try {
    mkdirSync(join(runDir, 'files'), {recursive: true})
    mkdirSync(join(runDir, 'logs'), {recursive: true})
  } catch {
    root = join(tmpdir(), 'wandb')
    runDir = join(root, `run-${stamp}-${a.runId}`)
    mkdirSync(join(runDir, 'files'), {recursive: true})
    mkdirSync(join(runDir, 'logs'), {recursive: true})
  }
  const num = (name: string) => {
    const v = envSetting(a.env, name)
    return v === undefined ? undefined : {value: v}
  }
  return Settings.create({
    api_key: {value: a.o.apiKey},
    base_url: {value: a.o.baseUrl},
    entity: {value: a.entity},
    project: {value: a.project},
    run_id: {value: a.runId},
    run_job_type: {value: 'cli_put'},
    root_dir: {value: a.cwd},
    wandb_dir: {value: root},
    sync_dir: {value: runDir},
    sync_file: {value: join(runDir, `run-${a.runId}.wandb`)},
    log_dir: {value: join(runDir, 'logs')},
    log_internal: {value: join(runDir, 'logs', 'debug-internal.log')},
    x_start_time: {value: now.getTime() / 1000},
    console: {value: 'off'},
    x_disable_stats: {value: true},
    host: {value: hostname()},
    program: {value: 'nexus artifact put'},
    silent: {value: true},
    ...(a.o.resume ? {resume: {value: 'allow'}} : {}),
    x_graphql_retry_max: num('graphql_retry_max'),
    x_graphql_retry_wait_min_seconds: num('graphql_retry_wait_min_seconds'),
    x_graphql_retry_wait_max_seconds: num('graphql_retry_wait_max_seconds'),
    x_file_transfer_retry_max: num('file_transfer_retry_max'),
    x_file_transfer_retry_wait_min_seconds: num('file_transfer_retry_wait_min_seconds'),
    x_file_transfer_retry_wait_max_seconds: num('file_transfer_retry_wait_max_seconds'),
    x_file_stream_retry_max: num('file_stream_retry_max'),
    x_file_stream_retry_wait_min_seconds: num('file_stream_retry_wait_min_seconds'),
    x_file_stream_retry_wait_max_seconds: num('file_stream_retry_wait_max_seconds'),
  })
}

const request = (r: Request['request_type']) => PbRecord.create({record_type: {oneofKind: 'request', request: Request.create({request_type: r})}})

/** Queues `record` with a responder and resolves the answer. */
async function ask(stream: RunStream, record: PbRecord): Promise<ServerResponse> {
  const responder = new CapturingResponder()
  await stream.handle(record, responder)
  return responder.answer
}

/** Until `done` settles, asks the stream for its upload figures (poll_exit, as the SDK's progress display does) every `everyMs`. */
async function reportProgress(stream: RunStream, done: Promise<unknown>, onProgress: (p: {doneBytes: number; totalBytes: number}) => void, everyMs: number): Promise<void> {
  let settled = false
  void done.finally(() => {
    settled = true
  })
  while (!settled) {
    let timer: ReturnType<typeof setTimeout> | undefined
    await Promise.race([done.catch(() => {}), new Promise((r) => (timer = setTimeout(r, everyMs)))])
    clearTimeout(timer)
    if (settled) break
    const stats = responseOf(await ask(stream, request({oneofKind: 'poll_exit', poll_exit: {}})), 'poll_exit_response')?.pusher_stats
    if (stats) onProgress({doneBytes: Number(stats.uploaded_bytes), totalBytes: Number(stats.total_bytes)})
  }
}

/** The `kind` payload of a `Result{response}` answer, if that is what came back. */
function responseOf<K extends string>(answer: ServerResponse, kind: K): any {
  const t = answer.server_response_type
  if (t.oneofKind !== 'result_communicate') return undefined
  const r = t.result_communicate.result_type
  if (r.oneofKind !== 'response') return undefined
  const inner = r.response.response_type as {oneofKind?: string}
  return inner.oneofKind === kind ? (inner as unknown as Record<K, unknown>)[kind] : undefined
}

/** Sends header, run (waiting for run_result) and run_start; resolves the server's view of the run. */
async function startRun(stream: RunStream, r: {runId: string; entity: string; project: string; path: string; resume: boolean}): Promise<RunRecord> {
  await stream.handle(PbRecord.create({record_type: {oneofKind: 'header', header: {}}}))
  const now = Date.now()
  const run = RunRecord.create({
    run_id: r.runId,
    entity: r.entity,
    project: r.project,
    job_type: 'cli_put',
    host: hostname(),
    config: {update: [{key: 'path', value_json: JSON.stringify(r.path), nested_key: []}], remove: []},
    start_time: Timestamp.create({seconds: BigInt(Math.floor(now / 1000)), nanos: (now % 1000) * 1e6}),
    resume: r.resume,
  })
  const answer = await ask(stream, PbRecord.create({record_type: {oneofKind: 'run', run}}))
  const t = answer.server_response_type
  if (t.oneofKind === 'error_response') throw new ArtifactRunError(t.error_response.message, 'other')
  const result = t.oneofKind === 'result_communicate' && t.result_communicate.result_type.oneofKind === 'run_result' ? t.result_communicate.result_type.run_result : undefined
  if (!result?.run || result.error) {
    const code = result?.error?.code ?? 0
    throw new ArtifactRunError(result?.error?.message ?? 'no answer', code === 2 ? 'auth' : code === 1 ? 'network' : 'other')
  }
  await ask(stream, request({oneofKind: 'run_start', run_start: {run: result.run}}))
  return result.run
}

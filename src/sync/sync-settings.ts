import {dirname} from 'node:path'
import {type RunRecord, Settings} from '../core/proto.ts'
import type {SweepLink} from './offline-sweep-link.ts'

/** Where and as whom a replay uploads, and what it changes on the way. */
export interface SyncOptions {
  baseUrl: string
  apiKey: string
  entity?: string
  project?: string
  /** Sync to this run id instead of the recorded one. */
  runId?: string
  /** Replace the run's job type. */
  jobType?: string
  /** Rename (or, to "", delete) tags of the run. */
  tagReplacements?: {[oldTag: string]: string}
  skipConsole?: boolean
  /** How often progress is made durable (default CHECKPOINT_MS in run-replayer.ts). */
  checkpointMs?: number
  /** Extra HTTP headers (WANDB__EXTRA_HTTP_HEADERS). */
  extraHeaders?: Record<string, string>
  /** How long to wait for the server to create a run (the SDK's init_timeout; --timeout). */
  timeoutSeconds?: number
  /** The server's sweep for a trial run of an offline sweep (offline-sweep-link.ts). */
  sweepLink?: SweepLink
}

/**
 * The SDK's private tuning settings that `nexus sync` also takes from the environment
 * (WANDB__X → x_x, as the SDK maps them): retry counts, waits and timeouts of each client.
 */
const ENV_TUNING = [
  'x_graphql_retry_max',
  'x_graphql_retry_wait_min_seconds',
  'x_graphql_retry_wait_max_seconds',
  'x_graphql_timeout_seconds',
  'x_file_stream_retry_max',
  'x_file_stream_retry_wait_min_seconds',
  'x_file_stream_retry_wait_max_seconds',
  'x_file_stream_timeout_seconds',
  'x_file_stream_transmit_interval',
  'x_file_stream_max_bytes',
  'x_file_transfer_retry_max',
  'x_file_transfer_retry_wait_min_seconds',
  'x_file_transfer_retry_wait_max_seconds',
  'x_file_transfer_timeout_seconds',
] as const

function envTuning(env: NodeJS.ProcessEnv): Partial<Settings> {
  const out: {[k: string]: {value: number}} = {}
  for (const key of ENV_TUNING) {
    const raw = env[`WANDB__${key.slice(2).toUpperCase()}`]
    const n = raw === undefined ? Number.NaN : Number(raw)
    if (Number.isFinite(n)) out[key] = {value: n}
  }
  return out as Partial<Settings>
}

const s = (value: string) => ({value})
const b = (value: boolean) => ({value})

/**
 * The settings a replayed run runs with: not offline, `syncDir` as sync_dir (the sync's files
 * overlay, whose files/ shows the run's; default the run directory of the .wandb file), the
 * run's id/entity/project (overrides win), the recorded start time, and the server to upload to.
 */
export function syncSettings(file: string, run: RunRecord, o: SyncOptions, env: NodeJS.ProcessEnv = process.env, syncDir: string = dirname(file)): Settings {
  const start = run.start_time ? Number(run.start_time.seconds) + run.start_time.nanos / 1e9 : 0
  return Settings.create({
    ...envTuning(env),
    base_url: s(o.baseUrl),
    api_key: s(o.apiKey),
    run_id: s(o.runId || run.run_id),
    entity: s(o.entity || run.entity),
    project: s(o.project || run.project),
    sync_dir: s(syncDir),
    sync_file: s(file),
    x_start_time: {value: start},
    _offline: b(false),
    x_primary: b(true),
    console: s(o.skipConsole ? 'off' : 'wrap'),
    x_skip_transaction_log: b(true),
    x_extra_http_headers: o.extraHeaders ? {value: o.extraHeaders} : undefined,
    init_timeout: o.timeoutSeconds !== undefined ? {value: o.timeoutSeconds} : undefined,
  })
}

import {FILE_STREAM_POLICY, withOverrides, type HttpClient, type RetryPolicy} from '../api/index.ts'
import type {Logger} from '../observability/index.ts'
import type {Operations} from '../operations/index.ts'
import type {Clock} from '../runtime/index.ts'
import type {FileStreamFatalError} from './errors.ts'
import type {ResponseRateLimiter} from './rate-limiter.ts'

/** Go core's defaults. */
export const DEFAULT_TRANSMIT_INTERVAL_MS = 15_000
export const DEFAULT_HEARTBEAT_PERIOD_MS = 30_000
export const DEFAULT_MAX_REQUEST_BYTES = 10 * 1024 * 1024
export const DEFAULT_MAX_LINE_BYTES = 10 * 1024 * 1024 - 100 * 1024

/**
 * The `x_file_stream_*` settings as the SDK sends them (seconds as doubles; unset or 0 means
 * "default"; seconds are truncated to whole seconds as Go core does). `x_file_stream_no_gzip` is
 * not here: requests are never gzipped.
 */
export interface FileStreamSettings {
  retryMax?: number
  retryWaitMinSeconds?: number
  retryWaitMaxSeconds?: number
  timeoutSeconds?: number
  transmitIntervalSeconds?: number
  /** Can only raise the 10 MiB request size. */
  maxBytes?: number
  /** History and system-metrics lines above it are dropped; the summary's limit is never below the default. */
  maxLineBytes?: number
}

/** Where user-facing messages go (the run's printer: shown in the SDK's terminal). Must not throw. */
export interface Printer {
  warn(text: string): void
  error(text: string): void
}

/** Dependencies and tuning of an HttpFileStream (one per online run). */
export interface FileStreamOptions {
  /** The shared HTTP stack; requests go to `{base}/files/{entity}/{project}/{run}/file_stream` with credentials. */
  http: HttpClient
  settings?: FileStreamSettings
  /** Base retry policy before the settings apply (default FILE_STREAM_POLICY; tests shorten the waits). */
  policy?: RetryPolicy
  /** Overrides the transmit interval from settings; 0 sends whenever the previous request is done. */
  transmitIntervalMs?: number
  /** A `{}` heartbeat goes out when nothing was sent for this long (default 30 s). */
  heartbeatPeriodMs?: number
  /** Extra headers for file_stream only (shared mode's X-WANDB-ASYNC-CLIENT-ID, server-side summary). */
  headers?: Record<string, string>
  clock?: Clock
  logger?: Logger
  printer?: Printer
  /** Setting stop_on_fatal_error: a fatal error also makes isStopped() true. */
  stopOnFatalError?: boolean
  /** Called once when the stream dies. */
  onFatal?: (error: FileStreamFatalError) => void
  /** Aborting cancels the stream (finish_timeout, teardown): the request in flight is cancelled and the outcome is `abandoned`. */
  signal?: AbortSignal
  /** The response-driven rate limiter (default: a fresh one on `clock`). */
  rateLimiter?: ResponseRateLimiter
  /** The run's operations: each request in flight shows as "uploading …" (with its retry status). */
  operations?: Operations
}

/** Numbers resolved from options and settings, with Go core's rules. */
export interface ResolvedTuning {
  policy: RetryPolicy
  transmitIntervalMs: number
  heartbeatPeriodMs: number
  maxRequestBytes: number
  maxLineBytes: number
  maxSummaryBytes: number
}

/** Applies Go core's rules: truncated seconds, 0 meaning default, max bytes only ever raised. */
export function resolveTuning(o: FileStreamOptions): ResolvedTuning {
  const s = o.settings ?? {}
  const positive = (v: number | undefined): number | undefined => (v !== undefined && v > 0 ? v : undefined)
  const intervalSeconds = positive(Math.trunc(s.transmitIntervalSeconds ?? 0))
  const lineBytes = positive(s.maxLineBytes) ?? DEFAULT_MAX_LINE_BYTES
  return {
    policy: withOverrides(o.policy ?? FILE_STREAM_POLICY, {
      maxRetries: s.retryMax,
      waitMinSeconds: s.retryWaitMinSeconds,
      waitMaxSeconds: s.retryWaitMaxSeconds,
      timeoutSeconds: s.timeoutSeconds,
    }),
    transmitIntervalMs: o.transmitIntervalMs ?? (intervalSeconds !== undefined ? intervalSeconds * 1000 : DEFAULT_TRANSMIT_INTERVAL_MS),
    heartbeatPeriodMs: positive(o.heartbeatPeriodMs) ?? DEFAULT_HEARTBEAT_PERIOD_MS,
    maxRequestBytes: Math.max(s.maxBytes ?? 0, DEFAULT_MAX_REQUEST_BYTES),
    maxLineBytes: lineBytes,
    maxSummaryBytes: Math.max(lineBytes, DEFAULT_MAX_LINE_BYTES),
  }
}

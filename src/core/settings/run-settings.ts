import {join} from 'node:path'
import type {Settings} from '../proto.ts'

type Wrapped<T> = {value: T} | undefined

const str = (w: Wrapped<string>, d = ''): string => w?.value ?? d
const num = (w: Wrapped<number>): number | undefined => w?.value
const bool = (w: Wrapped<boolean>, d = false): boolean => w?.value ?? d

/**
 * Read access to the SDK's Settings proto with the defaults Go core applies. Immutable apart from
 * `updateRun`, which records the entity/project/name the server assigned at run init.
 */
export class RunSettings {
  readonly proto: Settings
  #entity: string
  #project: string
  #displayName: string

  constructor(proto: Settings) {
    this.proto = proto
    this.#entity = str(proto.entity)
    this.#project = str(proto.project)
    this.#displayName = str(proto.run_name)
  }

  get runId(): string {
    return str(this.proto.run_id)
  }
  get entity(): string {
    return this.#entity
  }
  get project(): string {
    return this.#project
  }
  get displayName(): string {
    return this.#displayName
  }
  /** After UpsertBucket: the server's names win. */
  updateRun(o: {entity?: string; project?: string; displayName?: string}): void {
    if (o.entity) this.#entity = o.entity
    if (o.project) this.#project = o.project
    if (o.displayName) this.#displayName = o.displayName
  }

  get offline(): boolean {
    return bool(this.proto._offline)
  }
  get shared(): boolean {
    return bool(this.proto._shared)
  }
  get apiKey(): string {
    return str(this.proto.api_key)
  }
  get baseUrl(): string {
    return str(this.proto.base_url, 'https://api.wandb.ai').replace(/\/+$/, '')
  }
  get appUrl(): string {
    return str(this.proto.app_url).replace(/\/+$/, '')
  }
  get syncFile(): string {
    return str(this.proto.sync_file)
  }
  get syncDir(): string {
    return str(this.proto.sync_dir)
  }
  /** Core always uses sync_dir/files (the SDK-only x_files_dir is ignored, as in Go). */
  get filesDir(): string {
    return join(this.syncDir, 'files')
  }
  get logDir(): string {
    return str(this.proto.log_dir)
  }
  get logInternal(): string {
    return str(this.proto.log_internal)
  }
  get wandbDir(): string {
    return str(this.proto.wandb_dir)
  }
  /** x_start_time in seconds since the epoch (0 if unset). */
  get startTime(): number {
    return num(this.proto.x_start_time) ?? 0
  }
  get skipTransactionLog(): boolean {
    return bool(this.proto.x_skip_transaction_log)
  }
  /** Seconds between flushes of the .wandb file (0 = only when buffers fill / at the end). */
  get transactionLogFlushInterval(): number {
    return num(this.proto.x_transaction_log_flush_interval) ?? 15
  }
  get console(): string {
    return str(this.proto.console, 'auto')
  }
  get consoleCaptureEnabled(): boolean {
    return this.console !== 'off'
  }
  get consoleMultipart(): boolean {
    return bool(this.proto.console_multipart)
  }
  get consoleChunkMaxBytes(): number {
    return num(this.proto.console_chunk_max_bytes) ?? 0
  }
  get consoleChunkMaxSeconds(): number {
    return num(this.proto.console_chunk_max_seconds) ?? 0
  }
  get label(): string {
    return str(this.proto.x_label)
  }
  /** x_primary: unset means true. */
  get primary(): boolean {
    return bool(this.proto.x_primary, true)
  }
  /** x_update_finish_state: unset means true. */
  get updateFinishState(): boolean {
    return bool(this.proto.x_update_finish_state, true)
  }
  get serverSideDerivedSummary(): boolean {
    return bool(this.proto.x_server_side_derived_summary)
  }
  get disableStats(): boolean {
    return bool(this.proto.x_disable_stats)
  }
  get disableMeta(): boolean {
    return bool(this.proto.x_disable_meta)
  }
  get disableMachineInfo(): boolean {
    return bool(this.proto.x_disable_machine_info)
  }
  get saveCode(): boolean {
    return bool(this.proto.save_code)
  }
  get disableGit(): boolean {
    return bool(this.proto.disable_git)
  }
  get gitRoot(): string {
    return str(this.proto.git_root)
  }
  get disableGitForkPoint(): boolean {
    return bool(this.proto.disable_git_fork_point)
  }
  get programRelpath(): string {
    return str(this.proto.program_relpath)
  }
  get programAbspath(): string {
    return str(this.proto.program_abspath)
  }
  get program(): string {
    return str(this.proto.program)
  }
  get host(): string {
    return str(this.proto.host)
  }
  get resume(): string {
    return str(this.proto.resume)
  }
  get silent(): boolean {
    return bool(this.proto.silent)
  }
  get ignoreGlobs(): string[] {
    return this.proto.ignore_globs?.value ?? []
  }
  /** Seconds; run initialisation (resume lookup + first upsert) must end before it. */
  get initTimeoutSeconds(): number {
    return num(this.proto.init_timeout) ?? 90
  }
  /** Seconds; 0 = wait for uploads forever at finish. */
  get finishTimeoutSeconds(): number {
    return num(this.proto.finish_timeout) ?? 0
  }
  /** Setting http_proxy: the proxy for http:// W&B requests ('' = none). */
  get httpProxy(): string {
    return str(this.proto.http_proxy)
  }
  /** Setting https_proxy: the proxy for https:// W&B requests ('' = none). */
  get httpsProxy(): string {
    return str(this.proto.https_proxy)
  }
  /** Setting insecure_disable_ssl: skip TLS certificate verification. */
  get insecureDisableSsl(): boolean {
    return bool(this.proto.insecure_disable_ssl)
  }
  get extraHttpHeaders(): Record<string, string> {
    return {...(this.proto.x_extra_http_headers?.value ?? {})}
  }
  get username(): string {
    return str(this.proto.username)
  }
  get email(): string {
    return str(this.proto.email)
  }
  get sweepId(): string {
    return str(this.proto.sweep_id)
  }
  get historyValueEncoding(): string {
    return str(this.proto.x_history_value_encoding, 'json')
  }
  get stopOnFatalError(): boolean {
    return bool(this.proto.stop_on_fatal_error)
  }

  /** Retry/timeout overrides for each HTTP client, as the SDK's x_* settings give them. */
  get graphqlOverrides() {
    const p = this.proto
    return {
      maxRetries: num(p.x_graphql_retry_max),
      waitMinSeconds: num(p.x_graphql_retry_wait_min_seconds),
      waitMaxSeconds: num(p.x_graphql_retry_wait_max_seconds),
      timeoutSeconds: num(p.x_graphql_timeout_seconds),
    }
  }
  get fileStreamOverrides() {
    const p = this.proto
    return {
      maxRetries: num(p.x_file_stream_retry_max),
      waitMinSeconds: num(p.x_file_stream_retry_wait_min_seconds),
      waitMaxSeconds: num(p.x_file_stream_retry_wait_max_seconds),
      timeoutSeconds: num(p.x_file_stream_timeout_seconds),
    }
  }
  get fileTransferOverrides() {
    const p = this.proto
    return {
      maxRetries: num(p.x_file_transfer_retry_max),
      waitMinSeconds: num(p.x_file_transfer_retry_wait_min_seconds),
      waitMaxSeconds: num(p.x_file_transfer_retry_wait_max_seconds),
      timeoutSeconds: num(p.x_file_transfer_timeout_seconds),
    }
  }
  get fileStreamTransmitIntervalSeconds(): number | undefined {
    return num(this.proto.x_file_stream_transmit_interval)
  }
  get fileStreamMaxBytes(): number | undefined {
    return num(this.proto.x_file_stream_max_bytes)
  }
  get fileStreamMaxLineBytes(): number | undefined {
    return num(this.proto.x_file_stream_max_line_bytes)
  }
}

import {randomBytes} from 'node:crypto'
import {mkdir, rename, rm, stat} from 'node:fs/promises'
import {basename, dirname, join} from 'node:path'
import {FILE_TRANSFER_POLICY, type HttpClient, type RetryPolicy} from '../api/index.ts'
import {redactUrl} from '../errors.ts'
import {nullLogger, type Logger} from '../observability/index.ts'
import {withOperation, type Operation} from '../operations/index.ts'
import {DELIVERED, failedDelivery, type Delivery} from './delivery.ts'
import {FileTransferClosedError, LocalFileError} from './errors.ts'
import {Semaphore} from '../runtime/index.ts'
import {TransferStats, type FileKind} from './transfer-stats.ts'
import {headerValue} from './upload-headers.ts'

/** Go core's limit on simultaneous transfers per run, shared by run files and artifacts. */
export const DEFAULT_TRANSFER_CONCURRENCY = 128

/** An upload of a local file (or of `size` bytes of it from `offset`) with a PUT to `url`. */
export interface UploadTask {
  /** The local file. Read when the transfer starts, not when it is queued. */
  path: string
  /** Usually a signed URL. */
  url: string
  /** Headers to send (signed-URL headers); a content-type here is sent as is. */
  headers?: Record<string, string>
  /** Bytes to send from `offset`; the rest of the file when absent. */
  size?: number
  /** First byte to send (for multipart parts); 0 when absent. */
  offset?: number
  /** For the statistics; 'other' when absent. */
  kind?: FileKind
  /** Send credentials (honoured only for URLs under the base URL). Default false: signed URLs never get them. */
  auth?: boolean
  /**
   * The operation this upload is shown as ("uploading config.yaml"): it gets the progress, done of
   * total bytes at file granularity (Bun's fetch sends a file body natively and cannot report how
   * much of it went out), and the retry status. Absent: the caller's current operation gets the
   * retry status, no progress.
   */
  operation?: Operation
}

/** A download of `url` into `path` (written to a temporary file next to it, then renamed). */
export interface DownloadTask {
  url: string
  path: string
  headers?: Record<string, string>
  /** Send credentials (honoured only for URLs under the base URL). Default false. */
  auth?: boolean
  /** The operation shown for this download: bytes written so far (of Content-Length when known) and the retry status. */
  operation?: Operation
  /**
   * Sees every chunk of the body, in order, as it is written (a digest computed on the way saves
   * reading the file again). A delivered download has shown it the whole file exactly once.
   */
  onBytes?: (chunk: Uint8Array) => void
}

/** Dependencies and tuning of a FileTransferManager (one per run, shared by run files and artifacts). */
export interface FileTransferManagerOptions {
  http: HttpClient
  logger?: Logger
  /** Simultaneous transfers; default 128. */
  concurrency?: number
  /** Default FILE_TRANSFER_POLICY (apply x_file_transfer_* settings with withOverrides). */
  policy?: RetryPolicy
  /** Aborting it cancels queued and running transfers (finish_timeout); they end `abandoned`. */
  signal?: AbortSignal
}

/**
 * Uploads and downloads files with bounded concurrency over the shared HTTP stack.
 *
 * - `upload` / `download` queue a transfer and resolve its Delivery once it ended; they never
 *   reject. A transfer started after close() (or after the signal aborted) resolves `abandoned`.
 * - Bodies stream from disk (`Bun.file`), are re-sent whole on each retry, and carry an explicit
 *   content-type (the signed header's, else application/octet-stream).
 * - `close()` stops accepting work and resolves when every accepted transfer ended; idempotent.
 */
export class FileTransferManager {
  readonly stats = new TransferStats()
  readonly #http: HttpClient
  readonly #logger: Logger
  readonly #policy: RetryPolicy
  readonly #signal: AbortSignal | undefined
  readonly #slots: Semaphore
  readonly #running = new Set<Promise<Delivery>>()
  #closed = false

  constructor(opts: FileTransferManagerOptions) {
    this.#http = opts.http
    this.#logger = opts.logger ?? nullLogger
    this.#policy = opts.policy ?? FILE_TRANSFER_POLICY
    this.#signal = opts.signal
    this.#slots = new Semaphore(opts.concurrency ?? DEFAULT_TRANSFER_CONCURRENCY)
  }

  /** Transfers accepted and not yet ended (running or waiting for a slot). */
  get pending(): number {
    return this.#running.size
  }

  /** Transfers holding a slot now (at most the concurrency limit). */
  get active(): number {
    return this.#slots.held
  }

  /** Transfers waiting for a slot. */
  get queued(): number {
    return this.#slots.waiting
  }

  /** Queues an upload; resolves its outcome. Never rejects. */
  upload(task: UploadTask): Promise<Delivery> {
    return this.#track(
      `upload ${task.path}`,
      () => this.#upload(task),
      () => this.stats.failed(task.path),
    )
  }

  /** Queues a download; resolves its outcome. Never rejects. */
  download(task: DownloadTask): Promise<Delivery> {
    return this.#track(`download ${task.path}`, () => this.#download(task))
  }

  /** Refuses new transfers and waits for the accepted ones to end. Idempotent. */
  async close(): Promise<void> {
    this.#closed = true
    while (this.#running.size > 0) await Promise.allSettled([...this.#running])
    this.#logger.debug('filetransfer: closed')
  }

  #track(what: string, run: () => Promise<void>, onFailure?: () => void): Promise<Delivery> {
    if (this.#closed || this.#signal?.aborted) {
      const reason = this.#closed ? 'after close' : 'after the transfers were cancelled'
      return Promise.resolve({status: 'abandoned', error: new FileTransferClosedError(`filetransfer: ${what} requested ${reason}`)})
    }
    const p = (async (): Promise<Delivery> => {
      await this.#slots.acquire()
      try {
        if (this.#signal?.aborted) throw new FileTransferClosedError(`filetransfer: ${what} cancelled`, {cause: this.#signal.reason})
        await run()
        return DELIVERED
      } catch (err) {
        onFailure?.()
        const delivery = failedDelivery(err, this.#policy.retryStatus)
        this.#logger.captureError('filetransfer: transfer failed', err, {what, status: delivery.status})
        return delivery
      } finally {
        this.#slots.release()
      }
    })()
    this.#running.add(p)
    void p.then(() => this.#running.delete(p))
    return p
  }

  async #upload(task: UploadTask): Promise<void> {
    const info = await stat(task.path).catch((err) => {
      throw new LocalFileError(`filetransfer: cannot read ${task.path}: ${(err as Error).message}`, task.path, {cause: err})
    })
    if (info.isDirectory()) throw new LocalFileError(`filetransfer: ${task.path} is a directory`, task.path)
    const offset = task.offset ?? 0
    const size = task.size ?? info.size - offset
    if (offset < 0 || size < 0 || offset + size > info.size) {
      throw new LocalFileError(`filetransfer: range ${offset}+${size} exceeds the ${info.size} bytes of ${task.path}`, task.path)
    }
    this.stats.started(task.path, task.kind ?? 'other', size)
    const headers = {...task.headers}
    if (headerValue(headers, 'content-type') === undefined) headers['content-type'] = 'application/octet-stream'
    const file = Bun.file(task.path)
    const body = size === 0 ? new Uint8Array(0) : offset === 0 && size === info.size ? file : file.slice(offset, offset + size)
    this.#logger.debug('filetransfer: uploading', {path: task.path, url: redactUrl(task.url), size})
    task.operation?.setBytesOfTotal(0, size)
    const res = await withOperation(task.operation, () =>
      this.#http.send({
        method: 'PUT',
        url: task.url,
        body,
        headers,
        policy: this.#policy,
        signal: this.#signal,
        auth: task.auth ?? false,
      }),
    )
    await res.body?.cancel()
    task.operation?.setBytesOfTotal(size, size)
    this.stats.delivered(task.path)
  }

  async #download(task: DownloadTask): Promise<void> {
    const dir = dirname(task.path)
    await mkdir(dir, {recursive: true}).catch((err) => {
      throw new LocalFileError(`filetransfer: cannot create ${dir}: ${(err as Error).message}`, task.path, {cause: err})
    })
    const res = await withOperation(task.operation, () =>
      this.#http.send({
        method: 'GET',
        url: task.url,
        headers: task.headers,
        policy: this.#policy,
        signal: this.#signal,
        auth: task.auth ?? false,
      }),
    )
    const tmp = join(dir, `.${basename(task.path)}.${randomBytes(6).toString('hex')}.tmp`)
    try {
      if (task.operation || task.onBytes) await writeStreaming(tmp, res, task.operation, task.onBytes)
      else await Bun.write(tmp, res)
      await rename(tmp, task.path)
    } catch (err) {
      await rm(tmp, {force: true}).catch(() => {})
      throw new LocalFileError(`filetransfer: cannot store ${task.path}: ${(err as Error).message}`, task.path, {cause: err})
    }
  }
}

/**
 * Streams `res`'s body into `path`, showing the bytes written on `op` (of Content-Length when the
 * server gave one) and handing each chunk to `onBytes`.
 */
async function writeStreaming(path: string, res: Response, op: Operation | undefined, onBytes: ((chunk: Uint8Array) => void) | undefined): Promise<void> {
  const length = Number(res.headers.get('content-length') ?? Number.NaN)
  const total = Number.isFinite(length) && length > 0 ? length : undefined
  const show = (done: number) => {
    if (op === undefined) return
    if (total === undefined) op.setBytesDone(done)
    else op.setBytesOfTotal(done, total)
  }
  const sink = Bun.file(path).writer()
  let done = 0
  show(0)
  try {
    if (res.body) {
      for await (const chunk of res.body) {
        onBytes?.(chunk)
        sink.write(chunk)
        done += chunk.byteLength
        show(done)
      }
    }
  } finally {
    await sink.end()
  }
}

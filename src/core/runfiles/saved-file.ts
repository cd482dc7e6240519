import type {Delivery, FileKind, FileTransferManager} from '../filetransfer/index.ts'
import type {Logger} from '../observability/index.ts'
import type {Operations} from '../operations/index.ts'

/** Base64 MD5 of a file's bytes (what the server stores as the file's md5), streamed from disk. */
export async function fileB64Md5(path: string): Promise<string> {
  const hasher = new Bun.CryptoHasher('md5')
  for await (const chunk of Bun.file(path).stream()) hasher.update(chunk)
  return hasher.digest('base64')
}

interface Job {
  url: string
  headers: Record<string, string>
}

/**
 * One file of the run's files directory and its uploads. Uploads of the same file never overlap:
 * a request made while one runs replaces any waiting request (the newest URL wins) and runs
 * after it. Before each upload the MD5 is compared with the last delivered content, and an
 * unchanged file is not sent again. `outcome` is the result of the latest upload attempt.
 */
export class SavedFile {
  readonly runPath: string
  readonly realPath: string
  kind: FileKind = 'other'
  outcome: Delivery | undefined
  readonly #transfers: FileTransferManager
  readonly #onDelivered: (runPath: string) => void
  readonly #logger: Logger
  readonly #operations: Operations | undefined
  #next: Job | undefined
  #draining: Promise<void> | undefined
  #lastMd5: string | undefined

  /** `operations`: each upload shows as "uploading <run path>" (queued or sending) with its progress. */
  constructor(runPath: string, realPath: string, deps: {transfers: FileTransferManager; onDelivered: (runPath: string) => void; logger: Logger; operations?: Operations}) {
    this.runPath = runPath
    this.realPath = realPath
    this.#transfers = deps.transfers
    this.#onDelivered = deps.onDelivered
    this.#logger = deps.logger
    this.#operations = deps.operations
  }

  /** Schedules an upload to `url`; returns at once. */
  upload(url: string, headers: Record<string, string>): void {
    this.#next = {url, headers}
    this.#draining ??= this.#drain()
  }

  /** Resolves when no upload of this file is running or waiting. */
  idle(): Promise<void> {
    return this.#draining ?? Promise.resolve()
  }

  async #drain(): Promise<void> {
    try {
      while (this.#next) {
        const job = this.#next
        this.#next = undefined
        await this.#uploadOnce(job).catch((err) => this.#logger.captureError('runfiles: upload step failed', err, {path: this.runPath}))
      }
    } finally {
      this.#draining = undefined
    }
  }

  async #uploadOnce(job: Job): Promise<void> {
    const md5 = await fileB64Md5(this.realPath).catch(() => undefined)
    if (md5 !== undefined && md5 === this.#lastMd5) {
      this.#logger.debug('runfiles: unchanged since the last upload, skipped', {path: this.runPath})
      return
    }
    const operation = this.#operations?.start(`uploading ${this.runPath}`)
    const delivery = await this.#transfers.upload({path: this.realPath, url: job.url, headers: job.headers, kind: this.kind, operation})
    operation?.finish()
    this.outcome = delivery
    if (delivery.status !== 'delivered') return
    this.#lastMd5 = md5
    this.#onDelivered(this.runPath)
  }
}

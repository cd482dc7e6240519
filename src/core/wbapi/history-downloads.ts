import {join} from 'node:path'
import {Operations} from '../operations/index.ts'
import type {OperationStats} from '../proto.ts'
import type {ApiFailure} from './responses.ts'
import type {SessionConnection} from './session-connection.ts'
import {downloadToFile, sendTransfer} from './transfer.ts'

/** A run's exported parquet history, waiting to be downloaded into `dir`. */
export interface HistoryDownload {
  entity: string
  project: string
  runId: string
  dir: string
  urls: string[]
}

/** What a finished download answers: the files written, and per file (or "error") what failed. */
export interface HistoryDownloadResult {
  downloadedFiles: string[]
  errors: Record<string, string>
}

/**
 * The run-history downloads of one session, by request id. A download is registered by
 * download_run_history_init, run once by download_run_history (then forgotten), and its progress
 * read by download_run_history_status meanwhile.
 */
export class HistoryDownloads {
  readonly #ids: () => number
  readonly #pending = new Map<number, {download: HistoryDownload; operations: Operations}>()

  /** `ids` hands out request ids (shared with the session's history scans). */
  constructor(ids: () => number) {
    this.#ids = ids
  }

  /** Registers a download and returns its request id. */
  add(download: HistoryDownload): number {
    const id = this.#ids()
    this.#pending.set(id, {download, operations: new Operations()})
    return id
  }

  /** The progress of download `id`, or undefined when there is no such download (any more). */
  status(id: number): OperationStats | undefined {
    return this.#pending.get(id)?.operations.stats()
  }

  /**
   * Runs download `id` and forgets it. Sizes every file first (HEAD, as Go core does; a failure
   * there ends the download with one "error" entry), then downloads all files at once into
   * `<dir>/<entity>_<project>_<run>_<i>.runhistory.parquet`. Undefined for an unknown id.
   */
  async run(t: SessionConnection, id: number, signal: AbortSignal): Promise<HistoryDownloadResult | undefined> {
    const entry = this.#pending.get(id)
    if (!entry) return undefined
    const {download, operations} = entry
    const parent = operations.start('Downloading run history')
    try {
      const files = download.urls.map((url, i) => {
        const name = `${download.entity}_${download.project}_${download.runId}_${i}.runhistory.parquet`
        return {name, url, path: join(download.dir, name)}
      })
      for (const f of files) {
        const head = await sendTransfer(t, 'download', {method: 'HEAD', url: f.url, headers: {}, auth: false}, signal)
        if ('failure' in head) return {downloadedFiles: [], errors: {error: head.failure.message}}
        await head.res.body?.cancel()
      }
      const result: HistoryDownloadResult = {downloadedFiles: [], errors: {}}
      await Promise.all(
        files.map(async (f) => {
          const op = parent.subtask(f.name)
          const failure: ApiFailure | undefined = await downloadToFile(t, {method: 'GET', url: f.url, headers: {}, auth: false, path: f.path}, signal)
          op.finish()
          if (failure) result.errors[f.path] = failure.message
          else result.downloadedFiles.push(f.path)
        }),
      )
      return result
    } finally {
      parent.finish()
      this.#pending.delete(id)
    }
  }
}

/**
 * Upload statistics for the SDK's poll_exit answer: bytes (pusher_stats) and files by kind
 * (file_counts, shown as "Synced N W&B file(s), M media file(s)…").
 */

/** What a file is, for the counts: a W&B-internal file, media, an artifact file, or anything else. */
export type FileKind = 'wandb' | 'media' | 'artifact' | 'other'

/** A snapshot of the statistics. Byte counts are numbers (files beyond 2^53 bytes do not occur). */
export interface TransferStatsSnapshot {
  uploadedBytes: number
  totalBytes: number
  counts: Record<FileKind, number>
}

interface Entry {
  kind: FileKind
  uploaded: number
  total: number
}

/**
 * Per-path accounting (a file uploaded twice counts once, with its latest size), like Go core.
 * An upload counts from the moment it starts (uploaded 0 of its size) and is complete once
 * delivered; a failed upload is removed again, since its outcome reports it instead.
 * All methods are synchronous and cheap; poll_exit reads `snapshot()` whenever it is asked.
 */
export class TransferStats {
  readonly #byPath = new Map<string, Entry>()
  #done = false

  /** Records that an upload of `size` bytes of `path` started. */
  started(path: string, kind: FileKind, size: number): void {
    this.#byPath.set(path, {kind, uploaded: 0, total: size})
  }

  /** Records that the upload of `path` was delivered. */
  delivered(path: string): void {
    const e = this.#byPath.get(path)
    if (e) e.uploaded = e.total
  }

  /** Forgets an upload that failed. */
  failed(path: string): void {
    this.#byPath.delete(path)
  }

  /** Marks all uploads of the run finished (poll_exit's `done`); idempotent. */
  setDone(): void {
    this.#done = true
  }

  /** Whether setDone() was called. */
  get done(): boolean {
    return this.#done
  }

  /** The current totals (a fresh object each call). */
  snapshot(): TransferStatsSnapshot {
    const out: TransferStatsSnapshot = {uploadedBytes: 0, totalBytes: 0, counts: {wandb: 0, media: 0, artifact: 0, other: 0}}
    for (const e of this.#byPath.values()) {
      out.uploadedBytes += e.uploaded
      out.totalBytes += e.total
      out.counts[e.kind]++
    }
    return out
  }
}

/**
 * The file phase of an artifact save (Go saver.go uploadFiles/processFiles): upload URLs are asked
 * for in CreateArtifactFiles batches (25 specs at first, then sized for about a minute of
 * uploads, at most 2000; at most 5 batches' worth of files in flight), answers are matched to
 * specs by index, stored content (`uploadUrl: null`) is skipped, the rest is PUT without
 * credentials, files of 2 GiB and more in parts. Failed files are retried with fresh URLs for as
 * long as each round uploads more than half of what was left.
 */
import {stat} from 'node:fs/promises'
import type {GraphQLClient, HttpClient, RetryPolicy} from '../api/index.ts'
import {parseUploadHeaders, type FileTransferManager} from '../filetransfer/index.ts'
import type {Semaphore} from '../runtime/index.ts'
import type {Logger} from '../observability/index.ts'
import type {Operation} from '../operations/index.ts'
import {hexToB64} from './digests.ts'
import {ArtifactError, ArtifactTransferError} from './errors.ts'
import {COMPLETE_MULTIPART_UPLOAD, CREATE_ARTIFACT_FILES, type CreateArtifactFilesData, type FileNode, type FileSpec, type UploadPart} from './gql-save.ts'
import type {Manifest, ManifestEntry} from './manifest.ts'
import {multipartContentType, multipartParts, partRanges, partSize} from './multipart.ts'

/** Go's file-transfer concurrency, which the batch sizes are derived from. */
const TRANSFER_CONCURRENCY = 128

/** What the file phase needs from its saver. */
export interface FileUploadDeps {
  graphql: GraphQLClient
  http: HttpClient
  transfers: FileTransferManager
  logger: Logger
  graphqlPolicy: RetryPolicy
  transferPolicy: RetryPolicy
  signal: AbortSignal
  /** Bounds the multipart part PUTs of all saves together. */
  partLimiter: Semaphore
  /** Files of at least this many bytes go multipart (default 2 GiB; tests lower it). */
  multipartThreshold?: number
  /** Part size override (tests); default partSize(fileSize). */
  multipartPartSize?: number
  /** Batches of URL requests whose files may be in flight at once (Go: 5). */
  maxActiveBatches?: number
  now?: () => number
  /** Called for every entry the server acknowledged (the saver copies it into the cache). */
  onEntry?: (entry: ManifestEntry) => void
}

type Spec = FileSpec & {localPath: string}

/**
 * Uploads every entry of `manifest` that has a local file and sets each one's birthArtifactId.
 * Throws ArtifactError when URLs cannot be had or most of the remaining files keep failing.
 */
export async function uploadArtifactFiles(d: FileUploadDeps, artifactId: string, manifestId: string, manifest: Manifest, op?: Operation): Promise<void> {
  let remaining = new Map<string, Spec>()
  for (const [name, entry] of manifest.contents) {
    if (entry.localPath === undefined) continue
    const info = await stat(entry.localPath).catch((err: Error) => {
      throw new ArtifactError(`artifacts: cannot read ${entry.localPath} (${name}): ${err.message}`, {cause: err})
    })
    const parts = await multipartParts(entry.localPath, info.size, {threshold: d.multipartThreshold, partSize: d.multipartPartSize})
    remaining.set(name, {artifactID: artifactId, artifactManifestID: manifestId, md5: entry.digest, mimetype: null, name, uploadPartsInput: parts, localPath: entry.localPath})
  }
  const round = new UploadRound(d, manifest, op)
  while (remaining.size > 0) {
    const before = remaining.size
    remaining = await round.run(remaining)
    if (remaining.size > Math.floor(before / 2)) {
      throw new ArtifactTransferError(`artifacts: most remaining uploads (${remaining.size}/${before}) have failed, giving up`, {cause: round.lastError})
    }
    if (remaining.size > 0) d.logger.warn('artifacts: some files failed to upload, retrying', {count: remaining.size})
  }
}

/** One saver's upload state across retry rounds (done counter and start time drive the batch size). */
class UploadRound {
  readonly #d: FileUploadDeps
  readonly #manifest: Manifest
  readonly #op: Operation | undefined
  readonly #now: () => number
  readonly #maxActiveBatches: number
  #done = 0
  #start: number
  lastError: Error | undefined

  constructor(d: FileUploadDeps, manifest: Manifest, op: Operation | undefined) {
    this.#d = d
    this.#manifest = manifest
    this.#op = op
    this.#now = d.now ?? Date.now
    this.#maxActiveBatches = d.maxActiveBatches ?? 5
    this.#start = this.#now()
  }

  /** Go's batchSize: 25 until 128 files are done and a second passed, then ~1 minute of files (≤ 2000). */
  batchSize(): number {
    const min = Math.floor(TRANSFER_CONCURRENCY / this.#maxActiveBatches)
    const max = Math.floor(10_000 / this.#maxActiveBatches)
    const elapsed = this.#now() - this.#start
    if (this.#done < TRANSFER_CONCURRENCY || elapsed < 1000) return min
    const perMinute = Math.floor(this.#done / (elapsed / 60_000))
    return Math.max(Math.min(max, perMinute), min)
  }

  /** One pass over `specs`; resolves the specs that must be retried. Throws when URLs cannot be had. */
  async run(specs: Map<string, Spec>): Promise<Map<string, Spec>> {
    const queue = [...specs.values()]
    const failed = new Map<string, Spec>()
    const inflight = new Set<Promise<void>>()
    let active = 0
    let fatal: unknown
    // One wake-up per settled promise. (Promise.race over the in-flight set added a reaction to
    // every pending upload on each pass: quadratic in the files in flight, 37% of the CPU of a
    // 10k-file put.) Nothing runs between the size check and the wait, so no wake-up is lost.
    let wake: (() => void) | undefined
    const track = (p: Promise<void>) => {
      const tracked = p
        .catch((err) => void (fatal ??= err))
        .finally(() => {
          inflight.delete(tracked)
          const w = wake
          wake = undefined
          w?.()
        })
      inflight.add(tracked)
    }
    const finished = (spec: Spec, ok: boolean, error?: Error) => {
      active--
      if (ok) this.#done++
      else {
        failed.set(spec.name, spec)
        this.lastError = error
      }
    }
    while ((queue.length > 0 && fatal === undefined) || inflight.size > 0) {
      while (fatal === undefined && queue.length > 0 && active <= (this.#maxActiveBatches - 1) * this.batchSize()) {
        const batch = queue.splice(0, this.batchSize())
        active += batch.length
        track(
          this.#requestUrls(batch).then((nodes) => {
            for (const [i, node] of nodes.entries()) {
              const spec = batch[i]
              const entry = this.#manifest.contents.get(spec.name)!
              entry.birthArtifactId = node.artifact!.id
              this.#d.onEntry?.(entry)
              if (!node.uploadUrl) finished(spec, true)
              else
                track(
                  this.#upload(spec, node).then(
                    () => finished(spec, true),
                    (err: Error) => finished(spec, false, err),
                  ),
                )
            }
          }),
        )
      }
      if (inflight.size > 0) await new Promise<void>((resolve) => (wake = resolve))
    }
    if (fatal !== undefined) throw fatal
    return failed
  }

  async #requestUrls(batch: Spec[]): Promise<FileNode[]> {
    let data: CreateArtifactFilesData
    try {
      data = await this.#d.graphql.request<CreateArtifactFilesData>(
        {
          query: CREATE_ARTIFACT_FILES,
          operationName: 'CreateArtifactFiles',
          variables: {input: {artifactFiles: batch.map(({localPath: _l, ...spec}) => spec), clientMutationId: null, cloudRegionID: null, storageLayout: 'V2'}},
        },
        {policy: this.#d.graphqlPolicy, signal: this.#d.signal},
      )
    } catch (err) {
      throw new ArtifactError(`artifacts: requesting upload URLs failed: ${(err as Error).message}`, {cause: err})
    }
    const edges = data?.createArtifactFiles?.files?.edges ?? []
    if (edges.length !== batch.length) throw new ArtifactError(`artifacts: expected ${batch.length} upload URLs, got ${edges.length}`)
    return edges.map((e, i) => {
      if (!e?.node?.artifact?.id) throw new ArtifactError(`artifacts: the upload URL answer for ${batch[i].name} has no artifact`)
      return e.node
    })
  }

  async #upload(spec: Spec, node: FileNode): Promise<void> {
    const sub = this.#op?.subtask(spec.name)
    try {
      if (node.uploadMultipartUrls && spec.uploadPartsInput) {
        await uploadMultipart(this.#d, spec, node)
        return
      }
      const {headers, malformed} = parseUploadHeaders(node.uploadHeaders ?? [])
      if (malformed.length > 0) this.#d.logger.warn('artifacts: upload: malformed upload headers', {count: malformed.length})
      const delivery = await this.#d.transfers.upload({path: spec.localPath, url: node.uploadUrl!, headers, kind: 'artifact', operation: sub})
      if (delivery.status !== 'delivered') throw new ArtifactTransferError(`artifacts: uploading ${spec.name} failed (${delivery.status})`, {cause: delivery.error})
    } finally {
      sub?.finish()
    }
  }
}

/**
 * PUTs the parts of one file to the signed part URLs (Content-MD5, Content-Length and the
 * Content-Type of the upload headers), collects each part's ETag, and completes the upload with
 * CompleteMultipartUploadArtifact.
 */
async function uploadMultipart(d: FileUploadDeps, spec: Spec, node: FileNode): Promise<void> {
  const urls = node.uploadMultipartUrls!
  const parts = spec.uploadPartsInput!
  const size = (await stat(spec.localPath)).size
  const ranges = partRanges(size, d.multipartPartSize ?? partSize(size))
  if (ranges.length !== parts.length) throw new ArtifactError(`artifacts: ${spec.name} changed size while uploading (${ranges.length} parts, ${parts.length} announced)`)
  const contentType = multipartContentType(node.uploadHeaders ?? [])
  const urlByPart = new Map(urls.uploadUrlParts.map((p) => [p.partNumber, p.uploadUrl]))
  d.transfers.stats.started(spec.localPath, 'artifact', size)
  try {
    const file = Bun.file(spec.localPath)
    const completed: UploadPart[] = await Promise.all(
      ranges.map((r, i) =>
        d.partLimiter.run(async () => {
          const url = urlByPart.get(r.partNumber)
          if (!url) throw new ArtifactError(`artifacts: no upload URL for part ${r.partNumber} of ${spec.name}`)
          const res = await d.http.send({
            method: 'PUT',
            url,
            policy: d.transferPolicy,
            signal: d.signal,
            auth: false,
            body: file.slice(r.offset, r.offset + r.size),
            headers: {'Content-MD5': hexToB64(parts[i].hexMD5), 'Content-Length': String(r.size), 'Content-Type': contentType},
          })
          await res.body?.cancel()
          const etag = res.headers.get('etag')
          if (!etag) throw new ArtifactError(`artifacts: no ETag in the answer to part ${r.partNumber} of ${spec.name}`)
          return {partNumber: r.partNumber, hexMD5: etag}
        }),
      ),
    )
    await d.graphql.request(
      {
        query: COMPLETE_MULTIPART_UPLOAD,
        operationName: 'CompleteMultipartUploadArtifact',
        variables: {completeMultipartAction: 'Complete', completedParts: completed, artifactID: node.artifact!.id, storagePath: node.storagePath ?? '', uploadID: urls.uploadID},
      },
      {policy: d.graphqlPolicy, signal: d.signal},
    )
    d.transfers.stats.delivered(spec.localPath)
  } catch (err) {
    d.transfers.stats.failed(spec.localPath)
    throw err
  }
}

/**
 * Downloads an artifact version into a folder (wandb-core's own path, downloader.go): the manifest
 * through its URL (ArtifactManifest), the file URLs in batches of 5000 (ArtifactFileURLsByManifestEntries).
 * Every path is checked before anything is written; files already present with the right MD5, or
 * in the cache, are not fetched; fetched files are verified against their MD5 before they appear
 * under their name (temporary file + rename), then copied into the cache. A failed download whose
 * URL was handed out more than an hour ago is retried once with a fresh URL (expired signature).
 */
import {rename, rm} from 'node:fs/promises'
import {FILE_TRANSFER_POLICY, GRAPHQL_POLICY, type GraphQLClient, type HttpClient, type RetryPolicy} from '../api/index.ts'
import type {FileTransferManager} from '../filetransfer/index.ts'
import {type Logger} from '../observability/index.ts'
import type {Operation} from '../operations/index.ts'
import {ArtifactError, ArtifactNotFoundError, ArtifactTransferError, DigestMismatchError} from './errors.ts'
import {hasDigest, tempPathNear, type ArtifactFileCache} from './file-cache.ts'
import {ARTIFACT_FILE_URLS_BY_MANIFEST_ENTRIES, ARTIFACT_MANIFEST, type ArtifactManifestData, type FileUrlsData} from './gql-download.ts'
import {Semaphore} from '../runtime/index.ts'
import {isXxh128, parseManifest, type Manifest, type ManifestEntry} from './manifest.ts'
import {safeJoin} from './safe-path.ts'

/** File URLs asked for per request (Go BATCH_SIZE). */
const URL_BATCH = 5000
/** Files being fetched, verified and cached at once. */
const FILE_TASKS = 64
/** A signed URL older than this may have expired: a failed download gets a fresh one. */
const URL_MAX_AGE_MS = 60 * 60 * 1000

/** What a download uses: the run's (or the CLI's) HTTP stack and transfer manager. */
export interface DownloaderDeps {
  graphql: GraphQLClient
  http: HttpClient
  transfers: FileTransferManager
  /** The local cache; unused when a request skips it. */
  cache: ArtifactFileCache
  logger?: Logger
  graphqlPolicy?: RetryPolicy
  transferPolicy?: RetryPolicy
  signal?: AbortSignal
  now?: () => number
}

/** One download (the fields of a DownloadArtifactRequest). */
export interface DownloadRequest {
  artifactId: string
  root: string
  /** Neither read nor fill the cache (files already in `root` with the right MD5 are still kept). */
  skipCache?: boolean
  /** Only paths starting with this (forward slashes). */
  pathPrefix?: string
  operation?: Operation
  /** Bytes of the wanted files in place so far (reused or downloaded), after each file. */
  onProgress?: (p: TransferProgress) => void
}

/** How far a transfer is, in bytes and files. */
export interface TransferProgress {
  doneBytes: number
  totalBytes: number
  doneFiles: number
  totalFiles: number
}

/** What a download did. */
export interface DownloadResult {
  manifest: Manifest
  /** Files fetched from the server. */
  downloaded: number
  /** Files already in place or restored from the cache. */
  reused: number
  /** Reference entries (s3://, https://…), which only the SDK's storage handlers can fetch. */
  skippedReferences: string[]
}

/** Downloads `req.artifactId` into `req.root`. Throws ArtifactError subclasses; never leaves a partial file. */
export async function downloadArtifact(d: DownloaderDeps, req: DownloadRequest): Promise<DownloadResult> {
  const o = {policy: d.graphqlPolicy ?? GRAPHQL_POLICY, signal: d.signal}
  const manifest = await fetchManifest(d, req.artifactId, o)
  const wanted: Array<[string, ManifestEntry, string]> = []
  const skippedReferences: string[] = []
  for (const [path, entry] of manifest.contents) {
    if (req.pathPrefix && !path.startsWith(req.pathPrefix)) continue
    const dst = safeJoin(req.root, path)
    if (entry.ref === undefined && isXxh128(entry)) throw new ArtifactError(`artifacts: ${path} is hashed with XXH128, which nexus cannot verify; download this artifact with the Python SDK`)
    if (entry.ref !== undefined) skippedReferences.push(path)
    else wanted.push([path, entry, dst])
  }
  const result: DownloadResult = {manifest, downloaded: 0, reused: 0, skippedReferences}
  const progress: TransferProgress = {doneBytes: 0, totalBytes: wanted.reduce((n, [, e]) => n + e.size, 0), doneFiles: 0, totalFiles: wanted.length}
  const fileDone = (entry: ManifestEntry) => {
    progress.doneBytes += entry.size
    progress.doneFiles++
    req.onProgress?.({...progress})
  }
  req.onProgress?.({...progress})
  const missing: Array<[string, ManifestEntry, string]> = []
  for (const item of wanted) {
    const [, entry, dst] = item
    const ok = req.skipCache ? await hasDigest(dst, entry.digest) : await d.cache.restoreTo(entry, dst)
    if (ok) {
      result.reused++
      fileDone(entry)
    } else {
      missing.push(item)
    }
  }
  const tasks = new Semaphore(FILE_TASKS)
  const now = d.now ?? Date.now
  for (let i = 0; i < missing.length; i += URL_BATCH) {
    const batch = missing.slice(i, i + URL_BATCH)
    const urls = await fileUrls(d, req.artifactId, manifest, batch, o)
    const issuedAt = now()
    const outcomes = await Promise.allSettled(
      batch.map(([path, entry, dst]) =>
        tasks.run(async () => {
          const sub = req.operation?.subtask(path)
          try {
            const fetch = (url: string) => fetchVerified(d, url, entry, dst, path, !req.skipCache)
            await fetch(urls.get(path)!).catch(async (err) => {
              if (now() - issuedAt < URL_MAX_AGE_MS) throw err
              const fresh = await fileUrls(d, req.artifactId, manifest, [[path, entry, dst]], o)
              await fetch(fresh.get(path)!)
            })
            fileDone(entry)
          } finally {
            sub?.finish()
          }
        }),
      ),
    )
    const failure = outcomes.find((r) => r.status === 'rejected')
    result.downloaded += outcomes.filter((r) => r.status === 'fulfilled').length
    if (failure) throw (failure as PromiseRejectedResult).reason
  }
  return result
}

async function fetchManifest(d: DownloaderDeps, artifactId: string, o: {policy: RetryPolicy; signal?: AbortSignal}): Promise<Manifest> {
  const data = await d.graphql.request<ArtifactManifestData>({query: ARTIFACT_MANIFEST, operationName: 'ArtifactManifest', variables: {artifact_id: artifactId}}, o)
  if (!data?.artifact) throw new ArtifactNotFoundError(`artifact ${artifactId}`)
  const url = data.artifact.currentManifest?.file?.directUrl
  if (!url) throw new ArtifactNotFoundError(`manifest for artifact ${artifactId}`, 'the server has none')
  const res = await d.http.send({method: 'GET', url, policy: d.transferPolicy ?? FILE_TRANSFER_POLICY, signal: d.signal, auth: false})
  return parseManifest(await res.text())
}

/** Download URLs for `batch`, by path; re-asks once for entries the server left out, then fails. */
async function fileUrls(
  d: DownloaderDeps,
  artifactId: string,
  manifest: Manifest,
  batch: Array<[string, ManifestEntry, string]>,
  o: {policy: RetryPolicy; signal?: AbortSignal},
): Promise<Map<string, string>> {
  const urls = new Map<string, string>()
  for (let attempt = 0; attempt < 2; attempt++) {
    const ask = batch.filter(([path]) => !urls.has(path))
    if (ask.length === 0) break
    const data = await d.graphql.request<FileUrlsData>(
      {
        query: ARTIFACT_FILE_URLS_BY_MANIFEST_ENTRIES,
        operationName: 'ArtifactFileURLsByManifestEntries',
        variables: {
          id: artifactId,
          entries: ask.map(([name, e]) => ({name, digest: e.digest, birthArtifactID: e.birthArtifactId ?? null, size: e.size})),
          storageLayout: manifest.storagePolicyConfig.storageLayout,
          manifestVersion: String(manifest.version),
          storageRegion: manifest.storagePolicyConfig.storageRegion ?? null,
        },
      },
      o,
    )
    const conn = data?.artifact?.filesByManifestEntries
    if (!conn) throw new ArtifactNotFoundError(`artifact ${artifactId}`, 'the server returned no file URLs')
    for (const edge of conn.edges) if (edge?.node?.directUrl) urls.set(edge.node.name, edge.node.directUrl)
  }
  const left = batch.filter(([path]) => !urls.has(path))
  if (left.length > 0) throw new ArtifactError(`artifacts: the server gave no download URL for ${left.length} file(s), e.g. ${JSON.stringify(left[0][0])}`)
  return urls
}

/**
 * GET `url` into a temporary file beside `dst`, hashing the bytes as they are written; check the
 * MD5, copy the verified file into the cache when `cache` (a failure there is logged, the download
 * stands), then rename it into place.
 */
async function fetchVerified(d: DownloaderDeps, url: string, entry: ManifestEntry, dst: string, path: string, cache: boolean): Promise<void> {
  const tmp = tempPathNear(dst)
  try {
    const hasher = new Bun.CryptoHasher('md5')
    const delivery = await d.transfers.download({url, path: tmp, onBytes: (chunk) => hasher.update(chunk)})
    if (delivery.status !== 'delivered') throw new ArtifactTransferError(`artifacts: downloading ${path} failed (${delivery.status})`, {cause: delivery.error})
    const actual = hasher.digest('base64')
    if (actual !== entry.digest) throw new DigestMismatchError(path, entry.digest, actual)
    if (cache) await d.cache.addVerified(tmp, actual).catch((err) => d.logger?.captureError('artifacts: cannot add a download to the cache', err))
    await rename(tmp, dst)
  } finally {
    await rm(tmp, {force: true}).catch(() => {})
  }
}

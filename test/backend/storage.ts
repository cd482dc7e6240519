/**
 * The "signed URL" object storage on the same server (no authentication, like signed URLs):
 *   PUT/GET /_storage/runs/{runStorageId}/{file path}   run files (CreateRunFiles URLs)
 *   PUT/GET /_storage/blobs/{hex md5}                   artifact files; a PUT must match its MD5
 *   PUT/GET /_storage/manifests/{manifestId}            artifact manifests
 *   PUT     /_storage/multipart/{uploadId}/{part}       multipart parts; answers an ETag
 * plus the SDK's authenticated download fallbacks `GET /artifactsV2/…/{hex md5}/{name}` and
 * `GET /artifacts/{entity}/{hex md5}`. GETs honour a single `Range: bytes=a-b`. Every body is
 * stored content-addressed in the blob table.
 */
import type {Store} from './store/index.ts'
import {md5Hex} from './store/index.ts'

/** A storage answer. */
export interface StorageResult {
  status: number
  body?: Uint8Array | string
  headers?: Record<string, string>
}

const NOT_FOUND: StorageResult = {status: 404, body: 'not found'}

/** Handles a request under /_storage/ (`rest` is the path after it, still URL-encoded). */
export function handleStorage(store: Store, method: string, rest: string, body: Uint8Array | null, range: string | null): StorageResult {
  const parts = rest.split('/').map(decodeURIComponent)
  const [kind, id] = parts
  if (kind === 'runs' && parts.length >= 3) {
    const runId = Number(id)
    const name = parts.slice(2).join('/')
    if (!store.runs.get(runId)) return NOT_FOUND
    if (method === 'PUT') {
      const data = body ?? new Uint8Array()
      store.tx(() => store.runFiles.putContent(runId, name, store.blobs.store(data), data.byteLength))
      return {status: 200, body: ''}
    }
    const f = store.runFiles.file(runId, name)
    return method === 'GET' && f?.md5 ? serveBlob(store, f.md5, range) : NOT_FOUND
  }
  if (kind === 'blobs' && parts.length === 2) {
    if (method === 'PUT') {
      const data = body ?? new Uint8Array()
      const md5 = md5Hex(data)
      if (md5 !== id) return {status: 400, body: `BadDigest: content MD5 is not ${id}`}
      store.blobs.store(data, md5)
      return {status: 200, body: '', headers: {ETag: `"${id}"`}}
    }
    return method === 'GET' ? serveBlob(store, id, range) : NOT_FOUND
  }
  if (kind === 'manifests' && parts.length === 2) {
    const m = store.artifacts.manifest(Number(id))
    if (!m) return NOT_FOUND
    if (method === 'PUT') {
      const data = body ?? new Uint8Array()
      store.tx(() => store.artifacts.setManifestContent(m.id, store.blobs.store(data)))
      return {status: 200, body: ''}
    }
    return method === 'GET' && m.md5 ? serveBlob(store, m.md5, range) : NOT_FOUND
  }
  if (kind === 'multipart' && parts.length === 3 && method === 'PUT') {
    if (!store.multipart.exists(id)) return NOT_FOUND
    const md5 = store.multipart.addPart(id, Number(parts[2]), body ?? new Uint8Array())
    return {status: 200, body: '', headers: {ETag: `"${md5}"`}}
  }
  return NOT_FOUND
}

/**
 * The SDK's fallback download paths: the blob is the path segment that is a hex MD5 (V2: second
 * to last; V1 `/artifacts/{entity}/{md5}`: last).
 */
export function handleArtifactDownload(store: Store, path: string, range: string | null): StorageResult {
  const segments = path.split('/').filter((s) => s !== '')
  const hex = segments.reverse().find((s) => /^[0-9a-f]{32}$/.test(s))
  return hex ? serveBlob(store, hex, range) : NOT_FOUND
}

function serveBlob(store: Store, md5: string, range: string | null): StorageResult {
  const data = store.blobs.read(md5)
  if (!data) return NOT_FOUND
  const headers: Record<string, string> = {ETag: `"${md5}"`, 'Content-Type': 'application/octet-stream', 'Accept-Ranges': 'bytes'}
  const m = range ? /^bytes=(\d*)-(\d*)$/.exec(range.trim()) : null
  if (!m || (m[1] === '' && m[2] === '')) return {status: 200, body: data, headers}
  const size = data.byteLength
  const start = m[1] === '' ? Math.max(0, size - Number(m[2])) : Number(m[1])
  const end = m[1] === '' || m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1)
  if (start >= size || start > end) return {status: 416, body: '', headers: {'Content-Range': `bytes */${size}`}}
  headers['Content-Range'] = `bytes ${start}-${end}/${size}`
  return {status: 206, body: data.subarray(start, end + 1), headers}
}

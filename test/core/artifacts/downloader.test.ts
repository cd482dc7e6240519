/**
 * The core downloader against the local backend: byte-exact downloads, the cache, MD5 checks,
 * path safety, path prefixes, expired URLs, and answers that leave files out.
 */
import {describe, expect, test} from 'bun:test'
import {existsSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {
  ArtifactError,
  ArtifactFileCache,
  ArtifactTransferError,
  DigestMismatchError,
  UnsafePathError,
  b64ToHex,
  downloadArtifact,
  safeJoin,
  type DownloaderDeps,
} from '../../../src/core/artifacts/index.ts'
import {artifactTestBed, b64md5, clients, recordOf, saveManager} from './helpers.ts'

const {backend, dir} = await artifactTestBed({withRun: true})

const FILES: Record<string, string | Uint8Array> = {'a.txt': 'alpha\n'.repeat(100), 'nested/deep/b.bin': new Uint8Array(3000).map((_, i) => i % 7), 'empty.txt': ''}

/** Saves `files` as artifact `name`; `rename` changes manifest paths after the record is built. */
async function saved(files: Record<string, string | Uint8Array> = FILES, name = 'data', rename: Record<string, string> = {}): Promise<string> {
  for (const [p, data] of Object.entries(files)) dir.file(`src-${name}/${p}`, data)
  const {manager} = saveManager(backend, join(dir.path, 'writer-cache'))
  const artifact = await recordOf(join(dir.path, `src-${name}`), {name, staging: join(dir.path, 'staging'), skipCache: true})
  for (const e of artifact.manifest!.contents) e.path = rename[e.path] ?? e.path
  return manager.save({artifact, stagingDir: join(dir.path, 'staging')})
}

/** The storage path of content `data`. */
const blobPath = (data: string | Uint8Array) => `/_storage/blobs/${b64ToHex(b64md5(data))}`

function deps(o: {fetch?: typeof fetch; now?: () => number} = {}): DownloaderDeps {
  const c = clients(backend, {fetch: o.fetch})
  return {...c, cache: new ArtifactFileCache(join(dir.path, 'cache')), now: o.now}
}

const fileBlobs = new Set(Object.values(FILES).map(blobPath))
const blobGets = async () => (await backend.inspectRequests()).filter((r) => r.method === 'GET' && fileBlobs.has(r.path) && !r.fault).length

describe('downloadArtifact', () => {
  test('writes every file byte for byte, nested folders included', async () => {
    const id = await saved()
    const root = join(dir.path, 'out')
    const result = await downloadArtifact(deps(), {artifactId: id, root})
    expect(result).toMatchObject({downloaded: 3, reused: 0, skippedReferences: []})
    for (const [p, data] of Object.entries(FILES)) expect(Buffer.from(readFileSync(join(root, p))).equals(Buffer.from(data))).toBe(true)
    expect(readdirSync(join(root, 'nested', 'deep'))).toEqual(['b.bin'])
    // every file was cached under its MD5, readable by other users' SDKs as Python's cache is, and no staging copy is left
    for (const data of Object.values(FILES)) {
      const hex = b64ToHex(b64md5(data))
      const cached = join(dir.path, 'cache', 'artifacts', 'obj', 'md5', hex.slice(0, 2), hex.slice(2))
      expect(Buffer.from(readFileSync(cached)).equals(Buffer.from(data))).toBe(true)
      expect(statSync(cached).mode & 0o444).toBe(0o444)
    }
    expect(readdirSync(join(dir.path, 'cache', 'artifacts', 'tmp'))).toEqual([])
    expect(readdirSync(root).filter((n) => n.startsWith('.'))).toEqual([])
  })

  test('a second download into another folder comes from the cache; files already in place are kept', async () => {
    const id = await saved()
    const d = deps()
    await downloadArtifact(d, {artifactId: id, root: join(dir.path, 'one')})
    const before = await blobGets()
    expect(await downloadArtifact(d, {artifactId: id, root: join(dir.path, 'two')})).toMatchObject({downloaded: 0, reused: 3})
    expect(await downloadArtifact(d, {artifactId: id, root: join(dir.path, 'one'), skipCache: true})).toMatchObject({downloaded: 0, reused: 3})
    expect(await blobGets()).toBe(before)
    expect(readFileSync(join(dir.path, 'two', 'a.txt'), 'utf8')).toBe(FILES['a.txt'] as string)
  })

  test('a changed local file or a corrupt cache entry is not trusted: the file is fetched again', async () => {
    const id = await saved()
    const d = deps()
    const root = join(dir.path, 'out')
    await downloadArtifact(d, {artifactId: id, root})
    writeFileSync(join(root, 'a.txt'), 'edited')
    const hex = b64ToHex(b64md5(FILES['a.txt']))
    const cached = join(dir.path, 'cache', 'artifacts', 'obj', 'md5', hex.slice(0, 2), hex.slice(2))
    writeFileSync(cached, 'rotten')
    expect(await downloadArtifact(d, {artifactId: id, root})).toMatchObject({downloaded: 1, reused: 2})
    expect(readFileSync(join(root, 'a.txt'), 'utf8')).toBe(FILES['a.txt'] as string)
    expect(readFileSync(cached, 'utf8')).toBe(FILES['a.txt'] as string)
  })

  test('bytes that do not match the manifest digest are refused and leave no file behind', async () => {
    const id = await saved({'x.txt': 'the real bytes'})
    const corrupting = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const res = await fetch(input, init)
      return new URL(input instanceof Request ? input.url : String(input)).pathname === blobPath('the real bytes') ? new Response('tampered bytes', {status: 200}) : res
    }) as typeof fetch
    const root = join(dir.path, 'out')
    const err = await downloadArtifact(deps({fetch: corrupting}), {artifactId: id, root}).catch((e) => e)
    expect(err).toBeInstanceOf(DigestMismatchError)
    expect(readdirSync(root)).toEqual([])
    const cacheObjects = join(dir.path, 'cache', 'artifacts', 'obj')
    expect(existsSync(cacheObjects) ? readdirSync(cacheObjects, {recursive: true}) : []).toEqual([])
  })

  test('a manifest path that would leave the root is refused before anything is written', async () => {
    const id = await saved({'escape.txt': 'evil', 'fine.txt': 'fine'}, 'evil', {'escape.txt': '../escape.txt'})
    const root = join(dir.path, 'deep', 'out')
    const err = await downloadArtifact(deps(), {artifactId: id, root}).catch((e) => e)
    expect(err).toBeInstanceOf(UnsafePathError)
    expect(existsSync(join(dir.path, 'deep', 'escape.txt'))).toBe(false)
    expect(existsSync(root)).toBe(false)
  })

  test('path_prefix downloads only the matching files', async () => {
    const id = await saved()
    const root = join(dir.path, 'out')
    expect(await downloadArtifact(deps(), {artifactId: id, root, pathPrefix: 'nested/'})).toMatchObject({downloaded: 1})
    expect(readdirSync(root)).toEqual(['nested'])
  })

  test('a failed download is retried with a fresh URL once the URL is an hour old, and fails otherwise', async () => {
    const id = await saved({'x.txt': 'eventually'})
    const fault = {match: {path: blobPath('eventually'), method: 'GET'}, action: 'status', status: 403, times: 1} as const
    await backend.addFault(fault)
    const err = await downloadArtifact(deps(), {artifactId: id, root: join(dir.path, 'fresh')}).catch((e) => e)
    expect(err).toBeInstanceOf(ArtifactTransferError)
    await backend.addFault(fault)
    let calls = 0
    const later = () => (calls++ === 0 ? 0 : 2 * 60 * 60 * 1000)
    await downloadArtifact(deps({now: later}), {artifactId: id, root: join(dir.path, 'stale')})
    expect(readFileSync(join(dir.path, 'stale', 'x.txt'), 'utf8')).toBe('eventually')
    expect((await backend.inspectRequests()).filter((r) => r.operation === 'ArtifactFileURLsByManifestEntries')).toHaveLength(3)
  })

  test('files the server gives no URL for fail the download with a clear error (no endless re-asking)', async () => {
    const id = await saved({'x.txt': 'x'})
    const dropping = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const body = typeof init?.body === 'string' ? init.body : input instanceof Request ? await input.clone().text() : ''
      const res = await fetch(input, init)
      if (!body.includes('ArtifactFileURLsByManifestEntries')) return res
      const json = await res.json()
      json.data.artifact.filesByManifestEntries.edges = []
      return Response.json(json)
    }) as typeof fetch
    const err = await downloadArtifact(deps({fetch: dropping}), {artifactId: id, root: join(dir.path, 'out')}).catch((e) => e)
    expect(err).toBeInstanceOf(ArtifactError)
    expect((err as Error).message).toContain('no download URL for 1 file(s)')
  })
})

describe('safeJoin', () => {
  test('keeps paths inside the root and refuses absolute, parent, empty-segment and NUL paths', () => {
    expect(safeJoin('/r', 'a/b.txt')).toBe('/r/a/b.txt')
    expect(safeJoin('/r', 'a..b/c')).toBe('/r/a..b/c')
    for (const bad of ['', '/etc/passwd', '../x', 'a/../../x', 'a/./../x', 'a//b', 'a\\..\\x', 'C:/x', 'a\0b', '..']) {
      expect(() => safeJoin('/r', bad)).toThrow(UnsafePathError)
    }
  })
})

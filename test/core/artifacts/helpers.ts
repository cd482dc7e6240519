/**
 * Shared setup of the artifact engine tests: a local backend, the engine's HTTP stack pointed at
 * it with short retry waits, temporary folders, and artifact records built from local files.
 */
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {FILE_TRANSFER_POLICY, GRAPHQL_POLICY, GraphQLClient, HttpClient, basicAuthorization, type RetryPolicy} from '../../../src/core/api/index.ts'
import {ArtifactFileCache, ArtifactSaveManager, buildLocalArtifact, type SaveManagerOptions} from '../../../src/core/artifacts/index.ts'
import {FileTransferManager} from '../../../src/core/filetransfer/index.ts'
import {nullLogger} from '../../../src/core/observability/index.ts'
import type {ArtifactRecord} from '../../../src/core/proto.ts'
import {afterAll, afterEach, beforeAll, beforeEach} from 'bun:test'
import {startBackend, type Backend, type BackendOptions} from '../../backend/index.ts'
import {upsertRun} from '../../backend/gql-client.ts'

export const FAST_GRAPHQL: RetryPolicy = {...GRAPHQL_POLICY, maxRetries: 6, waitMinMs: 10, waitMaxMs: 50}
export const FAST_TRANSFER: RetryPolicy = {...FILE_TRANSFER_POLICY, maxRetries: 6, waitMinMs: 10, waitMaxMs: 50}

export interface TempDir {
  readonly path: string
  /** Writes `data` to `rel` under the folder (making parent folders) and returns its path. */
  file(rel: string, data: string | Uint8Array): string
  dispose(): void
}

/** A temporary folder, removed by dispose(). */
export function tempDir(prefix = 'nexus-artifacts-'): TempDir {
  const path = mkdtempSync(join(tmpdir(), prefix))
  return {
    path,
    file(rel, data) {
      const p = join(path, rel)
      mkdirSync(dirname(p), {recursive: true})
      writeFileSync(p, data)
      return p
    },
    dispose: () => rmSync(path, {recursive: true, force: true}),
  }
}

/**
 * What every artifact test file sets up, with its hooks registered: one local backend for the
 * file (stopped after it), reset before each test, optionally with the run artifacts are logged
 * from (`withRun`), a fresh temporary folder per test (`dir`, always the current test's), and
 * optionally WANDB_CACHE_DIR pointed away from the real home for the file (`isolateCache`).
 */
export async function artifactTestBed(o: {backend?: BackendOptions; withRun?: boolean; isolateCache?: boolean} = {}): Promise<{backend: Backend; dir: TempDir}> {
  const savedCacheDir = process.env.WANDB_CACHE_DIR
  const cacheHome = o.isolateCache ? tempDir('nexus-artifact-cache-') : undefined
  const backend = await startBackend({quiet: true, ...o.backend})
  beforeAll(() => {
    if (cacheHome) process.env.WANDB_CACHE_DIR = cacheHome.path
  })
  afterAll(async () => {
    if (cacheHome) {
      if (savedCacheDir === undefined) delete process.env.WANDB_CACHE_DIR
      else process.env.WANDB_CACHE_DIR = savedCacheDir
      cacheHome.dispose()
    }
    await backend.stop()
  })
  let current: TempDir | undefined
  const currentDir = () => {
    if (!current) throw new Error('artifactTestBed: dir is only there while a test runs')
    return current
  }
  beforeEach(async () => {
    await backend.reset()
    if (o.withRun) await ensureRun(backend)
    current = tempDir()
  })
  afterEach(() => {
    current?.dispose()
    current = undefined
  })
  const dir: TempDir = {
    get path() {
      return currentDir().path
    },
    file: (rel, data) => currentDir().file(rel, data),
    dispose: () => currentDir().dispose(),
  }
  return {backend, dir}
}

/** The engine's clients for `backend`. */
export function clients(backend: Backend, o: {graphqlPolicy?: RetryPolicy; transferPolicy?: RetryPolicy; fetch?: typeof fetch} = {}) {
  const http = new HttpClient({baseUrl: backend.url, authorization: () => basicAuthorization(backend.apiKey), logger: nullLogger, fetch: o.fetch})
  const graphql = new GraphQLClient(http)
  const transfers = new FileTransferManager({http, policy: o.transferPolicy ?? FAST_TRANSFER})
  return {http, graphql, transfers, graphqlPolicy: o.graphqlPolicy ?? FAST_GRAPHQL, transferPolicy: o.transferPolicy ?? FAST_TRANSFER}
}

/** A save manager on `backend` with its own cache folder; `warnings` collects user warnings. */
export function saveManager(backend: Backend, cacheDir: string, extra: Partial<SaveManagerOptions> & {fetch?: typeof fetch} = {}) {
  const c = clients(backend, {fetch: extra.fetch})
  const warnings: string[] = []
  const cache = new ArtifactFileCache(cacheDir)
  const manager = new ArtifactSaveManager({...c, cache, warn: (m) => warnings.push(m), ...extra})
  return {manager, warnings, cache, ...c}
}

/** Creates run `runId` in nexus/arts so that artifacts can name it as their creator. */
export async function ensureRun(backend: Backend, runId = 'maker', project = 'arts'): Promise<void> {
  await upsertRun(backend, {name: runId, project, entity: 'nexus'})
}

/** An artifact record of the files under `dir` (staged into `staging` unless immutable). */
export async function recordOf(
  dir: string,
  o: {name: string; staging: string; aliases?: string[]; runId?: string; project?: string; policy?: 'mutable' | 'immutable'; skipCache?: boolean; type?: string},
): Promise<ArtifactRecord> {
  const {record} = await buildLocalArtifact({
    path: dir,
    name: o.name,
    type: o.type ?? 'dataset',
    aliases: o.aliases ?? ['latest'],
    entity: 'nexus',
    project: o.project ?? 'arts',
    runId: o.runId ?? 'maker',
    skipCache: o.skipCache ?? false,
    policy: o.policy ?? 'mutable',
    stagingDir: o.staging,
  })
  return record
}

/** A fetch that records the method, URL and headers of every request before sending it. */
export function recordingFetch(): {fetch: typeof fetch; requests: Array<{method: string; url: string; headers: Headers}>} {
  const requests: Array<{method: string; url: string; headers: Headers}> = []
  const wrapped = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(input, init)
    requests.push({method: req.method, url: req.url, headers: req.headers})
    return fetch(req)
  }) as typeof fetch
  return {fetch: wrapped, requests}
}

/** Base64 MD5 of `data`. */
export const b64md5 = (data: string | Uint8Array) => new Bun.CryptoHasher('md5').update(data).digest('base64')

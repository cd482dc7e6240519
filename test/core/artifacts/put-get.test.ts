/**
 * The engines of `nexus artifact put` / `get` in-process against the local backend: put drives a
 * real run stream (run "cli_put" → log_artifact → exit), get resolves and downloads; bad input,
 * missing artifacts, refused keys and unreachable servers end in the right errors.
 */
import {describe, expect, test} from 'bun:test'
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {
  ARTIFACT_EXIT,
  ArtifactInputError,
  ArtifactMismatchError,
  ArtifactNotFoundError,
  ArtifactRunError,
  artifactCommandError,
  getArtifact,
  putArtifact,
  type PutArtifactOptions,
} from '../../../src/core/artifacts/index.ts'
import {LogLevel, nullLogger} from '../../../src/core/observability/index.ts'
import {createStream} from '../../../src/core/stream/index.ts'
import {artifactTestBed} from './helpers.ts'

const {backend, dir} = await artifactTestBed({backend: {apiKeys: ['k'.repeat(40)]}, isolateCache: true})

const env = () => ({
  WANDB_DIR: dir.path,
  WANDB_DATA_DIR: join(dir.path, 'data'),
  WANDB_CACHE_DIR: join(dir.path, 'cache'),
  WANDB__GRAPHQL_RETRY_MAX: '1',
  WANDB__GRAPHQL_RETRY_WAIT_MIN_SECONDS: '1',
  WANDB__GRAPHQL_RETRY_WAIT_MAX_SECONDS: '1',
})
const put = (o: Partial<PutArtifactOptions> & {path: string}) =>
  putArtifact({
    baseUrl: backend.url,
    apiKey: backend.apiKey,
    env: env(),
    cwd: dir.path,
    openStream: (settings, runId) => createStream(settings, runId, {logger: nullLogger, logLevel: LogLevel.INFO, print: () => {}}),
    ...o,
  })
const get = (path: string, o: {root?: string; type?: string; apiKey?: string} = {}) =>
  getArtifact({path, baseUrl: backend.url, apiKey: o.apiKey ?? backend.apiKey, env: env(), cwd: dir.path, root: o.root, type: o.type})

describe('putArtifact and getArtifact', () => {
  test('put logs the folder from a "cli_put" run and get downloads it byte for byte', async () => {
    dir.file('src/a.txt', 'alpha')
    dir.file('src/nested/b.bin', new Uint8Array([0, 255, 1, 254]))
    const lines: string[] = []
    const putResult = await put({path: 'src', name: 'nexus/proj/mydir', aliases: ['golden'], description: 'desc', log: (l) => lines.push(l)})
    expect(putResult).toMatchObject({entity: 'nexus', project: 'proj', name: 'mydir', version: 0, warnings: []})
    expect(lines).toEqual(['Uploading directory src to: "nexus/proj/mydir:golden" (dataset)'])
    const [art] = await backend.inspectArtifacts()
    expect(art).toMatchObject({state: 'COMMITTED', aliases: ['golden', 'latest'], createdBy: putResult.runId, type: 'dataset'})
    const [run] = await backend.inspectRuns()
    expect(run).toMatchObject({id: putResult.runId, jobType: 'cli_put', state: 'finished', config: {path: 'src'}})
    expect(readdirSync(join(dir.path, 'data', 'artifacts', 'staging'))).toEqual([])
    expect(readdirSync(join(dir.path, 'wandb')).some((d) => d.endsWith(`-${putResult.runId}`))).toBe(true)

    const got = await get('nexus/proj/mydir:golden', {root: join(dir.path, 'out')})
    expect(got).toMatchObject({version: 0, type: 'dataset', downloaded: 2, reused: 0})
    expect(readFileSync(join(dir.path, 'out', 'a.txt'), 'utf8')).toBe('alpha')
    expect(new Uint8Array(readFileSync(join(dir.path, 'out', 'nested', 'b.bin')))).toEqual(new Uint8Array([0, 255, 1, 254]))
    const byDefault = await get('proj/mydir', {})
    expect(byDefault.root).toBe(join(dir.path, 'artifacts', 'mydir:v0'))
    expect(byDefault.reused).toBe(2)
  })

  test('a single file keeps its name; the same content again is deduplicated with a warning', async () => {
    dir.file('model.pt', 'weights')
    const first = await put({path: 'model.pt', name: 'nexus/proj/model', type: 'model'})
    const again = await put({path: 'model.pt', name: 'nexus/proj/model', type: 'model'})
    expect(again.artifactId).toBe(first.artifactId)
    expect(again.warnings).toEqual(['Artifact "model" already exists with the same content. No new version will be created.'])
    expect((await backend.inspectArtifacts()).map((a) => Object.keys(a.files))).toEqual([['model.pt']])
  })

  test('bad input is refused before anything is sent, and staged copies are removed', async () => {
    dir.file('src/a.txt', 'x')
    await expect(put({path: 'missing'})).rejects.toThrow(ArtifactInputError)
    await expect(put({path: 's3://bucket/key'})).rejects.toThrow(ArtifactInputError)
    await expect(put({path: 'src', name: 'a/b/c/d'})).rejects.toThrow(ArtifactInputError)
    await expect(put({path: 'src', name: 'proj/name:alias'})).rejects.toThrow(ArtifactInputError)
    await expect(put({path: 'src', type: 'wandb-internal'})).rejects.toThrow(ArtifactInputError)
    await expect(put({path: 'src', aliases: ['a/b']})).rejects.toThrow(ArtifactInputError)
    expect(await backend.inspectRequests()).toEqual([])
    expect(existsSync(join(dir.path, 'data', 'artifacts', 'staging')) ? readdirSync(join(dir.path, 'data', 'artifacts', 'staging')) : []).toEqual([])
  })

  test('a refused key ends put and get with AUTH; missing artifacts and wrong types with USAGE', async () => {
    dir.file('src/a.txt', 'x')
    const refused = await put({path: 'src', name: 'nexus/proj/x', apiKey: 'z'.repeat(40)}).catch((e) => e)
    expect(artifactCommandError(refused, 'put').exitCode).toBe(ARTIFACT_EXIT.AUTH)
    expect(artifactCommandError(refused, 'put').userText).toBe('The server refused the credentials (HTTP 401). Check your API key (nexus login).')
    expect(artifactCommandError(new ArtifactRunError('denied', 'auth'), 'put').exitCode).toBe(ARTIFACT_EXIT.AUTH)
    expect(readdirSync(join(dir.path, 'data', 'artifacts', 'staging'))).toEqual([])
    const noEntity = await put({path: 'src', apiKey: 'z'.repeat(40)}).catch((e) => e)
    expect(artifactCommandError(noEntity, 'put').exitCode).toBe(ARTIFACT_EXIT.AUTH)
    expect(artifactCommandError(await get('nexus/proj/x', {apiKey: 'z'.repeat(40)}).catch((e) => e), 'get').exitCode).toBe(ARTIFACT_EXIT.AUTH)

    await put({path: 'src', name: 'nexus/proj/x'})
    const missing = await get('nexus/proj/x:v7').catch((e) => e)
    expect(missing).toBeInstanceOf(ArtifactNotFoundError)
    expect(artifactCommandError(missing, 'get').exitCode).toBe(ARTIFACT_EXIT.USAGE)
    expect(await get('nexus/nothere/x').catch((e) => e)).toBeInstanceOf(ArtifactNotFoundError)
    const wrongType = await get('nexus/proj/x', {type: 'model'}).catch((e) => e)
    expect(wrongType).toBeInstanceOf(ArtifactMismatchError)
    expect(existsSync(join(dir.path, 'artifacts'))).toBe(false)
  })

  test('an unreachable server ends put and get with NETWORK', async () => {
    dir.file('src/a.txt', 'x')
    const nowhere = 'http://127.0.0.1:9'
    const putErr = await putArtifact({
      path: 'src',
      name: 'nexus/proj/x',
      baseUrl: nowhere,
      apiKey: backend.apiKey,
      env: env(),
      cwd: dir.path,
      openStream: (settings, runId) => createStream(settings, runId, {logger: nullLogger, logLevel: LogLevel.INFO, print: () => {}}),
    }).catch((e) => e)
    expect(artifactCommandError(putErr, 'put').exitCode).toBe(ARTIFACT_EXIT.NETWORK)
    const getErr = await getArtifact({path: 'nexus/proj/x', baseUrl: nowhere, apiKey: backend.apiKey, env: env(), cwd: dir.path}).catch((e) => e)
    expect(artifactCommandError(getErr, 'get').exitCode).toBe(ARTIFACT_EXIT.NETWORK)
  })
})

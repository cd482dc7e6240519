/**
 * The artifact saver against the local W&B backend: the request sequence of Go's save flow, content
 * dedup, digest dedup, serialisation per name, staging clean-up, the cache, multipart uploads,
 * client-id references, and saves that survive injected faults.
 */
import {describe, expect, test} from 'bun:test'
import {existsSync, readFileSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {ArtifactSaveError, b64ToHex, encodeManifest, parseManifest} from '../../../src/core/artifacts/index.ts'
import {gqlOk} from '../../backend/gql-client.ts'
import {artifactTestBed, b64md5, recordingFetch, recordOf, saveManager} from './helpers.ts'

const {backend, dir} = await artifactTestBed({withRun: true})

const staging = () => join(dir.path, 'staging')
const cacheDir = () => join(dir.path, 'cache')
const ops = async () => (await backend.inspectRequests()).map((r) => r.operation ?? `${r.method} ${r.path.replace(/\/[^/]+$/, '/…')}`)

async function manifestOf(id: string) {
  const data = await gqlOk(backend, 'query Q($id: ID!) { artifact(id: $id) { currentManifest { file { directUrl } } } }', {id})
  return parseManifest(await (await fetch(data.artifact.currentManifest.file.directUrl)).text())
}

describe('ArtifactSaveManager.save', () => {
  test("runs Go core's request sequence and commits the files with their aliases", async () => {
    dir.file('src/a.txt', 'alpha')
    dir.file('src/nested/deep/b.bin', new Uint8Array([1, 2, 3]))
    const {manager} = saveManager(backend, cacheDir())
    const id = await manager.save({artifact: await recordOf(join(dir.path, 'src'), {name: 'data', staging: staging(), aliases: ['first', 'latest']}), stagingDir: staging()})
    expect(await ops()).toEqual([
      'UpsertBucket',
      'CreateArtifact',
      'CreateArtifactManifest',
      'CreateArtifactFiles',
      'PUT /_storage/blobs/…',
      'PUT /_storage/blobs/…',
      'CreateArtifactManifest',
      'PUT /_storage/manifests/…',
      'CommitArtifact',
    ])
    const [art] = await backend.inspectArtifacts()
    expect(art).toMatchObject({name: 'data', version: 'v0', state: 'COMMITTED', aliases: ['first', 'latest'], createdBy: 'maker', type: 'dataset'})
    expect(art.files).toEqual({'a.txt': {size: 5, digest: b64md5('alpha')}, 'nested/deep/b.bin': {size: 3, digest: b64md5(new Uint8Array([1, 2, 3]))}})
    const manifest = await manifestOf(id)
    expect([...manifest.contents.values()].map((e) => e.birthArtifactId)).toEqual([id, id])
  })

  test('a second version with one file changed uploads only that file; identical content is deduplicated with one warning', async () => {
    dir.file('src/a.txt', 'alpha')
    dir.file('src/b.txt', 'beta')
    const {manager, warnings} = saveManager(backend, cacheDir())
    const v0 = await manager.save({artifact: await recordOf(join(dir.path, 'src'), {name: 'data', staging: staging()}), stagingDir: staging()})
    dir.file('src/a.txt', 'alpha 2')
    const v1 = await manager.save({artifact: await recordOf(join(dir.path, 'src'), {name: 'data', staging: staging()}), stagingDir: staging()})
    const again = await manager.save({artifact: await recordOf(join(dir.path, 'src'), {name: 'data', staging: staging(), aliases: ['again', 'latest']}), stagingDir: staging()})
    const again2 = await manager.save({artifact: await recordOf(join(dir.path, 'src'), {name: 'data', staging: staging()}), stagingDir: staging()})
    expect(v1).not.toBe(v0)
    expect([again, again2]).toEqual([v1, v1])
    expect((await ops()).filter((o) => o === 'PUT /_storage/blobs/…')).toHaveLength(3)
    expect(warnings).toEqual(['Artifact "data" already exists with the same content. No new version will be created.'])
    const arts = await backend.inspectArtifacts()
    expect(arts.map((a) => [a.version, a.aliases])).toEqual([
      ['v0', []],
      ['v1', ['again', 'latest']],
    ])
  })

  test('saves of one name are versioned in call order; saves of other names run beside them', async () => {
    const {manager} = saveManager(backend, cacheDir())
    const records = []
    for (let i = 0; i < 4; i++) {
      dir.file(`v${i}/f.txt`, `content ${i}`)
      records.push(await recordOf(join(dir.path, `v${i}`), {name: i === 3 ? 'other' : 'seq', staging: staging()}))
    }
    await backend.addFault({match: {operation: 'CommitArtifact'}, action: 'delay', delayMs: 200, times: 3})
    const finished: string[] = []
    const ids = await Promise.all(records.map((artifact, i) => manager.save({artifact, stagingDir: staging()}).finally(() => finished.push(i === 3 ? 'other' : `seq${i}`))))
    expect(new Set(ids).size).toBe(4)
    expect(finished.filter((f) => f.startsWith('seq'))).toEqual(['seq0', 'seq1', 'seq2'])
    expect(finished.indexOf('other')).toBeLessThan(finished.indexOf('seq1'))
    const seq = (await backend.inspectArtifacts()).filter((a) => a.name === 'seq')
    expect(seq.map((a) => [a.version, a.files['f.txt'].digest])).toEqual([0, 1, 2].map((i) => [`v${i}`, b64md5(`content ${i}`)]))
  })

  test('staged copies are deleted after the save, files added in place are kept, uploads are cached unless skip_cache', async () => {
    dir.file('src/a.txt', 'cached')
    dir.file('imm/b.txt', 'in place')
    dir.file('skip/c.txt', 'not cached')
    const {manager} = saveManager(backend, cacheDir())
    const staged = await recordOf(join(dir.path, 'src'), {name: 'staged', staging: staging()})
    const inPlace = await recordOf(join(dir.path, 'imm'), {name: 'inplace', staging: staging(), policy: 'immutable'})
    const skipped = await recordOf(join(dir.path, 'skip'), {name: 'skipped', staging: staging(), skipCache: true})
    const stagedPath = staged.manifest!.contents[0].local_path
    expect(existsSync(stagedPath)).toBe(true)
    for (const artifact of [staged, inPlace, skipped]) await manager.save({artifact, stagingDir: staging()})
    expect(existsSync(stagedPath)).toBe(false)
    expect(existsSync(skipped.manifest!.contents[0].local_path)).toBe(false)
    expect(readFileSync(join(dir.path, 'imm/b.txt'), 'utf8')).toBe('in place')
    const cachePath = (s: string) => {
      const hex = b64ToHex(b64md5(s))
      return join(cacheDir(), 'artifacts', 'obj', 'md5', hex.slice(0, 2), hex.slice(2))
    }
    expect(readFileSync(cachePath('cached'), 'utf8')).toBe('cached')
    expect(statSync(cachePath('cached')).mode & 0o777).toBe(0o666)
    expect(existsSync(cachePath('in place'))).toBe(true)
    expect(existsSync(cachePath('not cached'))).toBe(false)
  })

  test('a replayed artifact record (no staging dir, as sync saves it) deletes none of its staged copies', async () => {
    dir.file('replayed/a.txt', 'synced twice')
    const {manager} = saveManager(backend, cacheDir())
    const record = await recordOf(join(dir.path, 'replayed'), {name: 'replayed', staging: join(dir.path, 'artifacts', 'staging')})
    const stagedPath = record.manifest!.contents[0].local_path
    expect(existsSync(stagedPath)).toBe(true)
    await manager.save({artifact: record})
    expect(readFileSync(stagedPath, 'utf8')).toBe('synced twice')
  })

  test("the uploaded manifest is Go's encoding of the entries, birth ids included", async () => {
    dir.file('src/x <&> y.txt', 'escaped name')
    const {manager} = saveManager(backend, cacheDir())
    const record = await recordOf(join(dir.path, 'src'), {name: 'enc', staging: staging(), policy: 'immutable'})
    const id = await manager.save({artifact: record})
    const data = await gqlOk(backend, 'query Q($id: ID!) { artifact(id: $id) { currentManifest { file { directUrl } } } }', {id})
    const raw = await (await fetch(data.artifact.currentManifest.file.directUrl)).text()
    expect(raw).toBe(encodeManifest(parseManifest(raw)))
    expect(raw).toContain('"x \\u003c\\u0026\\u003e y.txt":{"digest":')
    expect(raw).toContain(`"birthArtifactID":"${id}","skip_cache":false}`)
  })

  test('files at the multipart threshold go up in parts with Content-MD5 and are completed with the ETags', async () => {
    const big = new Uint8Array(1000).map((_, i) => i % 251)
    dir.file('src/big.bin', big)
    const recorder = recordingFetch()
    const {manager} = saveManager(backend, cacheDir(), {multipartThreshold: 1000, multipartPartSize: 400, fetch: recorder.fetch})
    const id = await manager.save({artifact: await recordOf(join(dir.path, 'src'), {name: 'big', staging: staging()}), stagingDir: staging()})
    const parts = recorder.requests.filter((r) => r.url.includes('/_storage/multipart/'))
    expect(parts.map((r) => [r.method, r.headers.get('content-md5'), r.headers.get('content-length'), r.headers.get('authorization')])).toEqual(
      [big.subarray(0, 400), big.subarray(400, 800), big.subarray(800)].map((p) => ['PUT', b64md5(p), String(p.length), null]),
    )
    expect(await ops()).toContain('CompleteMultipartUploadArtifact')
    const manifest = await manifestOf(id)
    const stored = await (await fetch(`${backend.url}/_storage/blobs/${b64ToHex(manifest.contents.get('big.bin')!.digest)}`)).arrayBuffer()
    expect(new Uint8Array(stored)).toEqual(big)
  })

  test('use_after_commit records the logging run as a user; references to client ids are resolved to server ids', async () => {
    dir.file('a/a.txt', 'first')
    const {manager} = saveManager(backend, cacheDir())
    const first = await recordOf(join(dir.path, 'a'), {name: 'first', staging: staging()})
    first.use_after_commit = true
    const firstId = await manager.save({artifact: first, stagingDir: staging()})
    dir.file('b/b.txt', 'second')
    const second = await recordOf(join(dir.path, 'b'), {name: 'second', staging: staging()})
    second.manifest!.contents.push({
      path: 'ref.txt',
      digest: b64md5('first'),
      ref: `wandb-client-artifact://${first.client_id}/a.txt`,
      size: 5n,
      mimetype: '',
      local_path: '',
      birth_artifact_id: '',
      skip_cache: false,
      extra: [],
    })
    const secondId = await manager.save({artifact: second, stagingDir: staging()})
    expect((await backend.inspectArtifacts()).find((a) => a.name === 'first')?.usedBy).toEqual(['maker'])
    expect((await manifestOf(secondId)).contents.get('ref.txt')?.ref).toBe(`wandb-artifact://${b64ToHex(firstId)}/a.txt`)
  })
})

describe('ArtifactSaveManager.save refusals', () => {
  test('artifacts hashed with XXH128 are refused before anything is sent, and their staged copies kept (nothing was delivered)', async () => {
    dir.file('src/x.txt', 'xxh')
    const {manager} = saveManager(backend, cacheDir())
    const artifact = await recordOf(join(dir.path, 'src'), {name: 'xxh', staging: staging()})
    artifact.digest_algorithm = 'MANIFEST_XXH128'
    const err = await manager.save({artifact, stagingDir: staging()}).catch((e) => e)
    expect(err).toBeInstanceOf(ArtifactSaveError)
    expect((err as ArtifactSaveError).step).toBe('checkDigestAlgorithm')
    expect(await ops()).toEqual(['UpsertBucket'])
    expect(existsSync(artifact.manifest!.contents[0].local_path)).toBe(true)
  })
})

describe('ArtifactSaveManager.save under faults', () => {
  test('500s, a 429 with Retry-After and dropped storage connections: the artifact still ends COMMITTED with the right files', async () => {
    for (let i = 0; i < 5; i++) dir.file(`src/f${i}.txt`, `file ${i}`)
    for (const rule of [
      {match: {operation: 'CreateArtifact'}, action: 'status', status: 429, retryAfter: 1, times: 1},
      {match: {operation: 'CreateArtifactFiles'}, action: 'status', status: 500, times: 2},
      {match: {path: '/_storage/blobs/', method: 'PUT'}, action: 'reset', times: 3},
      {match: {path: '/_storage/manifests/', method: 'PUT'}, action: 'status', status: 503, times: 1},
      {match: {operation: 'CommitArtifact'}, action: 'status', status: 500, times: 1},
    ] as const)
      await backend.addFault(rule as never)
    const {manager} = saveManager(backend, cacheDir())
    const started = Date.now()
    await manager.save({artifact: await recordOf(join(dir.path, 'src'), {name: 'faulty', staging: staging()}), stagingDir: staging()})
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000)
    const faults = (await backend.inspectRequests()).filter((r) => r.fault)
    expect(faults.length).toBe(8)
    const [art] = await backend.inspectArtifacts()
    expect(art).toMatchObject({state: 'COMMITTED', version: 'v0'})
    expect(art.files).toEqual(Object.fromEntries([0, 1, 2, 3, 4].map((i) => [`f${i}.txt`, {size: 6, digest: b64md5(`file ${i}`)}])))
    for (const i of [0, 1, 2, 3, 4]) {
      expect(await (await fetch(`${backend.url}/_storage/blobs/${b64ToHex(b64md5(`file ${i}`))}`)).text()).toBe(`file ${i}`)
    }
  })

  test('a file whose upload is refused is retried with a fresh URL in the next round', async () => {
    for (let i = 0; i < 3; i++) dir.file(`src/f${i}.txt`, `file ${i}`)
    await backend.addFault({match: {path: '/_storage/blobs/', method: 'PUT'}, action: 'status', status: 403, times: 1})
    const {manager} = saveManager(backend, cacheDir())
    await manager.save({artifact: await recordOf(join(dir.path, 'src'), {name: 'retried', staging: staging()}), stagingDir: staging()})
    expect((await ops()).filter((o) => o === 'CreateArtifactFiles')).toHaveLength(2)
    expect((await backend.inspectArtifacts())[0].state).toBe('COMMITTED')
  })

  test('when most uploads keep failing the save fails at uploadFiles, nothing is committed and the staged copies are kept for a later attempt', async () => {
    dir.file('src/only.txt', 'never stored')
    await backend.addFault({match: {path: '/_storage/blobs/', method: 'PUT'}, action: 'status', status: 403})
    const {manager} = saveManager(backend, cacheDir())
    const artifact = await recordOf(join(dir.path, 'src'), {name: 'doomed', staging: staging()})
    const err = await manager.save({artifact, stagingDir: staging()}).catch((e) => e)
    expect(err).toBeInstanceOf(ArtifactSaveError)
    expect((err as ArtifactSaveError).step).toBe('uploadFiles')
    expect((err as Error).message).toContain('most remaining uploads (1/1) have failed')
    expect((await backend.inspectArtifacts())[0]).toMatchObject({state: 'PENDING', version: null})
    expect(existsSync(artifact.manifest!.contents[0].local_path)).toBe(true)
  })
})

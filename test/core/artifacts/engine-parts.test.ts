/**
 * The small parts of the artifact engine: concurrency helpers, artifact paths, cache layout,
 * multipart sizing, digests, and how the commands classify failures.
 */
import {describe, expect, test} from 'bun:test'
import {join} from 'node:path'
import {GraphQLError} from '../../../src/core/api/index.ts'
import {
  ARTIFACT_EXIT,
  ArtifactFileCache,
  ArtifactInputError,
  ArtifactNotFoundError,
  ArtifactRunError,
  ArtifactSaveError,
  KeyedSerializer,
  MULTIPART_THRESHOLD,
  artifactCommandError,
  b64ToHex,
  hexToB64,
  parseArtifactPath,
  partRanges,
  partSize,
  resolveAliases,
  userCacheDir,
  validateArtifactName,
  validateArtifactType,
} from '../../../src/core/artifacts/index.ts'
import {HttpError, NetworkError, UserFacingError} from '../../../src/core/errors.ts'
import {Deferred, Semaphore} from '../../../src/core/runtime/index.ts'

describe('Semaphore.run and KeyedSerializer', () => {
  test('a limiter runs at most `limit` tasks and starts waiting ones in arrival order', async () => {
    const limiter = new Semaphore(2)
    const gates = [0, 1, 2, 3].map(() => new Deferred<void>())
    const starts = [0, 1, 2, 3].map(() => new Deferred<void>())
    const started: number[] = []
    const runs = gates.map((g, i) =>
      limiter.run(async () => {
        started.push(i)
        starts[i].resolve()
        await g.promise
      }),
    )
    await Promise.all([starts[0].promise, starts[1].promise])
    expect(started).toEqual([0, 1])
    gates[1].resolve()
    await starts[2].promise // the slot task 1 gave back goes to the first waiter
    expect(started).toEqual([0, 1, 2])
    gates[0].resolve()
    gates[2].resolve()
    gates[3].resolve()
    await Promise.all(runs)
    expect(started).toEqual([0, 1, 2, 3])
    expect(limiter.held).toBe(0)
  })

  test('tasks of one key run one after another even when one fails; other keys do not wait', async () => {
    const s = new KeyedSerializer()
    const gate = new Deferred<void>()
    const order: string[] = []
    const a1 = s.run('a', async () => {
      await gate.promise
      order.push('a1')
      throw new Error('a1 failed')
    })
    const a2 = s.run('a', async () => void order.push('a2'))
    await s.run('b', async () => void order.push('b'))
    gate.resolve()
    await expect(a1).rejects.toThrow('a1 failed')
    await a2
    expect(order).toEqual(['b', 'a1', 'a2'])
    expect(s.activeKeys).toBe(0)
  })
})

describe('artifact paths', () => {
  test('parse like the SDK: the version is split off first, then up to three slash-separated parts', () => {
    expect(parseArtifactPath('name')).toEqual({name: 'name'})
    expect(parseArtifactPath('proj/name:v3')).toEqual({project: 'proj', name: 'name', version: 'v3'})
    expect(parseArtifactPath('ent/proj/name:alias/with/slash')).toEqual({prefix: 'ent', project: 'proj', name: 'name', version: 'alias/with/slash'})
    expect(() => parseArtifactPath('a/b/c/d')).toThrow(ArtifactInputError)
    expect(() => parseArtifactPath('proj/')).toThrow(ArtifactInputError)
  })

  test('names, types and aliases are validated; "latest" is always added to aliases', () => {
    expect(validateArtifactName('ok-name.v2')).toBe('ok-name.v2')
    for (const bad of ['', 'a:b', 'x'.repeat(129)]) expect(() => validateArtifactName(bad)).toThrow(ArtifactInputError)
    expect(() => validateArtifactType('wandb-history')).toThrow(ArtifactInputError)
    expect(resolveAliases(['golden', 'golden'])).toEqual(['golden', 'latest'])
    expect(resolveAliases(['latest'])).toEqual(['latest'])
    expect(() => resolveAliases(['v:1'])).toThrow(ArtifactInputError)
  })
})

describe('the local cache layout', () => {
  test("is the SDK's: WANDB_CACHE_DIR or ~/.cache/wandb, then artifacts/obj/md5 and obj/etag", () => {
    expect(userCacheDir({WANDB_CACHE_DIR: '/cache'})).toBe('/cache')
    expect(userCacheDir({HOME: '/home/u'}, 'linux')).toBe('/home/u/.cache/wandb')
    expect(userCacheDir({HOME: '/home/u', XDG_CACHE_HOME: '/xdg'}, 'linux')).toBe('/xdg/wandb')
    expect(userCacheDir({HOME: '/Users/u'}, 'darwin')).toBe('/Users/u/Library/Caches/wandb')
    const cache = new ArtifactFileCache('/c')
    expect(cache.md5Path('VVs7OgeuE7+wF4Zwef2HLg==')).toBe(join('/c', 'artifacts', 'obj', 'md5', '55', '5b3b3a07ae13bfb017867079fd872e'))
    // the path the 0.31 SDK computes (check_etag_obj_path) for the same reference
    expect(cache.etagPath('s3://bucket/key', '"abc"')).toBe(join('/c', 'artifacts', 'obj', 'etag', 'd0', '37c496f6b159cfdc2d68c9cb3f9616fc804779a375cd83bfcbc0606a5195a0'))
  })

  test('digest encodings convert both ways and refuse malformed input', () => {
    expect(b64ToHex('VVs7OgeuE7+wF4Zwef2HLg==')).toBe('555b3b3a07ae13bfb017867079fd872e')
    expect(hexToB64('555b3b3a07ae13bfb017867079fd872e')).toBe('VVs7OgeuE7+wF4Zwef2HLg==')
    expect(() => b64ToHex('not base64!')).toThrow()
    expect(() => hexToB64('abc')).toThrow()
  })
})

describe('multipart sizing', () => {
  test('100 MiB parts from 2 GiB; bigger parts rounded to 4 KiB beyond 10,000 parts', () => {
    expect(MULTIPART_THRESHOLD).toBe(2 * 1024 ** 3)
    expect(partSize(3 * 1024 ** 3)).toBe(100 * 1024 ** 2)
    const huge = 2 * 1024 ** 4
    const size = partSize(huge)
    expect(size % 4096).toBe(0)
    expect(Math.ceil(huge / size)).toBeLessThanOrEqual(10_000)
    expect(partRanges(1000, 400)).toEqual([
      {partNumber: 1, offset: 0, size: 400},
      {partNumber: 2, offset: 400, size: 400},
      {partNumber: 3, offset: 800, size: 200},
    ])
  })
})

describe('artifactCommandError', () => {
  test('maps failures to the CLI exit codes with a sentence for the user', () => {
    const code = (err: unknown) => artifactCommandError(err, 'get').exitCode
    expect(code(new ArtifactInputError('artifacts: bad'))).toBe(ARTIFACT_EXIT.USAGE)
    expect(code(new ArtifactNotFoundError('artifact e/p/n:v9'))).toBe(ARTIFACT_EXIT.USAGE)
    expect(artifactCommandError(new ArtifactNotFoundError('artifact e/p/n:v9'), 'get').userText).toBe('There is no artifact e/p/n:v9 on the server (not found).')
    expect(code(new ArtifactRunError('denied', 'auth'))).toBe(ARTIFACT_EXIT.AUTH)
    expect(code(new ArtifactRunError('unreachable', 'network'))).toBe(ARTIFACT_EXIT.NETWORK)
    expect(code(new HttpError(401, 'http://x/graphql', ''))).toBe(ARTIFACT_EXIT.AUTH)
    expect(code(new HttpError(503, 'http://x/graphql', ''))).toBe(ARTIFACT_EXIT.NETWORK)
    expect(code(new NetworkError('http: connection refused'))).toBe(ARTIFACT_EXIT.NETWORK)
    expect(code(new ArtifactSaveError('logArtifact', new Error('artifacts: createArtifact: http: 403 from http://x/graphql: no')))).toBe(ARTIFACT_EXIT.AUTH)
    expect(code(Object.assign(new Error('EACCES: permission denied, open /x'), {code: 'EACCES'}))).toBe(ARTIFACT_EXIT.LOCAL_FILE)
    expect(code(new GraphQLError('CreateArtifact', ['nope']))).toBe(ARTIFACT_EXIT.INTERNAL)
    const passthrough = new UserFacingError('m', 'text', {exitCode: 4})
    expect(artifactCommandError(passthrough, 'put')).toBe(passthrough)
  })
})

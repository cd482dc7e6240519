/**
 * Manifests: nexus encodes them byte for byte as Go wandb-core does (fixtures/go-oracle ran the
 * cases of fixtures/manifest-cases.json through wandb-core's Manifest types and encoding/json),
 * reads the SDK's proto and its gzipped JSON-lines file, and parses downloaded manifests.
 */
import {afterEach, beforeEach, describe, expect, test} from 'bun:test'
import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {ManifestError, artifactDigest, encodeManifest, goJsonString, manifestFromProto, parseManifest} from '../../../src/core/artifacts/index.ts'
import {ArtifactManifest} from '../../../src/core/proto.ts'
import cases from './fixtures/manifest-cases.json'
import goEncodings from './fixtures/go-manifest-encodings.json'
import {tempDir} from './helpers.ts'

interface Case {
  name: string
  storageRegion?: string | null
  entries: Array<{path: string; digest: string; ref?: string; size: number; local_path: string; birth: string; skip_cache: boolean; extra: Array<{key: string; value_json: string}>}>
}

function protoOf(c: Case): ArtifactManifest {
  return ArtifactManifest.create({
    version: 1,
    storage_policy: 'wandb-storage-policy-v1',
    storage_policy_config: [{key: 'storageLayout', value_json: '"V2"'}, ...(c.storageRegion ? [{key: 'storageRegion', value_json: JSON.stringify(c.storageRegion)}] : [])],
    contents: c.entries.map((e) => ({
      path: e.path,
      digest: e.digest,
      ref: e.ref ?? '',
      size: BigInt(e.size),
      mimetype: '',
      local_path: e.local_path,
      birth_artifact_id: e.birth,
      skip_cache: e.skip_cache,
      extra: e.extra,
    })),
  })
}

let dir: ReturnType<typeof tempDir>
beforeEach(() => {
  dir = tempDir()
})
afterEach(() => dir.dispose())

describe('encodeManifest', () => {
  for (const [i, c] of (cases as Case[]).entries()) {
    test(`matches Go's encoding byte for byte: ${c.name}`, async () => {
      expect(encodeManifest(await manifestFromProto(protoOf(c)))).toBe((goEncodings as string[])[i])
    })
  }

  test('re-encodes a manifest Go wandb-core 0.31 uploaded to the same bytes', () => {
    const raw = readFileSync(join(import.meta.dir, 'fixtures', 'go-core-0.31-manifest.json'), 'utf8')
    expect(encodeManifest(parseManifest(raw))).toBe(raw)
  })

  test('escapes strings as Go does', () => {
    expect(goJsonString('<a&b>\u2028\u2029"\\\n\t\x01\x7f😀')).toBe('"\\u003ca\\u0026b\\u003e\\u2028\\u2029\\"\\\\\\n\\t\\u0001\x7f😀"')
  })
})

describe('manifestFromProto', () => {
  test('reads the gzipped JSON-lines file of a large manifest and deletes it', async () => {
    const path = join(dir.path, 'm.manifest_contents.jl.gz')
    const lines = [
      {path: 'a.txt', digest: 'VVs7OgeuE7+wF4Zwef2HLg==', birthArtifactID: 'QQ==', size: 3, extra: {k: 1}, local_path: '/s/a', skip_cache: true},
      {path: 'r', digest: 'etag', ref: 's3://b/r', size: 9},
    ]
    writeFileSync(path, Bun.gzipSync(new TextEncoder().encode(lines.map((l) => JSON.stringify(l)).join('\n') + '\n')))
    const m = await manifestFromProto(ArtifactManifest.create({version: 1, storage_policy: 'wandb-storage-policy-v1', manifest_file_path: path}))
    expect(existsSync(path)).toBe(false)
    expect(m.contents.get('a.txt')).toEqual({digest: 'VVs7OgeuE7+wF4Zwef2HLg==', size: 3, skipCache: true, extra: {k: 1}, localPath: '/s/a', birthArtifactId: 'QQ=='})
    expect(m.contents.get('r')).toEqual({digest: 'etag', size: 9, skipCache: false, extra: {}, ref: 's3://b/r'})
  })

  test('a damaged manifest file is an error and is still deleted', async () => {
    const path = join(dir.path, 'bad.jl.gz')
    writeFileSync(path, 'not gzip')
    await expect(manifestFromProto(ArtifactManifest.create({version: 1, manifest_file_path: path}))).rejects.toThrow(ManifestError)
    expect(existsSync(path)).toBe(false)
  })
})

describe('parseManifest', () => {
  test('reads entries of any writer, ignores unknown keys, defaults a missing storage layout to V1 as the SDK does', () => {
    const m = parseManifest(JSON.stringify({version: 1, storagePolicy: 'wandb-storage-policy-v1', storagePolicyConfig: {}, contents: {'a/b': {digest: 'x', size: 2, future: true}}}))
    expect(m.storagePolicyConfig).toEqual({storageLayout: 'V1'})
    expect(m.contents.get('a/b')).toEqual({digest: 'x', size: 2, skipCache: false, extra: {}})
    expect(() => parseManifest('{"version": 2, "contents": {}}')).toThrow(ManifestError)
    expect(() => parseManifest('{"version": 1, "contents": {"x": {"size": 1}}}')).toThrow(ManifestError)
  })
})

describe('artifactDigest', () => {
  test('is the digest the SDK computed for the e2e dataset (paths sorted, "path:digest" lines)', () => {
    const entries: Array<[string, string]> = [
      ['nested/deep/c.json', 'wuDBasn7cH+fVCt5qbsdRg=='],
      ['a.txt', 'VVs7OgeuE7+wF4Zwef2HLg=='],
      ['empty.txt', '1B2M2Y8AsgTpgAmY7PhCfg=='],
      ['b.bin', 'ZVYRI3KJjGnh3gv2idjbJg=='],
    ]
    expect(artifactDigest(entries)).toBe('4ecbc2901a23a6ce4d71211ea9d245a4')
  })
})

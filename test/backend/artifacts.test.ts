/**
 * The artifact GraphQL flow driven directly, the way wandb-core's saver does it: versions,
 * digest dedup, content dedup, aliases, linking, membership lookups, multipart uploads.
 */
import {afterAll, beforeAll, expect, test} from 'bun:test'
import {gql, gqlOk, upsertRun} from './gql-client.ts'
import {startBackend, type Backend} from './index.ts'

const CREATE = `mutation CreateArtifact($input: CreateArtifactInput!) { createArtifact(input: $input) { ...CreatedArtifact } }
fragment CreatedArtifact on CreateArtifactPayload { artifact { id state artifactSequence { latestArtifact { id } } } }`
const MANIFEST = `mutation CreateArtifactManifest($artifactID: ID!, $baseArtifactID: ID, $name: String!, $digest: String!, $entityName: String!, $projectName: String!, $runName: String!, $manifestType: ArtifactManifestType!, $includeUpload: Boolean!) {
  createArtifactManifest(input: {artifactID: $artifactID, baseArtifactID: $baseArtifactID, name: $name, digest: $digest, entityName: $entityName, projectName: $projectName, runName: $runName, type: $manifestType}) {
    artifactManifest { id file { id uploadUrl @include(if: $includeUpload) uploadHeaders @include(if: $includeUpload) } } } }`
const FILES = `mutation CreateArtifactFiles($input: CreateArtifactFilesInput!) { createArtifactFiles(input: $input) { files { edges { node {
  storagePath uploadUrl uploadHeaders uploadMultipartUrls { uploadID uploadUrlParts { partNumber uploadUrl } } artifact { id } } } } } }`
const COMMIT = 'mutation CommitArtifact($artifactID: ID!) { commitArtifact(input: {artifactID: $artifactID}) { artifact { id digest } } }'
const MEMBERSHIP = `query ArtifactMembershipByName($entity: String!, $project: String!, $name: String!) { project(name: $project, entityName: $entity) {
  artifactCollectionMembership(name: $name) { __typename id versionIndex aliases { __typename alias } artifactCollection { __typename name }
    artifact { __typename id versionIndex state size fileCount digest ttlDurationSeconds ttlIsInherited tags { name } createdAt
      artifactType { name } artifactSequence { __typename name project { id internalId name entity { name } } } } } } }`

const md5 = (d: Uint8Array) => new Bun.CryptoHasher('md5').update(d)
const b64md5 = (d: Uint8Array) => md5(d).digest('base64')

let backend: Backend
beforeAll(async () => {
  backend = await startBackend({quiet: true})
  await upsertRun(backend, {name: 'maker', project: 'arts', entity: 'nexus'})
})
afterAll(() => backend.stop())

/** Saves an artifact like wandb-core does; returns the artifact id, the create state and upload count. */
async function save(name: string, files: Record<string, string>, aliases: string[] = []): Promise<{id: string; state: string; uploads: number}> {
  const paths = Object.keys(files).sort()
  const bytes = Object.fromEntries(paths.map((p) => [p, new TextEncoder().encode(files[p])]))
  const digest = md5(new TextEncoder().encode('wandb-artifact-manifest-v1\n' + paths.map((p) => `${p}:${b64md5(bytes[p])}\n`).join(''))).digest('hex')
  const created = (
    await gqlOk(backend, CREATE, {
      input: {
        entityName: 'nexus',
        projectName: 'arts',
        artifactTypeName: 'dataset',
        artifactCollectionName: name,
        runName: 'maker',
        digest,
        digestAlgorithm: 'MANIFEST_MD5',
        aliases: aliases.map((alias) => ({artifactCollectionName: name, alias})),
        enableDigestDeduplication: true,
        clientID: `client-${name}-${digest}`,
        sequenceClientID: `seq-${name}`,
        metadata: '{"k":1}',
      },
    })
  ).createArtifact.artifact
  if (created.state === 'COMMITTED') return {id: created.id, state: 'COMMITTED', uploads: 0}
  const common = {artifactID: created.id, baseArtifactID: null, name: 'wandb_manifest.json', entityName: 'nexus', projectName: 'arts', runName: 'maker', manifestType: 'FULL'}
  const first = await gqlOk(backend, MANIFEST, {...common, digest: '', includeUpload: false})
  expect(first.createArtifactManifest.artifactManifest.file).toEqual({id: expect.any(String)})
  const specs = paths.map((p) => ({artifactID: created.id, name: p, md5: b64md5(bytes[p]), artifactManifestID: first.createArtifactManifest.artifactManifest.id, uploadPartsInput: null}))
  const edges = (await gqlOk(backend, FILES, {input: {artifactFiles: specs, storageLayout: 'V2'}})).createArtifactFiles.files.edges
  expect(edges.length).toBe(paths.length)
  let uploads = 0
  for (const [i, e] of edges.entries()) {
    expect(e.node.artifact.id).toBe(created.id)
    if (e.node.uploadUrl) {
      expect((await fetch(e.node.uploadUrl, {method: 'PUT', body: bytes[paths[i]]})).status).toBe(200)
      uploads++
    }
  }
  const manifest = JSON.stringify({
    version: 1,
    storagePolicy: 'wandb-storage-policy-v1',
    storagePolicyConfig: {storageLayout: 'V2'},
    contents: Object.fromEntries(paths.map((p) => [p, {digest: b64md5(bytes[p]), size: bytes[p].byteLength, birthArtifactID: created.id, skip_cache: false}])),
  })
  const second = await gqlOk(backend, MANIFEST, {...common, digest: b64md5(new TextEncoder().encode(manifest)), includeUpload: true})
  expect(second.createArtifactManifest.artifactManifest.file.uploadHeaders).toEqual([])
  expect((await fetch(second.createArtifactManifest.artifactManifest.file.uploadUrl, {method: 'PUT', body: manifest})).status).toBe(200)
  await gqlOk(backend, COMMIT, {artifactID: created.id})
  return {id: created.id, state: 'PENDING', uploads}
}

test('versions are assigned at commit, `latest` moves, identical digests dedup to COMMITTED, stored content is not re-uploaded', async () => {
  const v0 = await save('coll', {'a.txt': 'alpha', 'b.txt': 'beta'}, ['first'])
  expect(v0).toMatchObject({state: 'PENDING', uploads: 2})
  expect(Buffer.from(v0.id, 'base64').toString()).toMatch(/^Artifact:\d+$/)
  const same = await save('coll', {'b.txt': 'beta', 'a.txt': 'alpha'}, ['again'])
  expect(same).toEqual({id: v0.id, state: 'COMMITTED', uploads: 0})
  const v1 = await save('coll', {'a.txt': 'alpha', 'c.txt': 'gamma'})
  expect(v1.uploads).toBe(1) // a.txt is already stored (content addressed)

  const arts = (await backend.inspectArtifacts()).filter((a) => a.name === 'coll')
  expect(arts.map((a) => [a.version, a.aliases])).toEqual([
    ['v0', ['again', 'first']],
    ['v1', ['latest']],
  ])
  expect(arts[1].files).toEqual({'a.txt': {size: 5, digest: b64md5(new TextEncoder().encode('alpha'))}, 'c.txt': {size: 5, digest: b64md5(new TextEncoder().encode('gamma'))}})
  expect(arts[0]).toMatchObject({createdBy: 'maker', state: 'COMMITTED', type: 'dataset'})

  const byAlias = await gqlOk(backend, MEMBERSHIP, {entity: 'nexus', project: 'arts', name: 'coll:first'})
  const m = byAlias.project.artifactCollectionMembership
  expect(m).toMatchObject({__typename: 'ArtifactCollectionMembership', versionIndex: 0, artifactCollection: {__typename: 'ArtifactSequence', name: 'coll'}})
  expect(m.artifact).toMatchObject({
    __typename: 'Artifact',
    id: v0.id,
    state: 'COMMITTED',
    size: 9,
    fileCount: 2,
    ttlDurationSeconds: -2,
    ttlIsInherited: true,
    tags: [],
    artifactType: {name: 'dataset'},
  })
  expect(typeof m.artifact.artifactSequence.project.internalId).toBe('string')
  const byVersion = await gqlOk(backend, MEMBERSHIP, {entity: 'nexus', project: 'arts', name: 'coll:v1'})
  expect(byVersion.project.artifactCollectionMembership.artifact.id).toBe(v1.id)
  const missing = await gqlOk(backend, MEMBERSHIP, {entity: 'nexus', project: 'arts', name: 'coll:v9'})
  expect(missing.project.artifactCollectionMembership).toBeNull()
})

test('file URLs, the manifest URL and ArtifactType resolve for downloads', async () => {
  const data = await gqlOk(backend, `query Q($id: ID!) { artifact(id: $id) { currentManifest { file { directUrl } } } }`, {id: (await save('dl', {'x.bin': 'xyz'})).id})
  const manifest = await (await fetch(data.artifact.currentManifest.file.directUrl)).json()
  expect(Object.keys(manifest.contents)).toEqual(['x.bin'])
  const files = await gqlOk(
    backend,
    `query GetArtifactMembershipFileUrls($entity: String!, $project: String!, $collection: String!, $alias: String!, $cursor: String, $perPage: Int) {
    project(name: $project, entityName: $entity) { artifactCollection(name: $collection) { __typename artifactMembership(aliasName: $alias) {
      files(after: $cursor, first: $perPage) { pageInfo { __typename endCursor hasNextPage } edges { node { __typename name directUrl } } } } } } }`,
    {entity: 'nexus', project: 'arts', collection: 'dl', alias: 'latest', cursor: null, perPage: 5000},
  )
  const conn = files.project.artifactCollection.artifactMembership.files
  expect(conn.pageInfo).toMatchObject({__typename: 'PageInfo', hasNextPage: false})
  expect(await (await fetch(conn.edges[0].node.directUrl)).text()).toBe('xyz')
  const type = await gqlOk(
    backend,
    'query ArtifactType($entity: String, $project: String, $name: String!) { project(name: $project, entityName: $entity) { artifact(name: $name) { artifactType { name } } } }',
    {entity: 'nexus', project: 'arts', name: 'dl:latest'},
  )
  expect(type.project.artifact.artifactType.name).toBe('dataset')
  const none = await gqlOk(backend, 'query ArtifactType($name: String!) { project(name: "arts", entityName: "nexus") { artifact(name: $name) { artifactType { name } } } }', {name: 'new:latest'})
  expect(none.project.artifact).toBeNull()
})

test('linkArtifact adds the version to a portfolio with its aliases and never answers null', async () => {
  const {id} = await save('linked', {'l.txt': 'link me'})
  const link = `mutation LinkArtifact($artifactPortfolioName: String!, $entityName: String!, $projectName: String!, $aliases: [ArtifactAliasInput!], $clientId: ID, $artifactId: ID) {
    linkArtifact(input: {artifactPortfolioName: $artifactPortfolioName, entityName: $entityName, projectName: $projectName, aliases: $aliases, artifactID: $artifactId, clientID: $clientId}) { versionIndex } }`
  const r = await gqlOk(backend, link, {
    artifactPortfolioName: 'portfolio',
    entityName: 'nexus',
    projectName: 'registry',
    aliases: [{artifactCollectionName: 'portfolio', alias: 'prod'}],
    artifactId: id,
    clientId: null,
  })
  expect(r.linkArtifact).toEqual({versionIndex: 0})
  const art = (await backend.inspectArtifacts()).find((a) => a.name === 'linked')
  expect(art?.links).toEqual(['nexus/registry/portfolio:v0'])
  const bad = await gql(backend, link, {artifactPortfolioName: 'p', entityName: 'nexus', projectName: 'x', aliases: [], artifactId: Buffer.from('Artifact:999').toString('base64'), clientId: null})
  expect(bad.status).toBe(200)
  expect(bad.errors?.[0].message).toContain('not found')
})

test('multipart uploads: part PUTs answer an ETag, completion assembles the file', async () => {
  const created = (await gqlOk(backend, CREATE, {input: {entityName: 'nexus', projectName: 'arts', artifactTypeName: 'model', artifactCollectionName: 'big', digest: 'd', aliases: []}})).createArtifact
    .artifact
  const parts = [new Uint8Array(1000).fill(1), new Uint8Array(500).fill(2)]
  const whole = new Uint8Array([...parts[0], ...parts[1]])
  const spec = {artifactID: created.id, name: 'big.bin', md5: b64md5(whole), artifactManifestID: null, uploadPartsInput: parts.map((p, i) => ({partNumber: i + 1, hexMD5: md5(p).digest('hex')}))}
  const node = (await gqlOk(backend, FILES, {input: {artifactFiles: [spec], storageLayout: 'V2'}})).createArtifactFiles.files.edges[0].node
  const urls = node.uploadMultipartUrls
  expect(urls.uploadUrlParts.map((u: {partNumber: number}) => u.partNumber)).toEqual([1, 2])
  const etags: string[] = []
  for (const [i, u] of urls.uploadUrlParts.entries()) {
    const res = await fetch(u.uploadUrl, {method: 'PUT', body: parts[i]})
    expect(res.status).toBe(200)
    etags.push(res.headers.get('etag') as string)
  }
  expect(etags[0]).toBe(`"${md5(parts[0]).digest('hex')}"`)
  const done = await gqlOk(
    backend,
    `mutation CompleteMultipartUploadArtifact($completeMultipartAction: CompleteMultipartAction!, $completedParts: [UploadPartsInput!]!, $artifactID: ID!, $storagePath: String!, $uploadID: String!) {
    completeMultipartUploadArtifact(input: {completeMultipartAction: $completeMultipartAction, completedParts: $completedParts, artifactID: $artifactID, storagePath: $storagePath, uploadID: $uploadID}) { digest } }`,
    {completeMultipartAction: 'Complete', completedParts: etags.map((e, i) => ({partNumber: i + 1, hexMD5: e})), artifactID: created.id, storagePath: node.storagePath, uploadID: urls.uploadID},
  )
  expect(done.completeMultipartUploadArtifact.digest).toBe(b64md5(whole))
  const again = (await gqlOk(backend, FILES, {input: {artifactFiles: [spec], storageLayout: 'V2'}})).createArtifactFiles.files.edges[0].node
  expect(again.uploadUrl).toBeNull()
  const got = new Uint8Array(await (await fetch(node.uploadUrl)).arrayBuffer())
  expect(got).toEqual(whole)
  const ranged = await fetch(node.uploadUrl, {headers: {Range: 'bytes=998-1001'}})
  expect(ranged.status).toBe(206)
  expect([...new Uint8Array(await ranged.arrayBuffer())]).toEqual([1, 1, 2, 2])
})

test('an upload whose bytes do not match the URL MD5 is rejected', async () => {
  const res = await fetch(`${backend.url}/_storage/blobs/${'0'.repeat(32)}`, {method: 'PUT', body: 'nope'})
  expect(res.status).toBe(400)
})

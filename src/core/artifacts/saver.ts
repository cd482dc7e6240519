/**
 * One artifact save, step by step as wandb-core does it (network-protocol.md §5.4):
 * CreateArtifact (COMMITTED = the same content exists: stop there) → CreateArtifactManifest
 * without upload → files (file-uploads.ts) → client-id references resolved → the manifest JSON
 * written and CreateArtifactManifest again with its digest (UpdateArtifactManifest for
 * incremental and distributed artifacts) → manifest PUT → CommitArtifact → UseArtifact when the
 * SDK logged a draft through use_artifact. Staged copies are deleted at the end, uploaded files
 * are copied into the local cache unless skip_cache.
 */
import {randomBytes} from 'node:crypto'
import {chmod, mkdir, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {basename, dirname, join, sep} from 'node:path'
import {parseUploadHeaders} from '../filetransfer/index.ts'
import type {Operation} from '../operations/index.ts'
import type {ArtifactRecord} from '../proto.ts'
import {b64ToHex, md5B64} from './digests.ts'
import {ArtifactError, ArtifactSaveError, ArtifactTransferError} from './errors.ts'
import type {ArtifactFileCache} from './file-cache.ts'
import {uploadArtifactFiles, type FileUploadDeps} from './file-uploads.ts'
import {
  CLIENT_ID_MAPPING,
  COMMIT_ARTIFACT,
  CREATE_ARTIFACT,
  CREATE_ARTIFACT_MANIFEST,
  UPDATE_ARTIFACT_MANIFEST,
  USE_ARTIFACT,
  type ClientIdMappingData,
  type CreateArtifactData,
  type CreateArtifactManifestData,
  type ManifestAttrs,
  type UpdateArtifactManifestData,
} from './gql-save.ts'
import {encodeManifest, isXxh128, manifestFromProto, type Manifest} from './manifest.ts'

/** Everything a save uses besides its request. */
export interface SaverDeps extends FileUploadDeps {
  cache: ArtifactFileCache
  /** User-facing warnings (the run's printer). */
  warn: (message: string) => void
  /** Whether UseArtifact may carry artifactEntityName/artifactProjectName (a server feature). */
  useArtifactEntityProject: (signal: AbortSignal) => Promise<boolean>
}

/** One save: the SDK's artifact record and what the LogArtifactRequest adds. */
export interface SaveRequest {
  artifact: ArtifactRecord
  /** The run's step when it was logged; 0 is sent as null (Go nullify). */
  historyStep?: bigint
  /**
   * The SDK's staging folder (live saves): staged copies under it are deleted after the save, the
   * manifest is written there. Absent for an artifact record replayed from a .wandb file: then
   * nothing the record refers to is deleted (the offline run may be synced again).
   */
  stagingDir?: string
  /** The "uploading artifact …" operation, for per-file subtasks. */
  operation?: Operation
}

const nilIfEmpty = (s: string) => (s === '' ? null : s)

/** Runs one save and resolves the artifact's server id. Throws ArtifactSaveError naming the step. */
export async function saveArtifact(d: SaverDeps, req: SaveRequest): Promise<string> {
  const a = req.artifact
  let manifest: Manifest
  try {
    manifest = await manifestFromProto(a.manifest, {keepFile: !req.stagingDir})
  } catch (err) {
    throw new ArtifactSaveError('reading the manifest', err)
  }
  const caching: Promise<unknown>[] = []
  const deps: SaverDeps = {
    ...d,
    onEntry: (entry) => {
      if (entry.skipCache || entry.localPath === undefined) return
      caching.push(d.cache.addFile(entry.localPath, entry.digest).catch((err) => d.logger.captureError('artifacts: cannot add a file to the cache', err)))
    },
  }
  let id: string
  try {
    id = await runSave(deps, req, manifest)
  } finally {
    await Promise.allSettled(caching)
  }
  // Only a committed artifact no longer needs its staged copies. Go deletes them after a failed
  // save too; kept, they let a later `nexus sync` of the same offline run deliver the artifact.
  // A save without a staging dir replays an artifact record of a .wandb file (sync): its staged
  // copies belong to the offline run, which a later sync (nexus or Go, elsewhere) needs again.
  if (req.stagingDir) await deleteStagedFiles(manifest, req.stagingDir)
  return id
}

async function step<T>(name: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (err) {
    throw new ArtifactSaveError(name, err)
  }
}

async function runSave(d: SaverDeps, req: SaveRequest, manifest: Manifest): Promise<string> {
  const a = req.artifact
  const gql = <T>(query: string, operationName: string, variables: Record<string, unknown>) => d.graphql.request<T>({query, operationName, variables}, {policy: d.graphqlPolicy, signal: d.signal})

  await step('checkDigestAlgorithm', async () => {
    const xxh = a.digest_algorithm === 'MANIFEST_XXH128' || [...manifest.contents.values()].some((e) => e.ref === undefined && isXxh128(e))
    if (xxh) throw new ArtifactError('artifacts: artifacts hashed with XXH128 are not supported by nexus; create them with digest_algorithm="MD5" (the default)')
  })
  const created = await step('createArtifact', async () => {
    const data = await gql<CreateArtifactData>(CREATE_ARTIFACT, 'CreateArtifact', {input: createArtifactInput(req, manifest)})
    const artifact = data?.createArtifact?.artifact
    if (!artifact?.id) throw new ArtifactError('artifacts: createArtifact answered no artifact')
    return artifact
  })
  const artifactId = created.id
  const baseId = a.base_id || created.artifactSequence?.latestArtifact?.id || null
  const useArtifact = () =>
    step('useArtifact', async () => {
      const input: Record<string, unknown> = {artifactID: artifactId, entityName: a.entity, projectName: a.project, runName: a.run_id, usedAs: null, clientMutationId: null}
      if (await d.useArtifactEntityProject(d.signal)) Object.assign(input, {artifactEntityName: a.entity, artifactProjectName: a.project})
      await gql(USE_ARTIFACT, 'UseArtifact', {input})
    })

  if (created.state === 'COMMITTED') {
    if (a.use_after_commit) await useArtifact()
    d.warn(`Artifact ${JSON.stringify(a.name)} already exists with the same content. No new version will be created.`)
    return artifactId
  }
  // DELETED is what very old servers answer for a new version.
  if (created.state !== 'PENDING' && created.state !== 'DELETED') throw new ArtifactSaveError('createArtifact', new ArtifactError(`artifacts: unexpected artifact state ${created.state}`))

  const {name: manifestName, type: manifestType} = manifestKind(a)
  const upsertVars = {artifactID: artifactId, baseArtifactID: baseId, name: manifestName, entityName: a.entity, projectName: a.project, runName: a.run_id, manifestType}
  const first = await step('createManifest', async () =>
    manifestAttrs(await gql<CreateArtifactManifestData>(CREATE_ARTIFACT_MANIFEST, 'CreateArtifactManifest', {...upsertVars, digest: '', includeUpload: false})),
  )

  await step('uploadFiles', () => uploadArtifactFiles(d, artifactId, first.id, manifest, req.operation))
  await step('resolveClientIDReferences', () => resolveClientIdReferences(d, manifest))

  const body = encodeManifest(manifest)
  const digest = md5B64(body)
  const manifestFile = await step('writeManifest', () => writeTempFile(req.stagingDir ?? '', body))
  try {
    const target = await step('upsertManifest', async () => {
      if (a.incremental_beta1 || a.distributed_id !== '') {
        const data = await gql<UpdateArtifactManifestData>(UPDATE_ARTIFACT_MANIFEST, 'UpdateArtifactManifest', {artifactManifestID: first.id, digest, baseArtifactID: null, includeUpload: true})
        return manifestAttrs({createArtifactManifest: data?.updateArtifactManifest ?? null})
      }
      return manifestAttrs(await gql<CreateArtifactManifestData>(CREATE_ARTIFACT_MANIFEST, 'CreateArtifactManifest', {...upsertVars, digest, includeUpload: true}))
    })
    await step('uploadManifest', async () => {
      const url = target.file?.uploadUrl
      if (!url) throw new ArtifactError('artifacts: the manifest has no upload URL')
      const delivery = await d.transfers.upload({path: manifestFile, url, headers: parseUploadHeaders(target.file?.uploadHeaders ?? []).headers, kind: 'artifact'})
      if (delivery.status !== 'delivered') throw new ArtifactTransferError(`artifacts: uploading the manifest failed (${delivery.status})`, {cause: delivery.error})
    })
  } finally {
    await rm(manifestFile, {force: true}).catch(() => {})
  }

  if (a.finalize) {
    await step('commitArtifact', () => gql(COMMIT_ARTIFACT, 'CommitArtifact', {artifactID: artifactId}))
    if (a.use_after_commit) await useArtifact()
  }
  return artifactId
}

/** CreateArtifactInput as 0.31 wandb-core fills it: zero values null, tags only when present. */
export function createArtifactInput(req: SaveRequest, manifest: Manifest): Record<string, unknown> {
  const a = req.artifact
  const step = req.historyStep ?? 0n
  const input: Record<string, unknown> = {
    aliases: a.aliases.length > 0 ? a.aliases.map((alias) => ({alias, artifactCollectionName: a.name})) : null,
    artifactCollectionName: a.name,
    artifactCollectionNames: null,
    artifactTypeName: a.type,
    clientID: a.client_id,
    clientMutationId: null,
    description: nilIfEmpty(a.description),
    digest: a.digest,
    digestAlgorithm: a.digest_algorithm || 'MANIFEST_MD5',
    distributedID: nilIfEmpty(a.distributed_id),
    enableDigestDeduplication: true,
    entityName: a.entity,
    historyStep: step === 0n ? null : Number(step),
    labels: null,
    metadata: nilIfEmpty(a.metadata),
    projectName: a.project,
    runName: a.user_created ? null : a.run_id,
    sequenceClientID: a.sequence_client_id,
    storageRegion: manifest.storagePolicyConfig.storageRegion ?? null,
    ttlDurationSeconds: a.ttl_duration_seconds === 0n ? null : Number(a.ttl_duration_seconds),
  }
  if (a.tags.length > 0) input.tags = a.tags.map((tagName) => ({tagName, tagCategoryName: null, attributes: null}))
  return input
}

function manifestKind(a: ArtifactRecord): {name: string; type: string} {
  if (a.incremental_beta1) return {name: 'wandb_manifest.incremental.json', type: 'INCREMENTAL'}
  if (a.distributed_id !== '') return {name: 'wandb_manifest.patch.json', type: 'PATCH'}
  return {name: 'wandb_manifest.json', type: 'FULL'}
}

function manifestAttrs(data: CreateArtifactManifestData): ManifestAttrs {
  const m = data?.createArtifactManifest?.artifactManifest
  if (!m?.id) throw new ArtifactError('artifacts: the server answered no artifact manifest')
  return m
}

/** `wandb-client-artifact://<client id>/<path>` → `wandb-artifact://<hex of the server id>/<path>`. */
async function resolveClientIdReferences(d: SaverDeps, manifest: Manifest): Promise<void> {
  const serverIds = new Map<string, string>()
  for (const entry of manifest.contents.values()) {
    if (!entry.ref?.startsWith('wandb-client-artifact:')) continue
    const url = new URL(entry.ref)
    const clientId = url.host
    const path = decodeURIComponent(url.pathname.replace(/^\//, ''))
    let serverId = serverIds.get(clientId)
    if (serverId === undefined) {
      const data = await d.graphql.request<ClientIdMappingData>(
        {query: CLIENT_ID_MAPPING, operationName: 'ClientIDMapping', variables: {clientID: clientId}},
        {policy: d.graphqlPolicy, signal: d.signal},
      )
      if (!data?.clientIDMapping) throw new ArtifactError(`artifacts: could not resolve client id ${clientId}`)
      serverId = data.clientIDMapping.serverID
      serverIds.set(clientId, serverId)
    }
    entry.ref = `wandb-artifact://${b64ToHex(serverId)}/${path}`
  }
}

/** Writes `body` to a new file in `dir` (created if needed), else in the OS temp folder. */
async function writeTempFile(dir: string, body: string): Promise<string> {
  const name = `tmpfile-${randomBytes(8).toString('hex')}`
  if (dir !== '') {
    try {
      await mkdir(dir, {recursive: true})
      const path = join(dir, name)
      await writeFile(path, body, {flag: 'wx'})
      return path
    } catch {
      // fall back to the OS temp folder, as Go does without a staging dir
    }
  }
  const path = join(tmpdir(), name)
  await writeFile(path, body, {flag: 'wx'})
  return path
}

/**
 * Deletes the staged copies the SDK made for a committed save: local files under `stagingDir`, or, for
 * artifact records replayed from a .wandb file (no staging dir), files directly in a folder named
 * `artifacts/staging`. Never anything else (a file added with policy "immutable" is the user's own).
 */
export async function deleteStagedFiles(manifest: Manifest, stagingDir: string): Promise<void> {
  const prefix = stagingDir === '' ? undefined : stagingDir.endsWith(sep) ? stagingDir : stagingDir + sep
  for (const entry of manifest.contents.values()) {
    const p = entry.localPath
    if (p === undefined) continue
    const staged = prefix !== undefined ? p.startsWith(prefix) : basename(dirname(p)) === 'staging' && basename(dirname(dirname(p))) === 'artifacts'
    if (!staged) continue
    await chmod(p, 0o600).catch(() => {})
    await rm(p, {force: true}).catch(() => {})
  }
}

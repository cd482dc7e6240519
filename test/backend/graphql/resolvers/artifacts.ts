/**
 * Artifact save flow (network-protocol.md §5.4): `createArtifact` (digest dedup → COMMITTED),
 * `createArtifactManifest` (called twice; upsert by artifact + name), `updateArtifactManifest`,
 * `createArtifactFiles` (same order and count as the input; `uploadUrl: null` when the MD5 is
 * already stored), `completeMultipartUploadArtifact`, `commitArtifact` (assigns the version,
 * moves `latest`), plus `useArtifact`, `linkArtifact`, `updateArtifact`. Payloads are never null.
 */
import {asList, type Ctx, entityOr, projectOr, str} from '../context.ts'
import {GqlError} from '../executor.ts'
import {fromGqlId, toGqlId} from '../../ids.ts'
import {manifestEntries} from '../../manifest.ts'
import {b64ToHex, hexToB64, type ArtifactRow} from '../../store/index.ts'
import {artifactObject, blobUrl} from '../objects/artifact.ts'
import {membershipObject} from '../objects/collection.ts'

type Input = Record<string, any>

/** The artifact with this GraphQL id; throws a GraphQL error when unknown. */
export function requireArtifact(ctx: Ctx, id: unknown): ArtifactRow {
  const n = fromGqlId(id, 'Artifact')
  const a = n === null ? null : ctx.store.artifacts.get(n)
  if (!a) throw new GqlError(`artifact ${String(id)} not found`)
  return a
}

function createArtifact(args: {input?: Input}, ctx: Ctx) {
  const input = args.input ?? {}
  const store = ctx.store
  const project = store.projects.ensure(entityOr(ctx, input.entityName), projectOr(input.projectName))
  const type = str(input.artifactTypeName) ?? 'unspecified'
  const name = str(input.artifactCollectionName)
  if (!name) throw new GqlError('createArtifact: artifactCollectionName is required')
  const sequence = store.collections.ensure(project.id, name, type, 'sequence')
  if (sequence.type_name !== type) {
    throw new GqlError(`artifact collection ${name} has type ${sequence.type_name}, not ${type}`)
  }
  const aliases = (asList(input.aliases) as {artifactCollectionName?: string; alias?: string}[])
    .filter((a) => !a.artifactCollectionName || a.artifactCollectionName === name)
    .map((a) => String(a.alias))
  const latest = store.artifacts.latestOf(sequence.id)
  if (input.enableDigestDeduplication !== false && latest && latest.digest === input.digest) {
    for (const alias of aliases) store.collections.setAlias(sequence.id, alias, latest.id)
    return {__typename: 'CreateArtifactPayload', artifact: artifactObject(ctx, latest)}
  }
  const run = str(input.runName) ? store.runs.find(project.id, input.runName) : null
  const ttl = Number(input.ttlDurationSeconds)
  const step = Number(input.historyStep)
  const a = store.artifacts.create({
    sequenceId: sequence.id,
    typeName: type,
    digest: String(input.digest ?? ''),
    description: str(input.description),
    metadata: str(input.metadata),
    historyStep: input.historyStep == null || !Number.isFinite(step) ? null : step,
    ttlSeconds: input.ttlDurationSeconds == null || !Number.isFinite(ttl) || ttl <= 0 ? null : ttl,
    runId: run?.id ?? null,
    clientId: str(input.clientID),
    sequenceClientId: str(input.sequenceClientID),
    aliases,
  })
  return {__typename: 'CreateArtifactPayload', artifact: artifactObject(ctx, a)}
}

function manifestPayload(ctx: Ctx, manifestId: number, name: string) {
  const url = `${ctx.baseUrl}/_storage/manifests/${manifestId}`
  return {
    __typename: 'CreateArtifactManifestPayload',
    artifactManifest: {
      __typename: 'ArtifactManifest',
      id: toGqlId('ArtifactManifest', manifestId),
      file: {__typename: 'File', id: toGqlId('File', manifestId), name, displayName: name, uploadUrl: url, uploadHeaders: [], directUrl: url},
    },
  }
}

function createArtifactManifest(args: {input?: Input}, ctx: Ctx) {
  const input = args.input ?? {}
  const a = requireArtifact(ctx, input.artifactID)
  const name = str(input.name) ?? 'wandb_manifest.json'
  const m = ctx.store.artifacts.upsertManifest(a.id, name, String(input.digest ?? ''), String(input.type ?? 'FULL'))
  return manifestPayload(ctx, m.id, name)
}

function updateArtifactManifest(args: {input?: Input}, ctx: Ctx) {
  const input = args.input ?? {}
  const id = fromGqlId(input.artifactManifestID, 'ArtifactManifest')
  const m = id === null ? null : ctx.store.artifacts.manifest(id)
  if (!m) throw new GqlError(`artifact manifest ${String(input.artifactManifestID)} not found`)
  ctx.store.artifacts.setManifestDigest(m.id, str(input.digest))
  return {...manifestPayload(ctx, m.id, m.name), __typename: 'UpdateArtifactManifestPayload'}
}

function createArtifactFiles(args: {input?: Input}, ctx: Ctx) {
  const specs = asList(args.input?.artifactFiles) as Input[]
  const edges = specs.map((spec) => {
    const a = requireArtifact(ctx, spec.artifactID)
    const hex = b64ToHex(String(spec.md5 ?? ''))
    if (!hex) throw new GqlError(`createArtifactFiles: ${spec.name}: md5 must be base64 of 16 bytes`)
    const stored = ctx.store.blobs.size(hex) !== null
    const parts = asList(spec.uploadPartsInput) as {partNumber: number}[]
    let multipart = null
    if (!stored && parts.length > 0) {
      const uploadID = ctx.store.multipart.begin(hex)
      multipart = {
        __typename: 'UploadMultipartUrls',
        uploadID,
        uploadUrlParts: parts.map((p) => ({__typename: 'UploadUrlPart', partNumber: p.partNumber, uploadUrl: `${ctx.baseUrl}/_storage/multipart/${uploadID}/${p.partNumber}`})),
      }
    }
    return {
      __typename: 'FileEdge',
      node: {
        __typename: 'File',
        id: toGqlId('File', a.id),
        name: spec.name,
        displayName: spec.name,
        storagePath: `blobs/${hex}`,
        uploadUrl: stored ? null : blobUrl(ctx, hex),
        uploadHeaders: [],
        uploadMultipartUrls: multipart,
        artifact: {__typename: 'Artifact', id: toGqlId('Artifact', a.id)},
      },
    }
  })
  return {__typename: 'CreateArtifactFilesPayload', files: {__typename: 'FileConnection', edges}}
}

function completeMultipartUploadArtifact(args: {input?: Input}, ctx: Ctx) {
  const input = args.input ?? {}
  let data: Uint8Array
  try {
    data = ctx.store.multipart.complete(String(input.uploadID), asList(input.completedParts))
  } catch (e) {
    throw new GqlError((e as Error).message)
  }
  const md5 = ctx.store.blobs.store(data)
  return {__typename: 'CompleteMultipartUploadArtifactPayload', digest: hexToB64(md5)}
}

function commitArtifact(args: {input?: Input}, ctx: Ctx) {
  const store = ctx.store
  const a = requireArtifact(ctx, args.input?.artifactID)
  if (a.state !== 'COMMITTED') {
    const entries = manifestEntries(store, a.id)
    const m = store.collections.addVersion(a.sequence_id, a.id)
    store.artifacts.markCommitted(
      a.id,
      m.version_index,
      entries.reduce((n, e) => n + e.size, 0),
      entries.length,
    )
    const aliases = new Set<string>([...(JSON.parse(a.pending_aliases) as string[]), 'latest'])
    for (const alias of aliases) store.collections.setAlias(a.sequence_id, alias, a.id)
  }
  return {__typename: 'CommitArtifactPayload', artifact: artifactObject(ctx, store.artifacts.get(a.id) as ArtifactRow)}
}

function useArtifact(args: {input?: Input}, ctx: Ctx) {
  const input = args.input ?? {}
  const a = requireArtifact(ctx, input.artifactID)
  const project = ctx.store.projects.ensure(entityOr(ctx, input.entityName), projectOr(input.projectName))
  const run = str(input.runName) ? ctx.store.runs.find(project.id, input.runName) : null
  if (run) ctx.store.artifacts.addUsage(a.id, run.id, str(input.usedAs))
  return {__typename: 'UseArtifactPayload', artifact: artifactObject(ctx, a)}
}

function linkArtifact(args: {input?: Input}, ctx: Ctx) {
  const input = args.input ?? {}
  const store = ctx.store
  const byClient = str(input.clientID) ? store.artifacts.findByClientId(input.clientID) : null
  const a = input.artifactID ? requireArtifact(ctx, input.artifactID) : byClient
  if (!a) throw new GqlError(`linkArtifact: artifact ${String(input.artifactID ?? input.clientID)} not found`)
  const project = store.projects.ensure(entityOr(ctx, input.entityName), projectOr(input.projectName))
  const portfolio = store.collections.ensure(project.id, String(input.artifactPortfolioName), a.type_name, 'portfolio')
  const m = store.collections.addVersion(portfolio.id, a.id)
  const aliases = new Set<string>(['latest', ...(asList(input.aliases) as {alias: string}[]).map((x) => x.alias)])
  for (const alias of aliases) store.collections.setAlias(portfolio.id, alias, a.id)
  return {
    __typename: 'LinkArtifactPayload',
    versionIndex: m.version_index,
    artifactMembership: membershipObject(ctx, portfolio, m),
  }
}

function updateArtifact(args: {input?: Input}, ctx: Ctx) {
  const input = args.input ?? {}
  const a = requireArtifact(ctx, input.artifactID)
  ctx.store.artifacts.updateFields(a.id, str(input.description), str(input.metadata))
  return {__typename: 'UpdateArtifactPayload', artifact: artifactObject(ctx, ctx.store.artifacts.get(a.id) as ArtifactRow)}
}

/** Root fields of this domain. */
export const artifactsRoot = {
  createArtifact,
  createArtifactManifest,
  updateArtifactManifest,
  createArtifactFiles,
  completeMultipartUploadArtifact,
  commitArtifact,
  useArtifact,
  linkArtifact,
  updateArtifact,
  artifact: (args: {id?: string}, ctx: Ctx) => {
    const n = fromGqlId(args.id, 'Artifact')
    const a = n === null ? null : ctx.store.artifacts.get(n)
    return a ? artifactObject(ctx, a) : null
  },
  clientIDMapping: (args: {clientID?: string}, ctx: Ctx) => {
    const a = str(args.clientID) ? ctx.store.artifacts.findByClientId(args.clientID as string) : null
    return a ? {__typename: 'ClientIDMappingPayload', serverID: toGqlId('Artifact', a.id)} : null
  },
}

/**
 * GraphQL views of artifacts, their types and their files. The pydantic models of the SDK
 * (`wandb/sdk/artifacts/_generated/fragments.py`) require several of these fields to be present
 * and non-null (`__typename`, `ttlDurationSeconds`, `ttlIsInherited`, `size`, `fileCount`,
 * `digest`, `state`, `createdAt`, `tags`), so they are always filled.
 */
import {asList, type Ctx, str} from '../context.ts'
import type {GqlObject} from '../executor.ts'
import {stableHash, toGqlId} from '../../ids.ts'
import {manifestEntries, type ManifestEntry} from '../../manifest.ts'
import type {ArtifactRow, ProjectRow} from '../../store/index.ts'
import {aliasObject, collectionObject} from './collection.ts'
import {connection} from './connection.ts'
import {runObject} from './run.ts'

/** Splits "collection:alias" at the last colon; the alias defaults to "latest". */
export function parseArtifactName(name: string): {collection: string; alias: string} {
  const i = name.lastIndexOf(':')
  return i < 0 ? {collection: name, alias: 'latest'} : {collection: name.slice(0, i), alias: name.slice(i + 1) || 'latest'}
}

/** URL of a stored blob (artifact file contents, manifests) on this server. */
export function blobUrl(ctx: Ctx, md5Hex: string): string {
  return `${ctx.baseUrl}/_storage/blobs/${md5Hex}`
}

/** `project.artifact(name: "coll:alias")`: the artifact object, or null when unknown. */
export function artifactByName(ctx: Ctx, p: ProjectRow, name: string): GqlObject | null {
  const {collection, alias} = parseArtifactName(name)
  const c = ctx.store.collections.find(p.id, collection)
  const m = c ? ctx.store.collections.resolve(c.id, alias) : null
  const a = m ? ctx.store.artifacts.get(m.artifact_id) : null
  return a ? artifactObject(ctx, a) : null
}

/** An artifact type of a project. */
export function artifactTypeObject(ctx: Ctx, p: ProjectRow, name: string): GqlObject {
  const collections = () => ctx.store.collections.list(p.id).filter((c) => c.type_name === name)
  return {
    __typename: 'ArtifactType',
    id: toGqlId('ArtifactType', stableHash(`${p.id}/${name}`)),
    name,
    description: null,
    createdAt: p.created_at,
    project: null,
    artifactCollection: (args: {name?: string}) => {
      const c = collections().find((x) => x.name === args.name)
      return c ? collectionObject(ctx, c) : null
    },
    artifactSequence: (args: {name?: string}) => {
      const c = collections().find((x) => x.name === args.name && x.kind === 'sequence')
      return c ? collectionObject(ctx, c) : null
    },
    artifactCollections: (args: {first?: number; after?: string}) => connection('ArtifactCollectionConnection', collections(), args, (c) => collectionObject(ctx, c)),
    artifact: (args: {name?: string}) => artifactByName(ctx, p, String(args.name ?? '')),
  }
}

/** An artifact version. */
export function artifactObject(ctx: Ctx, a: ArtifactRow): GqlObject {
  const store = ctx.store
  const sequence = store.collections.get(a.sequence_id)
  const id = toGqlId('Artifact', a.id)
  return {
    __typename: 'Artifact',
    id,
    artifactSequence: sequence ? collectionObject(ctx, sequence) : null,
    versionIndex: a.version_index,
    artifactType: {__typename: 'ArtifactType', id: toGqlId('ArtifactType', stableHash(a.type_name)), name: a.type_name},
    description: a.description,
    metadata: a.metadata,
    ttlDurationSeconds: a.ttl_seconds ?? -2,
    ttlIsInherited: a.ttl_seconds === null,
    tags: [],
    labels: null,
    historyStep: a.history_step,
    state: a.state,
    size: a.size,
    digest: a.digest,
    digestAlgorithm: 'MANIFEST_MD5',
    commitHash: a.digest.slice(0, 12),
    fileCount: a.file_count,
    createdAt: a.created_at,
    updatedAt: a.updated_at,
    aliases: () => store.collections.aliasesOf(a.id).map((al) => aliasObject(ctx, al)),
    currentManifest: () => {
      const m = store.artifacts.currentManifest(a.id)
      if (!m?.md5) return null
      const url = blobUrl(ctx, m.md5)
      return {
        __typename: 'ArtifactManifest',
        id: toGqlId('ArtifactManifest', m.id),
        file: {__typename: 'File', id: toGqlId('File', stableHash(`manifest/${m.id}`)), name: m.name, displayName: m.name, directUrl: url, url},
      }
    },
    files: (args: {names?: string | string[] | null; first?: number; after?: string}) => artifactFiles(ctx, a, args),
    filesByManifestEntries: (args: {entries?: {name: string} | {name: string}[]; first?: number; after?: string}) => {
      const wanted = new Set(asList(args.entries).map((e) => e.name))
      const entries = manifestEntries(store, a.id).filter((e) => wanted.has(e.path))
      return connection('FileConnection', entries, {}, (e) => artifactFileObject(ctx, a, e))
    },
    createdBy: () => {
      const r = a.run_id !== null ? store.runs.get(a.run_id) : null
      return r ? runObject(ctx, r) : null
    },
    usedBy: (args: {first?: number; after?: string}) => {
      const runs = store.artifacts
        .usedBy(a.id)
        .map((rid) => store.runs.get(rid))
        .filter((r) => r !== null)
      return connection('RunConnection', runs, args, (r) => runObject(ctx, r))
    },
  }
}

/** The files of an artifact (from its manifest; references excluded), optionally by name. */
export function artifactFiles(ctx: Ctx, a: ArtifactRow, args: {names?: string | string[] | null; first?: number | null; after?: string | null}): GqlObject {
  const names = asList(args.names)
  let entries = manifestEntries(ctx.store, a.id).filter((e) => e.md5Hex !== null)
  if (names.length > 0) entries = entries.filter((e) => names.includes(e.path))
  return connection('FileConnection', entries, {first: args.first, after: str(args.after)}, (e) => artifactFileObject(ctx, a, e))
}

function artifactFileObject(ctx: Ctx, a: ArtifactRow, e: ManifestEntry): GqlObject {
  const url = e.md5Hex ? blobUrl(ctx, e.md5Hex) : e.ref
  return {
    __typename: 'File',
    id: toGqlId('File', stableHash(`${a.id}/${e.path}`)),
    name: e.path,
    displayName: e.path,
    url,
    directUrl: url,
    sizeBytes: e.size,
    storagePath: e.md5Hex ? `blobs/${e.md5Hex}` : null,
    mimetype: null,
    updatedAt: a.updated_at,
    digest: e.digest,
    md5: e.digest,
  }
}

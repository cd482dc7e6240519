/**
 * GraphQL views of artifact collections (`ArtifactSequence` / `ArtifactPortfolio`), memberships
 * (`ArtifactCollectionMembership`: version N of a collection) and aliases.
 */
import type {Ctx} from '../context.ts'
import type {GqlObject} from '../executor.ts'
import {toGqlId} from '../../ids.ts'
import type {AliasRow, CollectionRow, MembershipRow} from '../../store/index.ts'
import {artifactFiles, artifactObject} from './artifact.ts'
import {connection} from './connection.ts'
import {projectObject} from './project.ts'
import {versionedArtifacts, type VersionedArtifactsArgs} from './versioned-artifacts.ts'

/** A collection; `__typename` is ArtifactSequence or ArtifactPortfolio. */
export function collectionObject(ctx: Ctx, c: CollectionRow): GqlObject {
  const store = ctx.store
  const typename = c.kind === 'portfolio' ? 'ArtifactPortfolio' : 'ArtifactSequence'
  const versions = () => store.collections.versions(c.id)
  const latest = () => {
    const all = versions()
    const last = all[all.length - 1]
    const a = last ? store.artifacts.get(last.artifact_id) : null
    return a ? artifactObject(ctx, a) : null
  }
  const type = {__typename: 'ArtifactType', id: toGqlId('ArtifactType', c.id), name: c.type_name}
  return {
    __typename: typename,
    id: toGqlId('ArtifactCollection', c.id),
    name: c.name,
    description: c.description,
    createdAt: c.created_at,
    updatedAt: c.created_at,
    state: 'READY',
    digestAlgorithm: 'MANIFEST_MD5',
    project: () => {
      const p = store.projects.get(c.project_id)
      return p ? projectObject(ctx, p) : null
    },
    type,
    defaultArtifactType: type,
    artifactType: type,
    tags: {__typename: 'TagConnection', edges: []},
    latestArtifact: latest,
    artifactMembership: (args: {aliasName?: string}) => {
      const m = store.collections.resolve(c.id, String(args.aliasName ?? 'latest'))
      return m ? membershipObject(ctx, c, m) : null
    },
    artifactMemberships: (args: {first?: number; after?: string}) => connection('ArtifactCollectionMembershipConnection', [...versions()].reverse(), args, (m) => membershipObject(ctx, c, m)),
    artifacts: (args: VersionedArtifactsArgs) => versionedArtifacts(ctx, c, args),
    aliases: (args: {first?: number; after?: string}) => {
      const all = versions().flatMap((m) => store.collections.aliasesIn(c.id, m.artifact_id))
      return connection('ArtifactAliasConnection', all, args, (al) => aliasObject(ctx, al))
    },
  }
}

/** Version `m.version_index` of collection `c`. */
export function membershipObject(ctx: Ctx, c: CollectionRow, m: MembershipRow): GqlObject {
  const a = ctx.store.artifacts.get(m.artifact_id)
  return {
    __typename: 'ArtifactCollectionMembership',
    id: toGqlId('ArtifactCollectionMembership', c.id * 1_000_000 + m.version_index),
    versionIndex: m.version_index,
    createdAt: m.created_at,
    aliases: () => ctx.store.collections.aliasesIn(c.id, m.artifact_id).map((al) => aliasObject(ctx, al)),
    artifactCollection: collectionObject(ctx, c),
    artifact: a ? artifactObject(ctx, a) : null,
    files: (args: {names?: string | string[] | null; first?: number; after?: string}) => (a ? artifactFiles(ctx, a, args) : connection('FileConnection', [], {}, () => null)),
  }
}

/** An alias (`latest`, user aliases) and the collection it belongs to. */
export function aliasObject(ctx: Ctx, al: AliasRow): GqlObject {
  return {
    __typename: 'ArtifactAlias',
    id: toGqlId('ArtifactAlias', al.id),
    alias: al.alias,
    artifactCollectionName: () => ctx.store.collections.get(al.collection_id)?.name ?? null,
    artifactCollection: () => {
      const c = ctx.store.collections.get(al.collection_id)
      return c ? collectionObject(ctx, c) : null
    },
  }
}

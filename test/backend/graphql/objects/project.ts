/**
 * GraphQL views of entities and projects. A project answers both the modern names (`run`,
 * `runs`) and the legacy ones (`bucket`, `buckets`); the root `model` is the same object.
 */
import {type Ctx, str} from '../context.ts'
import type {GqlObject} from '../executor.ts'
import {stableHash, toGqlId} from '../../ids.ts'
import type {ProjectRow} from '../../store/index.ts'
import {artifactByName, artifactTypeObject, parseArtifactName} from './artifact.ts'
import {collectionObject, membershipObject} from './collection.ts'
import {connection} from './connection.ts'
import {filterRuns} from './run-filters.ts'
import {runObject} from './run.ts'
import {sweepObject} from './sweep.ts'

/** An entity (user or team) by name; entities exist implicitly. */
export function entityObject(ctx: Ctx, name: string): GqlObject {
  return {
    __typename: 'Entity',
    id: toGqlId('Entity', stableHash(name)),
    name,
    isTeam: false,
    available: true,
    photoUrl: null,
    readOnly: false,
    readOnlyAdmin: false,
    entityType: 'USER',
    privateOnly: false,
    storageBytes: 0,
    codeSavingEnabled: true,
    defaultAccess: 'PRIVATE',
    isPaid: false,
    members: [],
    organization: null,
    xxhashDigestsEnabled: false,
    coreWeaveOrganizationId: null,
    defaultProject: null,
    projects: (args: {first?: number; after?: string}) => connection('ProjectConnection', ctx.store.projects.list(name), args, (p) => projectObject(ctx, p)),
  }
}

/** A project, with its runs, sweeps and artifacts reachable by name. */
export function projectObject(ctx: Ctx, p: ProjectRow): GqlObject {
  const run = (args: {name?: string}) => {
    const name = str(args.name)
    const row = name ? ctx.store.runs.find(p.id, name) : null
    return row ? runObject(ctx, row) : null
  }
  const runs = (args: {first?: number; after?: string; filters?: unknown}) =>
    connection(
      'RunConnection',
      filterRuns(ctx.store.runs.listByProject(p.id), args.filters, (k) => ctx.log(`runs: filter key ${k} ignored`)),
      args,
      (r) => runObject(ctx, r),
    )
  return {
    __typename: 'Project',
    id: toGqlId('Project', p.id),
    internalId: String(p.id),
    name: p.name,
    entityName: p.entity,
    entity: entityObject(ctx, p.entity),
    description: p.description,
    createdAt: p.created_at,
    updatedAt: p.created_at,
    access: 'PRIVATE',
    readOnly: false,
    isBenchmark: false,
    repo: null,
    dockerImage: null,
    user: null,
    allowAllArtifactTypes: true,
    runCount: () => ctx.store.runs.listByProject(p.id).length,
    run,
    bucket: run,
    runs,
    buckets: runs,
    sweep: (args: {sweepName?: string}) => {
      const s = str(args.sweepName) ? ctx.store.sweeps.find(p.id, args.sweepName as string) : null
      return s ? sweepObject(ctx, s) : null
    },
    sweeps: (args: {first?: number; after?: string}) => connection('SweepConnection', ctx.store.sweeps.list(p.id), args, (s) => sweepObject(ctx, s)),
    artifact: (args: {name?: string}) => artifactByName(ctx, p, String(args.name ?? '')),
    artifactType: (args: {name?: string}) => {
      const name = str(args.name)
      const exists = name !== null && ctx.store.collections.list(p.id).some((c) => c.type_name === name)
      return exists ? artifactTypeObject(ctx, p, name as string) : null
    },
    artifactTypes: (args: {first?: number; after?: string}) => {
      const names = [...new Set(ctx.store.collections.list(p.id).map((c) => c.type_name))].sort()
      return connection('ArtifactTypeConnection', names, args, (n) => artifactTypeObject(ctx, p, n))
    },
    artifactCollection: (args: {name?: string}) => {
      const c = ctx.store.collections.find(p.id, String(args.name ?? ''))
      return c ? collectionObject(ctx, c) : null
    },
    artifactCollections: (args: {first?: number; after?: string}) => connection('ArtifactCollectionConnection', ctx.store.collections.list(p.id), args, (c) => collectionObject(ctx, c)),
    artifactCollectionMembership: (args: {name?: string}) => {
      const {collection, alias} = parseArtifactName(String(args.name ?? ''))
      const c = ctx.store.collections.find(p.id, collection)
      const m = c ? ctx.store.collections.resolve(c.id, alias) : null
      return c && m ? membershipObject(ctx, c, m) : null
    },
  }
}

/**
 * The dispatch table: every root field (query and mutation) → its resolver, merged from the
 * per-domain modules. Dispatch is by root field, never by operation name, so every textual
 * variant of an operation works.
 */
import type {Ctx} from '../context.ts'
import type {ExecutorConfig, GqlObject} from '../executor.ts'
import {artifactsRoot} from './artifacts.ts'
import {coreWeaveRoot} from './coreweave.ts'
import {projectsRoot} from './projects.ts'
import {runsRoot} from './runs.ts'
import {sweepSchedulerRoot} from './sweep-scheduler.ts'
import {sweepsRoot} from './sweeps.ts'
import {viewerRoot} from './viewer.ts'

/** The root object: query and mutation fields in one table. */
export const ROOT: GqlObject = {
  __typename: 'Query',
  ...viewerRoot,
  ...projectsRoot,
  ...runsRoot,
  ...artifactsRoot,
  ...sweepsRoot,
  ...sweepSchedulerRoot,
  // after viewerRoot: its `entity` with the organization of CoreWeave entities
  ...coreWeaveRoot,
}

/** Every concrete type name the resolvers produce (for fragment type conditions). */
const CONCRETE = [
  'Query',
  'User',
  'Entity',
  'ServerInfo',
  'ServerFeature',
  'Project',
  'Run',
  'File',
  'Artifact',
  'ArtifactType',
  'ArtifactSequence',
  'ArtifactPortfolio',
  'ArtifactCollectionMembership',
  'ArtifactAlias',
  'ArtifactManifest',
  'Sweep',
  'Agent',
  'PageInfo',
  'Tag',
  'Organization',
]

/** Interfaces/unions the clients put in type conditions → their members. */
export const ABSTRACT_TYPES: Record<string, string[]> = {
  ArtifactCollection: ['ArtifactSequence', 'ArtifactPortfolio'],
  Node: CONCRETE,
}

/** Builds the executor configuration; unknown fields are reported through `onUnknownField`. */
export function executorConfig(onUnknownField: (typename: string, field: string) => void): ExecutorConfig<Ctx> {
  return {root: ROOT, abstractTypes: ABSTRACT_TYPES, onUnknownField}
}

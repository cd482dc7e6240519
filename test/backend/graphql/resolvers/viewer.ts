/**
 * Identity and server capabilities: `viewer`, `serverInfo`, `entity`, `organization`.
 * `flags` is a JSONString; `serverInfo.cliVersionInfo` is a JSON *object* (not a string).
 */
import {type Ctx, entityOr} from '../context.ts'
import type {GqlObject} from '../executor.ts'
import {toGqlId} from '../../ids.ts'
import {entityObject} from '../objects/project.ts'

/**
 * ServerFeature names advertised as enabled. Each changes client behaviour, so only those this
 * backend implements: gzip file_stream bodies (used only if a client also turns off
 * `x_file_stream_no_gzip`), UseArtifact with artifact entity/project, `totalCount` on file
 * connections, enqueueSweepRun for local sweep schedulers.
 */
export const ENABLED_FEATURES = [
  'FILESTREAM_GZIP',
  'USE_ARTIFACT_WITH_ENTITY_AND_PROJECT_INFORMATION',
  'TOTAL_COUNT_IN_FILE_CONNECTION',
  // enqueueSweepRun (resolvers/sweep-scheduler.ts), which Go core's sweep scheduler checks first
  'SWEEPS_LOCAL_SCHEDULER',
]

/** The newest CLI version the server claims to support (for media formats, §2.3). */
export const MAX_CLI_VERSION = '0.31.0'

/** The viewer object for the authenticated user. */
export function viewerObject(ctx: Ctx): GqlObject {
  const v = ctx.viewer
  const team = entityObject(ctx, v.entity)
  return {
    __typename: 'User',
    id: toGqlId('User', 1),
    entity: v.entity,
    username: v.username,
    name: v.username,
    email: v.email,
    admin: false,
    flags: JSON.stringify({code_saving_enabled: true}),
    deletedAt: null,
    photoUrl: null,
    accountType: 'USER',
    apiKeys: {__typename: 'ApiKeyConnection', edges: []},
    teams: {__typename: 'EntityConnection', edges: [{__typename: 'EntityEdge', node: team}]},
    defaultEntity: team,
    userInfo: null,
    organizations: [],
  }
}

/** Root fields of this domain. */
export const viewerRoot = {
  viewer: (_args: unknown, ctx: Ctx) => viewerObject(ctx),
  serverInfo: (): GqlObject => ({
    __typename: 'ServerInfo',
    features: ENABLED_FEATURES.map((name) => ({__typename: 'ServerFeature', name, isEnabled: true})),
    cliVersionInfo: {max_cli_version: MAX_CLI_VERSION, min_cli_version: '0.10.0'},
    latestLocalVersionInfo: null,
    availableBucketProviders: ['CoreWeave'],
    frontendHost: null,
    isGoogleCloud: false,
  }),
  entity: (args: {name?: string}, ctx: Ctx) => entityObject(ctx, entityOr(ctx, args.name)),
  organization: () => null,
}

/**
 * `entity(name) { organization { coreWeaveOrganizationId } }`, which Go core 0.31 (and nexus) ask
 * for every live online run: an entity whose name starts with `coreweave-` belongs to an
 * organization on CoreWeave (`coreWeaveOrganizationId: "cw-<entity>"`), so tests can drive the
 * CoreWeave metadata probe; every other entity has no organization (null), as before.
 */
import {type Ctx, entityOr} from '../context.ts'
import type {GqlObject} from '../executor.ts'
import {stableHash, toGqlId} from '../../ids.ts'
import {entityObject} from '../objects/project.ts'

/** Entities with this name prefix are in a CoreWeave organization. */
export const COREWEAVE_ENTITY_PREFIX = 'coreweave-'

/** The organization of a CoreWeave entity, or null. */
export function organizationObject(entity: string): GqlObject | null {
  if (!entity.startsWith(COREWEAVE_ENTITY_PREFIX)) return null
  return {
    __typename: 'Organization',
    id: toGqlId('Organization', stableHash(entity)),
    name: `${entity}-org`,
    coreWeaveOrganizationId: `cw-${entity}`,
  }
}

/** Root fields of this domain: `entity`, with its organization filled in. */
export const coreWeaveRoot = {
  entity: (args: {name?: string}, ctx: Ctx): GqlObject => {
    const name = entityOr(ctx, args.name)
    return {...entityObject(ctx, name), organization: organizationObject(name)}
  },
}

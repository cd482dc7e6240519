/**
 * Linking an artifact version into a portfolio (Go linker.go): a registry project
 * (`wandb-registry-…`) is looked up under the entity's organization first (FetchOrgEntityFromEntity,
 * checking the organization the caller named), then LinkArtifact by server id or client id.
 */
import type {GraphQLClient, RetryPolicy} from '../api/index.ts'
import type {LinkArtifactRequest} from '../proto.ts'
import {ArtifactError, ArtifactInputError} from './errors.ts'

/** Projects with this prefix live in an organization's registry. */
export const REGISTRY_PROJECT_PREFIX = 'wandb-registry-'

export const LINK_ARTIFACT = `mutation LinkArtifact ($artifactPortfolioName: String!, $entityName: String!, $projectName: String!, $aliases: [ArtifactAliasInput!], $clientId: ID, $artifactId: ID) {
	linkArtifact(input: {artifactPortfolioName:$artifactPortfolioName,entityName:$entityName,projectName:$projectName,aliases:$aliases,artifactID:$artifactId,clientID:$clientId}) {
		versionIndex
	}
}
`

export const FETCH_ORG_ENTITY_FROM_ENTITY = `query FetchOrgEntityFromEntity ($entityName: String!) {
	entity(name: $entityName) {
		organization {
			name
			orgEntity {
				name
			}
		}
	}
}
`

interface OrgEntityData {
  entity: {organization: {name: string; orgEntity: {name: string} | null} | null} | null
}

/** Whether `project` is a registry project. */
export function isRegistryProject(project: string): boolean {
  return project.startsWith(REGISTRY_PROJECT_PREFIX)
}

export interface LinkOptions {
  policy?: RetryPolicy
  signal?: AbortSignal
}

/**
 * Links the artifact of `req` and resolves the portfolio version index (undefined when the server
 * did not say). Throws ArtifactInputError without an id, ArtifactError when the organization does
 * not match, and the GraphQL client's errors.
 */
export async function linkArtifact(graphql: GraphQLClient, req: LinkArtifactRequest, o: LinkOptions = {}): Promise<number | undefined> {
  let entity = req.portfolio_entity
  if (isRegistryProject(req.portfolio_project)) entity = await resolveOrgEntityName(graphql, entity, req.portfolio_organization, o)
  if (req.server_id === '' && req.client_id === '') throw new ArtifactInputError('artifacts: artifact must have either server id or client id')
  const aliases = req.portfolio_aliases.map((alias) => ({artifactCollectionName: req.portfolio_name, alias}))
  const data = await graphql.request<{linkArtifact: {versionIndex: number | null} | null}>(
    {
      query: LINK_ARTIFACT,
      operationName: 'LinkArtifact',
      variables: {
        artifactPortfolioName: req.portfolio_name,
        entityName: entity,
        projectName: req.portfolio_project,
        aliases: aliases.length > 0 ? aliases : null,
        clientId: req.server_id !== '' ? null : req.client_id,
        artifactId: req.server_id !== '' ? req.server_id : null,
      },
    },
    o,
  )
  if (!data?.linkArtifact) throw new ArtifactError(`artifacts: LinkArtifact ${req.portfolio_name}: the server answered no result`)
  return data.linkArtifact.versionIndex ?? undefined
}

/**
 * The org entity that owns registries for `entity`. `organization` may be empty, the org's display
 * name or its entity name; anything else is refused.
 */
export async function resolveOrgEntityName(graphql: GraphQLClient, entity: string, organization: string, o: LinkOptions = {}): Promise<string> {
  const data = await graphql.request<OrgEntityData>({query: FETCH_ORG_ENTITY_FROM_ENTITY, operationName: 'FetchOrgEntityFromEntity', variables: {entityName: entity}}, o)
  const org = data?.entity?.organization
  if (!org?.orgEntity) {
    throw new ArtifactError(
      `unable to resolve an organization associated with the entity: ${entity} that is initialized in the API or Run settings. ` +
        `This could be because ${entity} is a personal entity or the team entity doesn't exist. ` +
        `Please re-initialize the API or Run with a team entity using wandb.Api(overrides={'entity': '<my_team_entity>'}) or wandb.init(entity='<my_team_entity>')`,
    )
  }
  if (organization !== '' && organization !== org.name && organization !== org.orgEntity.name) {
    throw new ArtifactError(
      `artifact belongs to the organization ${JSON.stringify(org.name)} and cannot be linked/fetched with ${JSON.stringify(organization)}. ` +
        'Please update the target path with the correct organization name',
    )
  }
  return org.orgEntity.name
}

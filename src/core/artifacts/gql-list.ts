/**
 * The GraphQL documents of `artifact ls`: the operations the SDK's public API sends for
 * `wandb artifact ls` (ProjectArtifactTypes, ProjectArtifactType, ArtifactTypeArtifactCollections,
 * ProjectArtifacts), with the same names and variables, selecting only what the listing shows.
 */

/** A relay page's cursor state. */
export interface PageInfo {
  endCursor: string | null
  hasNextPage: boolean
}

export const PROJECT_ARTIFACT_TYPES = `query ProjectArtifactTypes($entity: String!, $project: String!, $cursor: String, $perPage: Int) {
  project(name: $project, entityName: $entity) {
    artifactTypes(after: $cursor, first: $perPage) {
      edges {
        node {
          id
          name
        }
      }
      pageInfo {
        endCursor
        hasNextPage
      }
    }
  }
}
`

export interface ProjectArtifactTypesData {
  project: {
    artifactTypes: {edges: Array<{node: {id: string; name: string} | null} | null>; pageInfo: PageInfo} | null
  } | null
}

export const PROJECT_ARTIFACT_TYPE = `query ProjectArtifactType($entity: String!, $project: String!, $type: String!) {
  project(entityName: $entity, name: $project) {
    artifactType(name: $type) {
      id
      name
    }
  }
}
`

export interface ProjectArtifactTypeData {
  project: {artifactType: {id: string; name: string} | null} | null
}

export const ARTIFACT_TYPE_ARTIFACT_COLLECTIONS = `query ArtifactTypeArtifactCollections($entity: String!, $project: String!, $type: String!, $cursor: String, $perPage: Int) {
  project(entityName: $entity, name: $project) {
    artifactType(name: $type) {
      artifactCollections(after: $cursor, first: $perPage) {
        pageInfo {
          endCursor
          hasNextPage
        }
        edges {
          node {
            id
            name
            project {
              name
              entity {
                name
              }
            }
          }
        }
      }
    }
  }
}
`

export interface CollectionNode {
  id: string
  name: string
  project: {name: string; entity: {name: string} | null} | null
}

export interface ArtifactTypeArtifactCollectionsData {
  project: {
    artifactType: {
      artifactCollections: {pageInfo: PageInfo; edges: Array<{node: CollectionNode | null} | null>} | null
    } | null
  } | null
}

export const PROJECT_ARTIFACTS = `query ProjectArtifacts($entity: String!, $project: String!, $type: String!, $collection: String!, $cursor: String, $perPage: Int = 50, $order: String, $filters: JSONString) {
  project(entityName: $entity, name: $project) {
    artifactType(name: $type) {
      artifactCollection(name: $collection) {
        artifacts(after: $cursor, first: $perPage, order: $order, filters: $filters) {
          edges {
            version
            node {
              id
              versionIndex
              state
              size
              createdAt
              updatedAt
            }
          }
        }
      }
    }
  }
}
`

export interface VersionNode {
  id: string
  versionIndex: number | null
  state: string
  size: number
  createdAt: string
  updatedAt: string | null
}

export interface ProjectArtifactsData {
  project: {
    artifactType: {
      artifactCollection: {
        artifacts: {edges: Array<{version: string; node: VersionNode | null} | null>} | null
      } | null
    } | null
  } | null
}

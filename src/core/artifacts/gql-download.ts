/**
 * The GraphQL documents of downloads: wandb-core's own (the manifest URL by artifact id, file URLs
 * by manifest entries) and the lookups `nexus artifact get` needs (default entity, membership).
 */

export const ARTIFACT_MANIFEST = `query ArtifactManifest ($artifact_id: ID!) {
	artifact(id: $artifact_id) {
		currentManifest {
			file {
				directUrl
			}
		}
	}
}
`

export interface ArtifactManifestData {
  artifact: {currentManifest: {file: {directUrl: string | null} | null} | null} | null
}

export const ARTIFACT_FILE_URLS_BY_MANIFEST_ENTRIES = `query ArtifactFileURLsByManifestEntries ($id: ID!, $entries: [ArtifactManifestEntryInput!], $storageLayout: String!, $manifestVersion: String!, $storageRegion: String) {
	artifact(id: $id) {
		filesByManifestEntries(storageLayout: $storageLayout, manifestVersion: $manifestVersion, entries: $entries, storageRegion: $storageRegion) {
			pageInfo {
				hasNextPage
				endCursor
			}
			edges {
				node {
					name
					directUrl
				}
			}
		}
	}
}
`

export interface FileUrlsData {
  artifact: {filesByManifestEntries: {edges: Array<{node: {name: string; directUrl: string} | null} | null>} | null} | null
}

export const DEFAULT_ENTITY = `query GetDefaultEntity {
	viewer {
		id
		entity
	}
}
`

export interface DefaultEntityData {
  viewer: {id: string; entity: string | null} | null
}

export const ARTIFACT_BY_NAME = `query ArtifactMembershipByName ($entity: String!, $project: String!, $name: String!) {
	project(name: $project, entityName: $entity) {
		artifactCollectionMembership(name: $name) {
			versionIndex
			artifactCollection {
				__typename
				name
			}
			artifact {
				id
				state
				digest
				size
				fileCount
				versionIndex
				artifactType {
					name
				}
				artifactSequence {
					name
				}
			}
		}
	}
}
`

export interface ArtifactByNameData {
  project: {
    artifactCollectionMembership: {
      versionIndex: number | null
      artifactCollection: {__typename: string; name: string} | null
      artifact: {
        id: string
        state: string
        digest: string
        size: number
        fileCount: number
        versionIndex: number | null
        artifactType: {name: string} | null
        artifactSequence: {name: string} | null
      } | null
    } | null
  } | null
}

export const ARTIFACT_VERSION = `query ArtifactVersion ($id: ID!) {
	artifact(id: $id) {
		id
		state
		versionIndex
	}
}
`

export interface ArtifactVersionData {
  artifact: {id: string; state: string; versionIndex: number | null} | null
}

/**
 * The GraphQL documents of an artifact save, as the wandb 0.31 wandb-core sends them
 * (network-protocol.md §2.2), and the shapes of the answers the saver reads.
 */

export const CREATE_ARTIFACT = `mutation CreateArtifact ($input: CreateArtifactInput!) {
	createArtifact(input: $input) {
		... CreatedArtifact
	}
}
fragment CreatedArtifact on CreateArtifactPayload {
	artifact {
		id
		state
		artifactSequence {
			latestArtifact {
				id
			}
		}
	}
}
`

export interface CreateArtifactData {
  createArtifact: {artifact: {id: string; state: string; artifactSequence: {latestArtifact: {id: string} | null} | null} | null} | null
}

export const CREATE_ARTIFACT_MANIFEST = `mutation CreateArtifactManifest ($artifactID: ID!, $baseArtifactID: ID, $name: String!, $digest: String!, $entityName: String!, $projectName: String!, $runName: String!, $manifestType: ArtifactManifestType!, $includeUpload: Boolean!) {
	createArtifactManifest(input: {artifactID:$artifactID,baseArtifactID:$baseArtifactID,name:$name,digest:$digest,entityName:$entityName,projectName:$projectName,runName:$runName,type:$manifestType}) {
		artifactManifest {
			id
			file {
				id
				uploadUrl @include(if: $includeUpload)
				uploadHeaders @include(if: $includeUpload)
			}
		}
	}
}
`

/** The manifest part of CreateArtifactManifest / UpdateArtifactManifest answers. */
export interface ManifestAttrs {
  id: string
  file: {id: string; uploadUrl?: string | null; uploadHeaders?: string[] | null} | null
}

export interface CreateArtifactManifestData {
  createArtifactManifest: {artifactManifest: ManifestAttrs | null} | null
}

export const UPDATE_ARTIFACT_MANIFEST = `mutation UpdateArtifactManifest ($artifactManifestID: ID!, $digest: String, $baseArtifactID: ID, $includeUpload: Boolean!) {
	updateArtifactManifest(input: {artifactManifestID:$artifactManifestID,digest:$digest,baseArtifactID:$baseArtifactID}) {
		artifactManifest {
			id
			file {
				id
				uploadUrl @include(if: $includeUpload)
				uploadHeaders @include(if: $includeUpload)
			}
		}
	}
}
`

export interface UpdateArtifactManifestData {
  updateArtifactManifest: {artifactManifest: ManifestAttrs | null} | null
}

export const CREATE_ARTIFACT_FILES = `mutation CreateArtifactFiles ($input: CreateArtifactFilesInput!) {
	createArtifactFiles(input: $input) {
		files {
			edges {
				node {
					storagePath
					uploadUrl
					uploadHeaders
					uploadMultipartUrls {
						uploadID
						uploadUrlParts {
							partNumber
							uploadUrl
						}
					}
					artifact {
						id
					}
				}
			}
		}
	}
}
`

/** One part of a multipart upload: its 1-based number and the hex MD5 of its bytes (or the part's ETag). */
export interface UploadPart {
  partNumber: number
  hexMD5: string
}

/** A CreateArtifactFileSpecInput. */
export interface FileSpec {
  artifactID: string
  artifactManifestID: string
  md5: string
  mimetype: null
  name: string
  uploadPartsInput: UploadPart[] | null
}

/** One node of CreateArtifactFiles, in the order of the specs. */
export interface FileNode {
  storagePath: string | null
  uploadUrl: string | null
  uploadHeaders: string[] | null
  uploadMultipartUrls: {uploadID: string; uploadUrlParts: Array<{partNumber: number; uploadUrl: string}>} | null
  artifact: {id: string} | null
}

export interface CreateArtifactFilesData {
  createArtifactFiles: {files: {edges: Array<{node: FileNode | null}>} | null} | null
}

export const COMPLETE_MULTIPART_UPLOAD = `mutation CompleteMultipartUploadArtifact ($completeMultipartAction: CompleteMultipartAction!, $completedParts: [UploadPartsInput!]!, $artifactID: ID!, $storagePath: String!, $uploadID: String!) {
	completeMultipartUploadArtifact(input: {completeMultipartAction:$completeMultipartAction,completedParts:$completedParts,artifactID:$artifactID,storagePath:$storagePath,uploadID:$uploadID}) {
		digest
	}
}
`

export const CLIENT_ID_MAPPING = `query ClientIDMapping ($clientID: ID!) {
	clientIDMapping(clientID: $clientID) {
		serverID
	}
}
`

export interface ClientIdMappingData {
  clientIDMapping: {serverID: string} | null
}

export const COMMIT_ARTIFACT = `mutation CommitArtifact ($artifactID: ID!) {
	commitArtifact(input: {artifactID:$artifactID}) {
		artifact {
			id
			digest
		}
	}
}
`

export const USE_ARTIFACT = `mutation UseArtifact ($input: UseArtifactInput!) {
	useArtifact(input: $input) {
		artifact {
			id
		}
	}
}
`

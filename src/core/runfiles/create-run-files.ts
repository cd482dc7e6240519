import {GRAPHQL_POLICY, type GraphQLClient, type RetryPolicy} from '../api/index.ts'
import {CreateRunFilesError} from './errors.ts'

/** Asks the server for one signed upload URL per run path; the URLs share one list of headers. */
export const CREATE_RUN_FILES_DOCUMENT = `mutation CreateRunFiles($entity: String!, $project: String!, $run: String!, $files: [String!]!) {
  createRunFiles(input: {entityName: $entity, projectName: $project, runName: $run, files: $files}) {
    runID
    uploadHeaders
    files {
      name
      uploadUrl
    }
  }
}`

/** The part of the answer the uploader uses. `uploadUrl` null means the server will not take that file. */
export interface CreateRunFilesResult {
  uploadHeaders: string[]
  files: Array<{name: string; uploadUrl: string | null}>
}

interface Response {
  createRunFiles: {runID?: string; uploadHeaders?: string[] | null; files?: Array<{name: string; uploadUrl?: string | null}> | null} | null
}

/**
 * Runs CreateRunFiles for `files` (forward-slash run paths). Throws what GraphQLClient throws, and
 * CreateRunFilesError when the answer has no result or not exactly one entry per requested name.
 */
export async function createRunFiles(
  gql: GraphQLClient,
  vars: {entity: string; project: string; run: string; files: string[]},
  o: {policy?: RetryPolicy; signal?: AbortSignal} = {},
): Promise<CreateRunFilesResult> {
  const data = await gql.request<Response>({query: CREATE_RUN_FILES_DOCUMENT, operationName: 'CreateRunFiles', variables: vars}, {policy: o.policy ?? GRAPHQL_POLICY, signal: o.signal})
  const result = data?.createRunFiles
  if (!result) throw new CreateRunFilesError('runfiles: CreateRunFiles returned no result')
  const files = result.files ?? []
  if (files.length !== vars.files.length) {
    throw new CreateRunFilesError(`runfiles: CreateRunFiles returned ${files.length} files for ${vars.files.length} requested`)
  }
  return {uploadHeaders: result.uploadHeaders ?? [], files: files.map((f) => ({name: f.name, uploadUrl: f.uploadUrl ?? null}))}
}

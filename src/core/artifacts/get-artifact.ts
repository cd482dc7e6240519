/**
 * `artifact get` without Python (`wandb artifact get`): resolve `[entity/project/]name[:version]`
 * (registry paths through the organization), check its type, and download it with the core
 * downloader into `--root` or `$WANDB_ARTIFACT_DIR|./artifacts/<name>:v<N>`.
 */
import {resolve} from 'node:path'
import {parseArtifactPath} from './artifact-path.ts'
import {defaultEntity, openCliApi} from './cli-api.ts'
import {downloadArtifact, type TransferProgress} from './downloader.ts'
import {ArtifactInputError, ArtifactMismatchError, ArtifactNotFoundError} from './errors.ts'
import {ArtifactFileCache, userCacheDir} from './file-cache.ts'
import {ARTIFACT_BY_NAME, type ArtifactByNameData} from './gql-download.ts'
import {isRegistryProject, resolveOrgEntityName} from './linker.ts'

type Env = Readonly<Record<string, string | undefined>>

/** The inputs of `artifact get`. */
export interface GetArtifactOptions {
  /** `[entity/project/]name[:version or alias]` (default version: latest). */
  path: string
  root?: string
  /** Fail unless the artifact has this type. */
  type?: string
  skipCache?: boolean
  baseUrl: string
  apiKey: string
  /** Entity and project defaults from the user's settings files. */
  defaults?: {entity?: string; project?: string}
  env?: Env
  cwd?: string
  log?: (line: string) => void
  /** How far the download is, after each file. */
  onProgress?: (p: TransferProgress) => void
}

/** What was downloaded where. */
export interface GetArtifactResult {
  root: string
  entity: string
  project: string
  name: string
  version: number | null
  type: string
  artifactId: string
  downloaded: number
  reused: number
  skippedReferences: string[]
}

/**
 * Downloads the artifact. Throws ArtifactInputError (bad path), ArtifactNotFoundError,
 * ArtifactMismatchError (other type, not committed), the downloader's errors and HTTP errors.
 */
export async function getArtifact(o: GetArtifactOptions): Promise<GetArtifactResult> {
  const env = o.env ?? process.env
  const cwd = o.cwd ?? process.cwd()
  const log = o.log ?? (() => {})
  const parsed = parseArtifactPath(o.path)
  const version = parsed.version || 'latest'
  if (/[/:]/.test(version)) throw new ArtifactInputError(`Invalid artifact version or alias ${JSON.stringify(version)}.`)
  const api = openCliApi({baseUrl: o.baseUrl, apiKey: o.apiKey, env})
  try {
    const project = parsed.project || env.WANDB_PROJECT || o.defaults?.project || 'uncategorized'
    const settingsEntity = env.WANDB_ENTITY || o.defaults?.entity
    let entity = parsed.prefix || settingsEntity || (await defaultEntity(api))
    if (isRegistryProject(project)) {
      const base = settingsEntity || (await defaultEntity(api))
      if (!base) throw new ArtifactInputError('A registry path needs an entity in the settings (WANDB_ENTITY) to find its organization.')
      entity = await resolveOrgEntityName(api.graphql, base, parsed.prefix ?? '', {policy: api.graphqlPolicy, signal: api.signal})
    }
    if (!entity) throw new ArtifactInputError('No entity: give one in the path (entity/project/name) or set WANDB_ENTITY.')
    const full = `${entity}/${project}/${parsed.name}:${version}`
    log(`Downloading ${o.type ?? 'dataset'} artifact ${full}`)
    const data = await api.graphql.request<ArtifactByNameData>(
      {query: ARTIFACT_BY_NAME, operationName: 'ArtifactMembershipByName', variables: {entity, project, name: `${parsed.name}:${version}`}},
      {policy: api.graphqlPolicy, signal: api.signal},
    )
    if (!data?.project) throw new ArtifactNotFoundError(`project ${entity}/${project}`)
    const artifact = data.project.artifactCollectionMembership?.artifact
    if (!artifact) throw new ArtifactNotFoundError(`artifact ${full}`)
    const type = artifact.artifactType?.name ?? ''
    if (o.type !== undefined && type !== o.type) throw new ArtifactMismatchError(`artifacts: the artifact ${full} is of type ${JSON.stringify(type)}, not ${JSON.stringify(o.type)}`)
    if (artifact.state !== 'COMMITTED') throw new ArtifactMismatchError(`artifacts: the artifact ${full} is not committed yet (state ${artifact.state})`)
    const index = data.project.artifactCollectionMembership?.versionIndex ?? artifact.versionIndex
    const sourceName = `${data.project.artifactCollectionMembership?.artifactCollection?.name ?? parsed.name}:v${index}`
    const root = resolve(cwd, o.root ?? resolve(cwd, env.WANDB_ARTIFACT_DIR || 'artifacts', process.platform === 'win32' ? sourceName.replace(':', '-') : sourceName))
    const result = await downloadArtifact(
      {
        graphql: api.graphql,
        http: api.http,
        transfers: api.transfers,
        cache: new ArtifactFileCache(userCacheDir(env)),
        graphqlPolicy: api.graphqlPolicy,
        transferPolicy: api.transferPolicy,
        signal: api.signal,
      },
      {artifactId: artifact.id, root, skipCache: o.skipCache, onProgress: o.onProgress},
    )
    log(`Artifact downloaded to ${root}`)
    return {
      root,
      entity,
      project,
      name: parsed.name,
      version: index ?? null,
      type,
      artifactId: artifact.id,
      downloaded: result.downloaded,
      reused: result.reused,
      skippedReferences: result.skippedReferences,
    }
  } finally {
    await api.close()
  }
}

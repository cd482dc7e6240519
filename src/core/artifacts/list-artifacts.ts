/**
 * `artifact ls` without Python (`wandb artifact ls`): for each artifact type of a project (or
 * the one asked for), each of its collections and that collection's newest committed version,
 * as the SDK's public API walks them: ProjectArtifactTypes (or ProjectArtifactType) → pages of
 * ArtifactTypeArtifactCollections → ProjectArtifacts with one item per page and the filter
 * `{"state": "COMMITTED"}`, the server's order deciding which version is the latest.
 */
import {Semaphore} from '../runtime/index.ts'
import {defaultEntity, openCliApi, type CliApi} from './cli-api.ts'
import {ArtifactInputError, ArtifactNotFoundError} from './errors.ts'
import {
  ARTIFACT_TYPE_ARTIFACT_COLLECTIONS,
  PROJECT_ARTIFACT_TYPE,
  PROJECT_ARTIFACT_TYPES,
  PROJECT_ARTIFACTS,
  type ArtifactTypeArtifactCollectionsData,
  type CollectionNode,
  type ProjectArtifactsData,
  type ProjectArtifactTypeData,
  type ProjectArtifactTypesData,
} from './gql-list.ts'
import {toHumanSize} from './human-size.ts'
import {isRegistryProject, resolveOrgEntityName} from './linker.ts'

type Env = Readonly<Record<string, string | undefined>>

/** The SDK's page size for types and collections. */
const PAGE_SIZE = 50
/** How many collections' latest versions are asked for at once (rows still come out in order). */
const VERSION_LOOKUPS = 8
/** The SDK's filter on versions: only committed ones are listed. */
const COMMITTED_ONLY = JSON.stringify({state: 'COMMITTED'})

/** The inputs of `artifact ls`. */
export interface ListArtifactsOptions {
  /** `ENTITY/PROJECT` or `PROJECT` (the entity from WANDB_ENTITY, the settings, then the server). */
  path: string
  /** Only this artifact type. */
  type?: string
  baseUrl: string
  apiKey: string
  /** Entity default from the user's settings files. */
  defaults?: {entity?: string}
  env?: Env
  signal?: AbortSignal
  /** Each row as soon as it is known, in listing order. */
  onRow?: (row: ArtifactRow) => void
}

/** One line of the listing: a collection and its newest committed version (if any). */
export interface ArtifactRow {
  type: string
  collection: string
  /** "vN" of the newest committed version; null when the collection has none. */
  version: string | null
  /** `collection:vN`, or the collection name when there is no version. */
  name: string
  /** The version's updatedAt (else createdAt) as the server wrote it; null without a version. */
  updatedAt: string | null
  /** Bytes; 0 without a version. */
  size: number
  /** The line wandb prints for it (without the "wandb: " prefix). */
  line: string
}

/** The whole listing. */
export interface ArtifactListing {
  entity: string
  project: string
  rows: ArtifactRow[]
}

/**
 * Lists the project. Throws ArtifactInputError (bad path, no entity), ArtifactNotFoundError (no
 * such project or type) and the GraphQL client's HTTP errors.
 */
export async function listArtifacts(o: ListArtifactsOptions): Promise<ArtifactListing> {
  const env = o.env ?? process.env
  const {prefix, project} = parseProjectPath(o.path)
  const api = openCliApi({baseUrl: o.baseUrl, apiKey: o.apiKey, env, signal: o.signal})
  try {
    const settingsEntity = env.WANDB_ENTITY || o.defaults?.entity
    let entity = prefix ?? (settingsEntity || (await defaultEntity(api)))
    if (isRegistryProject(project)) {
      const base = settingsEntity || (await defaultEntity(api))
      if (!base) throw new ArtifactInputError('A registry project needs an entity in the settings (WANDB_ENTITY) to find its organization.')
      entity = await resolveOrgEntityName(api.graphql, base, prefix ?? '', {policy: api.graphqlPolicy, signal: api.signal})
    }
    if (!entity) throw new ArtifactInputError('No entity: give one in the path (ENTITY/PROJECT) or set WANDB_ENTITY.')
    const lister = new ProjectLister(api, entity, project)
    const types = o.type !== undefined ? [await lister.type(o.type)] : await lister.types()
    const rows: ArtifactRow[] = []
    for (const type of types) {
      for (const row of await lister.rowsOf(type)) {
        rows.push(row)
        o.onRow?.(row)
      }
    }
    return {entity, project, rows}
  } finally {
    await api.close()
  }
}

/** Splits `ENTITY/PROJECT` or `PROJECT`; refuses empty parts and deeper paths. */
export function parseProjectPath(path: string): {prefix?: string; project: string} {
  const parts = path.split('/')
  if (parts.length > 2 || parts.some((p) => p.trim() === '')) {
    throw new ArtifactInputError(`Invalid project path ${JSON.stringify(path)}: expected ENTITY/PROJECT or PROJECT`)
  }
  return parts.length === 2 ? {prefix: parts[0], project: parts[1]} : {project: parts[0]}
}

/** The queries of one project's listing. */
class ProjectLister {
  readonly #api: CliApi
  readonly #entity: string
  readonly #project: string
  readonly #lookups = new Semaphore(VERSION_LOOKUPS)

  constructor(api: CliApi, entity: string, project: string) {
    this.#api = api
    this.#entity = entity
    this.#project = project
  }

  #request<T>(query: string, operationName: string, variables: Record<string, unknown>): Promise<T> {
    return this.#api.graphql.request<T>({query, operationName, variables: {entity: this.#entity, project: this.#project, ...variables}}, {policy: this.#api.graphqlPolicy, signal: this.#api.signal})
  }

  get #where(): string {
    return `${this.#entity}/${this.#project}`
  }

  /** Every artifact type of the project, in the server's order. */
  async types(): Promise<string[]> {
    const names: string[] = []
    let cursor: string | null = null
    for (;;) {
      const data: ProjectArtifactTypesData = await this.#request(PROJECT_ARTIFACT_TYPES, 'ProjectArtifactTypes', {cursor, perPage: PAGE_SIZE})
      if (!data?.project) throw new ArtifactNotFoundError(`project ${this.#where}`)
      const conn = data.project.artifactTypes
      if (!conn) return names
      for (const e of conn.edges) if (e?.node) names.push(e.node.name)
      if (!conn.pageInfo.hasNextPage || !conn.pageInfo.endCursor) return names
      cursor = conn.pageInfo.endCursor
    }
  }

  /** The one type asked for; ArtifactNotFoundError when the project or the type is missing. */
  async type(name: string): Promise<string> {
    const data = await this.#request<ProjectArtifactTypeData>(PROJECT_ARTIFACT_TYPE, 'ProjectArtifactType', {type: name})
    if (!data?.project) throw new ArtifactNotFoundError(`project ${this.#where}`)
    if (!data.project.artifactType) throw new ArtifactNotFoundError(`artifact type '${name}' in ${this.#where}`)
    return data.project.artifactType.name
  }

  /** The rows of one type: its collections with their latest versions, in the server's order. */
  async rowsOf(type: string): Promise<ArtifactRow[]> {
    const collections = await this.#collections(type)
    const latest = collections.map((c) => this.#lookups.run(() => this.#latest(type, c.name)))
    // A failure is rethrown below in order; later lookups that fail meanwhile must not go unhandled.
    for (const p of latest) p.catch(() => {})
    const rows: ArtifactRow[] = []
    for (let i = 0; i < collections.length; i++) rows.push(rowOf(type, collections[i].name, await latest[i]))
    return rows
  }

  async #collections(type: string): Promise<CollectionNode[]> {
    const out: CollectionNode[] = []
    let cursor: string | null = null
    for (;;) {
      const data: ArtifactTypeArtifactCollectionsData = await this.#request(ARTIFACT_TYPE_ARTIFACT_COLLECTIONS, 'ArtifactTypeArtifactCollections', {type, cursor, perPage: PAGE_SIZE})
      const conn = data?.project?.artifactType?.artifactCollections
      if (!conn) return out
      // As the SDK: a collection the server returns without its project is left out.
      for (const e of conn.edges) if (e?.node?.project) out.push(e.node)
      if (!conn.pageInfo.hasNextPage || !conn.pageInfo.endCursor) return out
      cursor = conn.pageInfo.endCursor
    }
  }

  async #latest(type: string, collection: string): Promise<{version: string; updatedAt: string; size: number} | null> {
    const data = await this.#request<ProjectArtifactsData>(PROJECT_ARTIFACTS, 'ProjectArtifacts', {
      type,
      collection,
      cursor: null,
      perPage: 1,
      order: null,
      filters: COMMITTED_ONLY,
    })
    const edge = data?.project?.artifactType?.artifactCollection?.artifacts?.edges.find((e) => e?.node)
    if (!edge?.node) return null
    return {version: edge.version, updatedAt: edge.node.updatedAt || edge.node.createdAt, size: edge.node.size}
  }
}

function rowOf(type: string, collection: string, latest: {version: string; updatedAt: string; size: number} | null): ArtifactRow {
  if (!latest) {
    return {
      type,
      collection,
      version: null,
      name: collection,
      updatedAt: null,
      size: 0,
      line: `${padEnd(type, 15)}${padEnd('N/A', 15)}${padStart('0 B', 15)} ${padEnd(collection, 20)} (no versions)`,
    }
  }
  const name = `${collection}:${latest.version}`
  return {
    type,
    collection,
    version: latest.version,
    name,
    updatedAt: latest.updatedAt,
    size: latest.size,
    line: `${padEnd(type, 15)}${padEnd(latest.updatedAt, 15)}${padStart(toHumanSize(latest.size), 15)} ${padEnd(name, 20)}`,
  }
}

/** Python's `f"{s:<n}"`: pads to n code points. */
function padEnd(s: string, n: number): string {
  return s + ' '.repeat(Math.max(0, n - [...s].length))
}

/** Python's `f"{s:>n}"`. */
function padStart(s: string, n: number): string {
  return ' '.repeat(Math.max(0, n - [...s].length)) + s
}

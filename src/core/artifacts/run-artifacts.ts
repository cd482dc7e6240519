/**
 * A run's artifact engine, as the sender uses it: saves (log_artifact requests and artifact
 * records), links (link_artifact) and downloads (download_artifact), all over the run's GraphQL
 * client, HTTP stack and file-transfer manager, cancelled by the run's signal.
 */
import type {GraphQLClient, HttpClient, RetryPolicy} from '../api/index.ts'
import type {FileTransferManager} from '../filetransfer/index.ts'
import {nullLogger, type Logger} from '../observability/index.ts'
import type {Operation} from '../operations/index.ts'
import type {ArtifactRecord, DownloadArtifactRequest, LinkArtifactRequest} from '../proto.ts'
import {downloadArtifact, type DownloadResult} from './downloader.ts'
import {ArtifactFileCache} from './file-cache.ts'
import {linkArtifact} from './linker.ts'
import {ArtifactSaveManager} from './save-manager.ts'

/** What a run's artifact engine is built from. */
export interface RunArtifactsOptions {
  graphql: GraphQLClient
  http: HttpClient
  transfers: FileTransferManager
  logger?: Logger
  /** The run printer's warn (user-facing messages). */
  warn?: (message: string) => void
  graphqlPolicy: RetryPolicy
  transferPolicy: RetryPolicy
  /** The run's signal: aborting it cancels saves, links and downloads. */
  signal: AbortSignal
  /** The server feature USE_ARTIFACT_WITH_ENTITY_AND_PROJECT_INFORMATION. */
  useArtifactEntityProject?: (signal: AbortSignal) => Promise<boolean>
  cache?: ArtifactFileCache
}

/** The artifact operations of one run. Safe to call concurrently. */
export class RunArtifacts {
  readonly #o: RunArtifactsOptions
  readonly #saves: ArtifactSaveManager
  readonly #cache: ArtifactFileCache

  constructor(o: RunArtifactsOptions) {
    this.#o = o
    this.#cache = o.cache ?? new ArtifactFileCache()
    this.#saves = new ArtifactSaveManager({...o, cache: this.#cache})
  }

  /**
   * Saves an artifact (serialised with other saves of its name) and resolves its server id;
   * rejects with ArtifactSaveError.
   */
  save(artifact: ArtifactRecord, o: {historyStep?: bigint; stagingDir?: string; operation?: Operation} = {}): Promise<string> {
    return this.#saves.save({artifact, ...o})
  }

  /** Links an artifact into a portfolio; resolves the portfolio version index if the server gave one. */
  link(request: LinkArtifactRequest): Promise<number | undefined> {
    return linkArtifact(this.#o.graphql, request, {policy: this.#o.graphqlPolicy, signal: this.#o.signal})
  }

  /** Downloads an artifact version into `request.download_root`. */
  download(request: DownloadArtifactRequest, operation?: Operation): Promise<DownloadResult> {
    return downloadArtifact(
      {
        graphql: this.#o.graphql,
        http: this.#o.http,
        transfers: this.#o.transfers,
        cache: this.#cache,
        logger: this.#o.logger ?? nullLogger,
        graphqlPolicy: this.#o.graphqlPolicy,
        transferPolicy: this.#o.transferPolicy,
        signal: this.#o.signal,
      },
      {artifactId: request.artifact_id, root: request.download_root, skipCache: request.skip_cache, pathPrefix: request.path_prefix || undefined, operation},
    )
  }
}

/**
 * The artifact saves of one run (Go ArtifactSaveManager): saves of the same artifact name run one
 * after another so that versions are numbered in logging order, at most 128 saves run at once, and
 * the "already exists" warning reaches the user at most once a minute.
 */
import {FILE_TRANSFER_POLICY, GRAPHQL_POLICY, type GraphQLClient, type HttpClient, type RetryPolicy} from '../api/index.ts'
import type {FileTransferManager} from '../filetransfer/index.ts'
import {nullLogger, type Logger} from '../observability/index.ts'
import {ArtifactFileCache} from './file-cache.ts'
import {Semaphore} from '../runtime/index.ts'
import {KeyedSerializer} from './keyed-serializer.ts'
import {saveArtifact, type SaveRequest, type SaverDeps} from './saver.ts'

/** Go's limit on simultaneous artifact saves. */
export const MAX_SIMULTANEOUS_SAVES = 128
/** Simultaneous multipart part uploads across all saves. */
const MAX_PART_UPLOADS = 32
const WARN_INTERVAL_MS = 60_000

/** What a save manager is built from (one per run, sharing the run's HTTP stack and transfers). */
export interface SaveManagerOptions {
  graphql: GraphQLClient
  http: HttpClient
  transfers: FileTransferManager
  logger?: Logger
  /** User-facing warnings (the run's printer). */
  warn?: (message: string) => void
  graphqlPolicy?: RetryPolicy
  transferPolicy?: RetryPolicy
  /** Aborting it cancels the saves' network calls (the run's signal). */
  signal?: AbortSignal
  /** The local artifact cache (default: the user's). */
  cache?: ArtifactFileCache
  /** Whether UseArtifact may name the artifact's entity and project (a server feature); default no. */
  useArtifactEntityProject?: (signal: AbortSignal) => Promise<boolean>
  /** For tests: the multipart threshold and part size. */
  multipartThreshold?: number
  multipartPartSize?: number
  now?: () => number
}

/** Queues and runs artifact saves. Safe to call concurrently; every save settles exactly once. */
export class ArtifactSaveManager {
  readonly #deps: SaverDeps
  readonly #byName = new KeyedSerializer()
  readonly #slots = new Semaphore(MAX_SIMULTANEOUS_SAVES)
  #lastWarning = Number.NEGATIVE_INFINITY

  constructor(o: SaveManagerOptions) {
    const now = o.now ?? Date.now
    const warn = o.warn ?? (() => {})
    this.#deps = {
      graphql: o.graphql,
      http: o.http,
      transfers: o.transfers,
      logger: o.logger ?? nullLogger,
      graphqlPolicy: o.graphqlPolicy ?? GRAPHQL_POLICY,
      transferPolicy: o.transferPolicy ?? FILE_TRANSFER_POLICY,
      signal: o.signal ?? new AbortController().signal,
      partLimiter: new Semaphore(MAX_PART_UPLOADS),
      multipartThreshold: o.multipartThreshold,
      multipartPartSize: o.multipartPartSize,
      now,
      cache: o.cache ?? new ArtifactFileCache(),
      useArtifactEntityProject: o.useArtifactEntityProject ?? (async () => false),
      warn: (message) => {
        if (now() - this.#lastWarning < WARN_INTERVAL_MS) return
        this.#lastWarning = now()
        warn(message)
      },
    }
  }

  /** Saves run now (at most 128). */
  get running(): number {
    return this.#slots.held
  }

  /**
   * Queues a save behind earlier saves of the same artifact name; resolves the artifact id, or
   * rejects with ArtifactSaveError.
   */
  save(req: SaveRequest): Promise<string> {
    return this.#byName.run(req.artifact.name, () => this.#slots.run(() => saveArtifact(this.#deps, req)))
  }
}

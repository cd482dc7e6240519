/**
 * The backend's state: one bun:sqlite database (a file, or `:memory:`) and one data-access
 * object per domain. Everything is synchronous; `tx` wraps a unit of work (one HTTP request) in
 * a transaction.
 */
import {Database} from 'bun:sqlite'
import {CollectionStore} from './artifact-collections.ts'
import {ArtifactStore} from './artifacts.ts'
import {BlobStore} from './blobs.ts'
import {MultipartStore} from './multipart.ts'
import {ProjectStore} from './projects.ts'
import {RunFileStore} from './run-files.ts'
import {RunLineStore} from './run-lines.ts'
import {RunStore} from './runs.ts'
import {applySchema, clearAll} from './schema.ts'
import {SweepStore} from './sweeps.ts'

export type {CollectionRow, MembershipRow, AliasRow} from './artifact-collections.ts'
export type {ArtifactRow, ManifestRow} from './artifacts.ts'
export type {ProjectRow} from './projects.ts'
export type {RunRow, RunFields} from './runs.ts'
export type {RunFileRow, AlertRow} from './run-files.ts'
export type {SweepRow, AgentRow, SweepFields} from './sweeps.ts'
export {HISTORY, EVENTS, SUMMARY, OUTPUT} from './run-lines.ts'
export {md5Hex, b64ToHex, hexToB64} from './blobs.ts'

/** All state of one backend. Close it with `close()`; using it afterwards throws. */
export class Store {
  readonly db: Database
  readonly projects: ProjectStore
  readonly runs: RunStore
  readonly lines: RunLineStore
  readonly runFiles: RunFileStore
  readonly blobs: BlobStore
  readonly collections: CollectionStore
  readonly artifacts: ArtifactStore
  readonly multipart: MultipartStore
  readonly sweeps: SweepStore

  /** Opens (creating if needed) the database at `path`; `:memory:` (the default) keeps nothing. */
  constructor(path = ':memory:') {
    this.db = new Database(path, {create: true})
    applySchema(this.db)
    this.projects = new ProjectStore(this.db)
    this.runs = new RunStore(this.db)
    this.lines = new RunLineStore(this.db)
    this.runFiles = new RunFileStore(this.db)
    this.blobs = new BlobStore(this.db)
    this.collections = new CollectionStore(this.db)
    this.artifacts = new ArtifactStore(this.db)
    this.multipart = new MultipartStore(this.db)
    this.sweeps = new SweepStore(this.db)
  }

  /** Runs `fn` in one transaction (nested calls become savepoints) and returns its result. */
  tx<T>(fn: () => T): T {
    return this.db.transaction(fn)()
  }

  /** Deletes every row of every table. */
  reset(): void {
    clearAll(this.db)
  }

  /** Closes the database. Idempotent. */
  close(): void {
    this.db.close(false)
  }
}

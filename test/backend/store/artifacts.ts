/**
 * Artifact versions, their manifests and their users (UseArtifact). Collections, memberships and
 * aliases are in artifact-collections.ts.
 */
import type {Database, Statement} from 'bun:sqlite'
import {isoNow} from '../ids.ts'

/** A stored artifact row; `pending_aliases` is a JSON array applied at commit. */
export interface ArtifactRow {
  id: number
  sequence_id: number
  type_name: string
  state: 'PENDING' | 'COMMITTED' | 'DELETED'
  digest: string
  description: string | null
  metadata: string | null
  version_index: number | null
  size: number
  file_count: number
  history_step: number | null
  ttl_seconds: number | null
  run_id: number | null
  client_id: string | null
  sequence_client_id: string | null
  pending_aliases: string
  created_at: string
  updated_at: string
}

/** A stored manifest row; `md5` (hex) is set once its JSON was PUT. */
export interface ManifestRow {
  id: number
  artifact_id: number
  name: string
  digest: string | null
  type: string | null
  md5: string | null
}

/** The fields CreateArtifact records. */
export interface NewArtifact {
  sequenceId: number
  typeName: string
  digest: string
  description: string | null
  metadata: string | null
  historyStep: number | null
  ttlSeconds: number | null
  runId: number | null
  clientId: string | null
  sequenceClientId: string | null
  aliases: string[]
}

/** Data access for `artifacts`, `artifact_manifests`, `artifact_usages`. */
export class ArtifactStore {
  private readonly byId: Statement<ArtifactRow, [number]>
  private readonly byClientId: Statement<ArtifactRow, [string]>
  private readonly latestCommitted: Statement<ArtifactRow, [number]>
  private readonly manifestByName: Statement<ManifestRow, [number, string]>
  private readonly manifestById: Statement<ManifestRow, [number]>
  private readonly currentManifestStmt: Statement<ManifestRow, [number]>
  private readonly all: Statement<ArtifactRow, []>

  constructor(private readonly db: Database) {
    this.byId = db.query('SELECT * FROM artifacts WHERE id = ?')
    this.byClientId = db.query('SELECT * FROM artifacts WHERE client_id = ? ORDER BY id DESC LIMIT 1')
    this.latestCommitted = db.query("SELECT * FROM artifacts WHERE sequence_id = ? AND state = 'COMMITTED' ORDER BY version_index DESC LIMIT 1")
    this.manifestByName = db.query('SELECT * FROM artifact_manifests WHERE artifact_id = ? AND name = ?')
    this.manifestById = db.query('SELECT * FROM artifact_manifests WHERE id = ?')
    this.currentManifestStmt = db.query('SELECT * FROM artifact_manifests WHERE artifact_id = ? AND md5 IS NOT NULL ORDER BY id DESC LIMIT 1')
    this.all = db.query('SELECT * FROM artifacts ORDER BY id')
  }

  /** The artifact with this row id, or null. */
  get(id: number): ArtifactRow | null {
    return this.byId.get(id)
  }

  /** The newest artifact created with this client id, or null. */
  findByClientId(clientId: string): ArtifactRow | null {
    return this.byClientId.get(clientId)
  }

  /** The committed version with the highest index in a sequence, or null. */
  latestOf(sequenceId: number): ArtifactRow | null {
    return this.latestCommitted.get(sequenceId)
  }

  /** Inserts a PENDING artifact and returns it. */
  create(a: NewArtifact): ArtifactRow {
    const now = isoNow()
    return this.db
      .query<ArtifactRow, (string | number | null)[]>(
        `INSERT INTO artifacts (sequence_id, type_name, state, digest, description, metadata, history_step,
           ttl_seconds, run_id, client_id, sequence_client_id, pending_aliases, created_at, updated_at)
         VALUES (?, ?, 'PENDING', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
      )
      .get(a.sequenceId, a.typeName, a.digest, a.description, a.metadata, a.historyStep, a.ttlSeconds, a.runId, a.clientId, a.sequenceClientId, JSON.stringify(a.aliases), now, now) as ArtifactRow
  }

  /** Marks the artifact committed as version `versionIndex`, with its size and file count. */
  markCommitted(id: number, versionIndex: number, size: number, fileCount: number): void {
    this.db.query("UPDATE artifacts SET state = 'COMMITTED', version_index = ?, size = ?, file_count = ?, updated_at = ? WHERE id = ?").run(versionIndex, size, fileCount, isoNow(), id)
  }

  /** Updates description and/or metadata (null = unchanged). */
  updateFields(id: number, description: string | null, metadata: string | null): void {
    if (description !== null) this.db.query('UPDATE artifacts SET description = ? WHERE id = ?').run(description, id)
    if (metadata !== null) this.db.query('UPDATE artifacts SET metadata = ? WHERE id = ?').run(metadata, id)
  }

  /** Creates or updates the manifest record named `name` of an artifact (CreateArtifactManifest). */
  upsertManifest(artifactId: number, name: string, digest: string, type: string): ManifestRow {
    const existing = this.manifestByName.get(artifactId, name)
    if (existing) {
      this.db.query('UPDATE artifact_manifests SET digest = ?, type = ? WHERE id = ?').run(digest, type, existing.id)
      return this.manifestById.get(existing.id) as ManifestRow
    }
    return this.db
      .query<ManifestRow, [number, string, string, string]>('INSERT INTO artifact_manifests (artifact_id, name, digest, type) VALUES (?, ?, ?, ?) RETURNING *')
      .get(artifactId, name, digest, type) as ManifestRow
  }

  /** A manifest record by id, or null. */
  manifest(id: number): ManifestRow | null {
    return this.manifestById.get(id)
  }

  /** Sets a manifest's digest (UpdateArtifactManifest); null leaves it unchanged. */
  setManifestDigest(id: number, digest: string | null): void {
    if (digest !== null) this.db.query('UPDATE artifact_manifests SET digest = ? WHERE id = ?').run(digest, id)
  }

  /** Records the uploaded manifest JSON (its blob's hex MD5). */
  setManifestContent(id: number, md5: string): void {
    this.db.query('UPDATE artifact_manifests SET md5 = ? WHERE id = ?').run(md5, id)
  }

  /** The latest manifest whose JSON was uploaded, or null. */
  currentManifest(artifactId: number): ManifestRow | null {
    return this.currentManifestStmt.get(artifactId)
  }

  /** Records that a run used the artifact (UseArtifact). Idempotent. */
  addUsage(artifactId: number, runId: number, usedAs: string | null): void {
    this.db.query('INSERT OR IGNORE INTO artifact_usages (artifact_id, run_id, used_as) VALUES (?, ?, ?)').run(artifactId, runId, usedAs)
  }

  /** The run ids that used the artifact. */
  usedBy(artifactId: number): number[] {
    return this.db
      .query<{run_id: number}, [number]>('SELECT run_id FROM artifact_usages WHERE artifact_id = ? ORDER BY run_id')
      .all(artifactId)
      .map((r) => r.run_id)
  }

  /** Artifacts a run used. */
  usedByRun(runId: number): number[] {
    return this.db
      .query<{artifact_id: number}, [number]>('SELECT artifact_id FROM artifact_usages WHERE run_id = ? ORDER BY artifact_id')
      .all(runId)
      .map((r) => r.artifact_id)
  }

  /** Artifacts a run created. */
  createdByRun(runId: number): ArtifactRow[] {
    return this.db.query<ArtifactRow, [number]>('SELECT * FROM artifacts WHERE run_id = ? ORDER BY id').all(runId)
  }

  /** Every artifact, by id. */
  list(): ArtifactRow[] {
    return this.all.all()
  }
}

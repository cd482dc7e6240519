/**
 * Artifact collections (sequences, created by logging; portfolios, created by linking), their
 * memberships (which artifact is version N of a collection) and aliases (`latest`, user aliases;
 * `vN` is implicit and never stored).
 */
import type {Database, Statement} from 'bun:sqlite'
import {isoNow} from '../ids.ts'

/** A collection row; kind is "sequence" or "portfolio". */
export interface CollectionRow {
  id: number
  project_id: number
  name: string
  type_name: string
  kind: 'sequence' | 'portfolio'
  description: string | null
  created_at: string
}

/** A membership row: artifact `artifact_id` is version `version_index` of the collection. */
export interface MembershipRow {
  collection_id: number
  artifact_id: number
  version_index: number
  created_at: string
}

/** An alias row. */
export interface AliasRow {
  id: number
  collection_id: number
  alias: string
  artifact_id: number
}

/** Data access for `artifact_collections`, `artifact_memberships`, `artifact_aliases`. */
export class CollectionStore {
  private readonly byName: Statement<CollectionRow, [number, string]>
  private readonly byId: Statement<CollectionRow, [number]>
  private readonly insert: Statement<CollectionRow, [number, string, string, string, string]>
  private readonly membership: Statement<MembershipRow, [number, number]>
  private readonly membershipByIndex: Statement<MembershipRow, [number, number]>
  private readonly nextIndex: Statement<{n: number}, [number]>
  private readonly addMembership: Statement<unknown, [number, number, number, string]>
  private readonly memberships: Statement<MembershipRow, [number]>
  private readonly aliasByName: Statement<AliasRow, [number, string]>
  private readonly setAliasStmt: Statement<unknown, [number, string, number]>
  private readonly aliasesOfStmt: Statement<AliasRow, [number, number]>
  private readonly allAliasesOf: Statement<AliasRow, [number]>
  private readonly byProject: Statement<CollectionRow, [number]>

  constructor(db: Database) {
    this.byName = db.query('SELECT * FROM artifact_collections WHERE project_id = ? AND name = ?')
    this.byId = db.query('SELECT * FROM artifact_collections WHERE id = ?')
    this.insert = db.query('INSERT INTO artifact_collections (project_id, name, type_name, kind, created_at) VALUES (?, ?, ?, ?, ?) RETURNING *')
    this.membership = db.query('SELECT * FROM artifact_memberships WHERE collection_id = ? AND artifact_id = ?')
    this.membershipByIndex = db.query('SELECT * FROM artifact_memberships WHERE collection_id = ? AND version_index = ?')
    this.nextIndex = db.query('SELECT COALESCE(MAX(version_index) + 1, 0) AS n FROM artifact_memberships WHERE collection_id = ?')
    this.addMembership = db.query('INSERT OR IGNORE INTO artifact_memberships (collection_id, artifact_id, version_index, created_at) VALUES (?, ?, ?, ?)')
    this.memberships = db.query('SELECT * FROM artifact_memberships WHERE collection_id = ? ORDER BY version_index')
    this.aliasByName = db.query('SELECT * FROM artifact_aliases WHERE collection_id = ? AND alias = ?')
    this.setAliasStmt = db.query(
      `INSERT INTO artifact_aliases (collection_id, alias, artifact_id) VALUES (?, ?, ?)
       ON CONFLICT (collection_id, alias) DO UPDATE SET artifact_id = excluded.artifact_id`,
    )
    this.aliasesOfStmt = db.query('SELECT * FROM artifact_aliases WHERE collection_id = ? AND artifact_id = ? ORDER BY alias')
    this.allAliasesOf = db.query('SELECT * FROM artifact_aliases WHERE artifact_id = ? ORDER BY collection_id, alias')
    this.byProject = db.query('SELECT * FROM artifact_collections WHERE project_id = ? ORDER BY name')
  }

  /** The collection of this name in the project, or null. */
  find(projectId: number, name: string): CollectionRow | null {
    return this.byName.get(projectId, name)
  }

  /** The collection with this row id, or null. */
  get(id: number): CollectionRow | null {
    return this.byId.get(id)
  }

  /** The project's collections by name. */
  list(projectId: number): CollectionRow[] {
    return this.byProject.all(projectId)
  }

  /** The collection, created with this type and kind if missing. */
  ensure(projectId: number, name: string, typeName: string, kind: 'sequence' | 'portfolio'): CollectionRow {
    return this.find(projectId, name) ?? (this.insert.get(projectId, name, typeName, kind, isoNow()) as CollectionRow)
  }

  /**
   * Adds the artifact as the next version of the collection and returns its membership; returns
   * the existing membership if it is already a member (idempotent).
   */
  addVersion(collectionId: number, artifactId: number): MembershipRow {
    const existing = this.membership.get(collectionId, artifactId)
    if (existing) return existing
    const n = this.nextIndex.get(collectionId)?.n ?? 0
    this.addMembership.run(collectionId, artifactId, n, isoNow())
    return this.membership.get(collectionId, artifactId) as MembershipRow
  }

  /** The membership of an artifact in a collection, or null. */
  membershipOf(collectionId: number, artifactId: number): MembershipRow | null {
    return this.membership.get(collectionId, artifactId)
  }

  /** Every membership of a collection by version. */
  versions(collectionId: number): MembershipRow[] {
    return this.memberships.all(collectionId)
  }

  /**
   * Resolves "latest", a stored alias or "vN" within a collection to a membership, or null.
   */
  resolve(collectionId: number, aliasOrVersion: string): MembershipRow | null {
    const v = /^v(\d+)$/.exec(aliasOrVersion)
    if (v) return this.membershipByIndex.get(collectionId, Number(v[1]))
    const alias = this.aliasByName.get(collectionId, aliasOrVersion)
    return alias ? this.membership.get(collectionId, alias.artifact_id) : null
  }

  /** Points the alias at the artifact (moving it from another version). */
  setAlias(collectionId: number, alias: string, artifactId: number): void {
    this.setAliasStmt.run(collectionId, alias, artifactId)
  }

  /** The stored aliases of an artifact within one collection. */
  aliasesIn(collectionId: number, artifactId: number): AliasRow[] {
    return this.aliasesOfStmt.all(collectionId, artifactId)
  }

  /** The stored aliases of an artifact in every collection. */
  aliasesOf(artifactId: number): AliasRow[] {
    return this.allAliasesOf.all(artifactId)
  }
}

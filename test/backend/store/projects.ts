/** Projects (entity + name), created on first use like the W&B server does for runs. */
import type {Database, Statement} from 'bun:sqlite'
import {isoNow} from '../ids.ts'

/** A stored project row. */
export interface ProjectRow {
  id: number
  entity: string
  name: string
  description: string | null
  created_at: string
}

/** Data access for `projects`. Not safe across processes; one backend owns its database. */
export class ProjectStore {
  private readonly byName: Statement<ProjectRow, [string, string]>
  private readonly byId: Statement<ProjectRow, [number]>
  private readonly insert: Statement<ProjectRow, [string, string, string]>
  private readonly listAll: Statement<ProjectRow, [string]>

  constructor(db: Database) {
    this.byName = db.query('SELECT * FROM projects WHERE entity = ? AND name = ?')
    this.byId = db.query('SELECT * FROM projects WHERE id = ?')
    this.insert = db.query('INSERT INTO projects (entity, name, created_at) VALUES (?, ?, ?) RETURNING *')
    this.listAll = db.query('SELECT * FROM projects WHERE entity = ? ORDER BY name')
  }

  /** The project, or null if it was never created. */
  find(entity: string, name: string): ProjectRow | null {
    return this.byName.get(entity, name)
  }

  /** The project with this row id, or null. */
  get(id: number): ProjectRow | null {
    return this.byId.get(id)
  }

  /** The project, created if missing. Idempotent. */
  ensure(entity: string, name: string): ProjectRow {
    return this.find(entity, name) ?? (this.insert.get(entity, name, isoNow()) as ProjectRow)
  }

  /** Every project of an entity, by name. */
  list(entity: string): ProjectRow[] {
    return this.listAll.all(entity)
  }
}

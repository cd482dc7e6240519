/**
 * Runs ("buckets"): the row written by UpsertBucket and the state changes from file_stream and
 * the sweep controller. The four file_stream "files" live in run-lines.ts.
 */
import type {Database, Statement} from 'bun:sqlite'
import {isoNow, stableHash} from '../ids.ts'

/** A stored run row (snake_case, as in the table). */
export interface RunRow {
  id: number
  project_id: number
  name: string
  display_name: string | null
  description: string | null
  notes: string | null
  group_name: string | null
  job_type: string | null
  host: string | null
  program: string | null
  repo: string | null
  commit_hash: string | null
  config: string | null
  summary_metrics: string | null
  tags: string | null
  state: string
  exit_code: number | null
  sweep_name: string | null
  agent_id: number | null
  stop_requested: number
  created_at: string
  updated_at: string
  heartbeat_at: string | null
}

/** The columns UpsertBucket may set; `undefined` and `null` both mean "leave unchanged". */
export interface RunFields {
  display_name?: string | null
  description?: string | null
  notes?: string | null
  group_name?: string | null
  job_type?: string | null
  host?: string | null
  program?: string | null
  repo?: string | null
  commit_hash?: string | null
  config?: string | null
  summary_metrics?: string | null
  tags?: string | null
  state?: string | null
  sweep_name?: string | null
  agent_id?: number | null
}

const UPDATABLE: (keyof RunFields)[] = [
  'display_name',
  'description',
  'notes',
  'group_name',
  'job_type',
  'host',
  'program',
  'repo',
  'commit_hash',
  'config',
  'summary_metrics',
  'tags',
  'state',
  'sweep_name',
  'agent_id',
]

const ADJECTIVES = ['amber', 'brisk', 'calm', 'daring', 'eager', 'fancy', 'gentle', 'hardy', 'icy', 'jolly', 'keen', 'lively']
const NOUNS = ['river', 'meadow', 'comet', 'forest', 'glade', 'harbor', 'island', 'jungle', 'lake', 'mountain', 'night', 'ocean']

/** Data access for `runs`. Every method is synchronous and runs in the caller's transaction. */
export class RunStore {
  private readonly byName: Statement<RunRow, [number, string]>
  private readonly byId: Statement<RunRow, [number]>
  private readonly countInProject: Statement<{n: number}, [number]>
  private readonly insertRow: Statement<RunRow, [number, string, string, string, string, string]>
  private readonly bySweep: Statement<RunRow, [number, string]>
  private readonly all: Statement<RunRow & {entity: string; project: string}, []>

  constructor(private readonly db: Database) {
    this.byName = db.query('SELECT * FROM runs WHERE project_id = ? AND name = ?')
    this.byId = db.query('SELECT * FROM runs WHERE id = ?')
    this.countInProject = db.query('SELECT COUNT(*) AS n FROM runs WHERE project_id = ?')
    this.insertRow = db.query('INSERT INTO runs (project_id, name, display_name, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING *')
    this.bySweep = db.query('SELECT * FROM runs WHERE project_id = ? AND sweep_name = ? ORDER BY id')
    this.all = db.query(
      'SELECT runs.*, projects.entity AS entity, projects.name AS project FROM runs JOIN projects ON projects.id = runs.project_id ORDER BY projects.entity, projects.name, runs.name',
    )
  }

  /** The run with this name in the project, or null. */
  find(projectId: number, name: string): RunRow | null {
    return this.byName.get(projectId, name)
  }

  /** The run with this storage (row) id, or null. */
  get(id: number): RunRow | null {
    return this.byId.get(id)
  }

  /**
   * Creates the run if missing (state `state ?? "running"`, generated display name), then applies
   * every non-null field. Returns the stored row and whether it was inserted.
   */
  upsert(projectId: number, name: string, fields: RunFields): {row: RunRow; inserted: boolean} {
    let row = this.find(projectId, name)
    const inserted = row === null
    if (row === null) {
      const n = (this.countInProject.get(projectId)?.n ?? 0) + 1
      const now = isoNow()
      row = this.insertRow.get(projectId, name, generatedDisplayName(n, name), fields.state ?? 'running', now, now) as RunRow
    }
    this.update(row.id, fields)
    return {row: this.get(row.id) as RunRow, inserted}
  }

  /** Sets every non-null field of `fields` (and updated_at). No-op for an unknown id. */
  update(id: number, fields: RunFields): void {
    const keys = UPDATABLE.filter((k) => fields[k] !== undefined && fields[k] !== null)
    const sets = [...keys.map((k) => `${k} = ?`), 'updated_at = ?']
    const values = [...keys.map((k) => fields[k] as string | number), isoNow()]
    this.db.query(`UPDATE runs SET ${sets.join(', ')} WHERE id = ?`).run(...values, id)
  }

  /** Records the end of a run: state finished (exit code 0) or failed, and the exit code. */
  finish(id: number, exitCode: number | null): void {
    const state = exitCode === null || exitCode === 0 ? 'finished' : 'failed'
    this.db.query('UPDATE runs SET state = ?, exit_code = ?, updated_at = ? WHERE id = ?').run(state, exitCode, isoNow(), id)
  }

  /** Marks the run alive now (file_stream heartbeat or data). */
  touch(id: number): void {
    const now = isoNow()
    this.db.query('UPDATE runs SET heartbeat_at = ?, updated_at = ? WHERE id = ?').run(now, now, id)
  }

  /** Sets the state, clearing the exit code when the run becomes live again. */
  setState(id: number, state: string): void {
    const live = state === 'running' || state === 'pending'
    this.db.query(`UPDATE runs SET state = ?${live ? ', exit_code = NULL' : ''}, updated_at = ? WHERE id = ?`).run(state, isoNow(), id)
  }

  /** Asks the run to stop: the next file_stream response carries `"stopped": true`. */
  requestStop(id: number): void {
    this.db.query('UPDATE runs SET stop_requested = 1 WHERE id = ?').run(id)
  }

  /** The runs of a sweep, in creation order. */
  listBySweep(projectId: number, sweepName: string): RunRow[] {
    return this.bySweep.all(projectId, sweepName)
  }

  /** The runs of a project, by name. */
  listByProject(projectId: number): RunRow[] {
    return this.db.query<RunRow, [number]>('SELECT * FROM runs WHERE project_id = ? ORDER BY name').all(projectId)
  }

  /** Every run with its entity and project name, sorted by entity, project, run name. */
  listAll(): (RunRow & {entity: string; project: string})[] {
    return this.all.all()
  }
}

/**
 * A display name like the server's ("eager-harbor-3"), derived from the run name so that two
 * backends that saw the same runs give them the same names (differential tests compare states).
 */
function generatedDisplayName(n: number, runName: string): string {
  const h = stableHash(runName)
  const a = ADJECTIVES[h % ADJECTIVES.length]
  const b = NOUNS[Math.floor(h / ADJECTIVES.length) % NOUNS.length]
  return `${a}-${b}-${n}`
}

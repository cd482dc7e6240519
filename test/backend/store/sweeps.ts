/**
 * Sweeps (config YAML, state, controller/scheduler JSON) and their agents. The runs of a sweep are
 * ordinary runs with `sweep_name` set (store/runs.ts).
 */
import type {Database, Statement} from 'bun:sqlite'
import {isoNow} from '../ids.ts'

/** A stored sweep row. State is upper-case: PENDING, RUNNING, PAUSED, FINISHED, CANCELED. */
export interface SweepRow {
  id: number
  project_id: number
  name: string
  config: string
  state: string
  description: string | null
  display_name: string | null
  controller: string | null
  scheduler: string | null
  prior_runs_filters: string | null
  created_at: string
  updated_at: string
  heartbeat_at: string | null
}

/** A stored agent row. */
export interface AgentRow {
  id: number
  sweep_id: number
  host: string | null
  state: string
  created_at: string
  heartbeat_at: string | null
}

/** The sweep columns UpsertSweep may change (null/undefined = unchanged). */
export interface SweepFields {
  config?: string | null
  state?: string | null
  description?: string | null
  display_name?: string | null
  controller?: string | null
  scheduler?: string | null
  prior_runs_filters?: string | null
}

const SWEEP_FIELDS: (keyof SweepFields)[] = ['config', 'state', 'description', 'display_name', 'controller', 'scheduler', 'prior_runs_filters']

/** Data access for `sweeps` and `agents`. */
export class SweepStore {
  private readonly byName: Statement<SweepRow, [number, string]>
  private readonly byId: Statement<SweepRow, [number]>
  private readonly agentById: Statement<AgentRow, [number]>

  constructor(private readonly db: Database) {
    this.byName = db.query('SELECT * FROM sweeps WHERE project_id = ? AND name = ?')
    this.byId = db.query('SELECT * FROM sweeps WHERE id = ?')
    this.agentById = db.query('SELECT * FROM agents WHERE id = ?')
  }

  /** The sweep named `name` in the project, or null. */
  find(projectId: number, name: string): SweepRow | null {
    return this.byName.get(projectId, name)
  }

  /** The sweep with this row id, or null. */
  get(id: number): SweepRow | null {
    return this.byId.get(id)
  }

  /** Inserts a sweep. */
  create(projectId: number, name: string, config: string, state: string, fields: SweepFields): SweepRow {
    const now = isoNow()
    const row = this.db
      .query<SweepRow, [number, string, string, string, string, string]>('INSERT INTO sweeps (project_id, name, config, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING *')
      .get(projectId, name, config, state, now, now) as SweepRow
    this.update(row.id, fields)
    return this.get(row.id) as SweepRow
  }

  /** Sets every non-null field (and updated_at). */
  update(id: number, fields: SweepFields): void {
    const keys = SWEEP_FIELDS.filter((k) => fields[k] !== undefined && fields[k] !== null)
    const sets = [...keys.map((k) => `${k} = ?`), 'updated_at = ?']
    this.db.query(`UPDATE sweeps SET ${sets.join(', ')} WHERE id = ?`).run(...keys.map((k) => fields[k] as string), isoNow(), id)
  }

  /** The project's sweeps, newest first. */
  list(projectId: number): SweepRow[] {
    return this.db.query<SweepRow, [number]>('SELECT * FROM sweeps WHERE project_id = ? ORDER BY id DESC').all(projectId)
  }

  /** Registers an agent for a sweep (CreateAgent). */
  createAgent(sweepId: number, host: string | null): AgentRow {
    const now = isoNow()
    return this.db
      .query<AgentRow, [number, string | null, string, string]>("INSERT INTO agents (sweep_id, host, state, created_at, heartbeat_at) VALUES (?, ?, 'RUNNING', ?, ?) RETURNING *")
      .get(sweepId, host, now, now) as AgentRow
  }

  /** The agent with this row id, or null. */
  agent(id: number): AgentRow | null {
    return this.agentById.get(id)
  }

  /** Records an agent heartbeat (and the sweep's heartbeat time). */
  touchAgent(agent: AgentRow): void {
    const now = isoNow()
    this.db.query('UPDATE agents SET heartbeat_at = ? WHERE id = ?').run(now, agent.id)
    this.db.query('UPDATE sweeps SET heartbeat_at = ? WHERE id = ?').run(now, agent.sweep_id)
  }

  /** The agents of a sweep, by id. */
  agents(sweepId: number): AgentRow[] {
    return this.db.query<AgentRow, [number]>('SELECT * FROM agents WHERE sweep_id = ? ORDER BY id').all(sweepId)
  }
}

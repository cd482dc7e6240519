/**
 * Run files (uploaded through CreateRunFiles URLs) and run alerts (NotifyScriptableRunAlert).
 * File bytes live in the blob store; this table maps (run, name) to the blob's MD5.
 */
import type {Database, Statement} from 'bun:sqlite'
import {isoNow} from '../ids.ts'

/** A stored run file; `md5` is hex, null until the first PUT arrived. */
export interface RunFileRow {
  run_id: number
  name: string
  md5: string | null
  size: number | null
  updated_at: string | null
  uploaded: number
}

/** A stored alert. */
export interface AlertRow {
  id: number
  run_id: number
  title: string | null
  text: string | null
  severity: string | null
  wait_duration: number | null
  created_at: string
}

/** Data access for `run_files` and `alerts`. */
export class RunFileStore {
  private readonly upsertContent: Statement<unknown, [number, string, string, number, string]>
  private readonly declare: Statement<unknown, [number, string]>
  private readonly markUploaded: Statement<unknown, [number, string]>
  private readonly list: Statement<RunFileRow, [number]>
  private readonly one: Statement<RunFileRow, [number, string]>
  private readonly insertAlert: Statement<unknown, [number, string | null, string | null, string | null, number | null, string]>
  private readonly listAlerts: Statement<AlertRow, [number]>

  constructor(db: Database) {
    this.upsertContent = db.query(
      `INSERT INTO run_files (run_id, name, md5, size, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (run_id, name) DO UPDATE SET md5 = excluded.md5, size = excluded.size, updated_at = excluded.updated_at`,
    )
    this.declare = db.query('INSERT OR IGNORE INTO run_files (run_id, name) VALUES (?, ?)')
    this.markUploaded = db.query('UPDATE run_files SET uploaded = 1 WHERE run_id = ? AND name = ?')
    this.list = db.query('SELECT * FROM run_files WHERE run_id = ? ORDER BY name')
    this.one = db.query('SELECT * FROM run_files WHERE run_id = ? AND name = ?')
    this.insertAlert = db.query('INSERT INTO alerts (run_id, title, text, severity, wait_duration, created_at) VALUES (?, ?, ?, ?, ?, ?)')
    this.listAlerts = db.query('SELECT * FROM alerts WHERE run_id = ? ORDER BY id')
  }

  /** Registers a file name handed out by CreateRunFiles (no content yet). Idempotent. */
  declareFile(runId: number, name: string): void {
    this.declare.run(runId, name)
  }

  /** Records the content of a PUT (replacing earlier content). */
  putContent(runId: number, name: string, md5: string, size: number): void {
    this.upsertContent.run(runId, name, md5, size, isoNow())
  }

  /** Marks names reported in a file_stream `uploaded` list. Unknown names are ignored. */
  setUploaded(runId: number, names: string[]): void {
    for (const n of names) this.markUploaded.run(runId, n)
  }

  /** The run's files by name, declared-but-empty ones included. */
  files(runId: number): RunFileRow[] {
    return this.list.all(runId)
  }

  /** One file, or null. */
  file(runId: number, name: string): RunFileRow | null {
    return this.one.get(runId, name)
  }

  /** Stores an alert. */
  addAlert(runId: number, a: {title: string | null; text: string | null; severity: string | null; waitDuration: number | null}): void {
    this.insertAlert.run(runId, a.title, a.text, a.severity, a.waitDuration, isoNow())
  }

  /** The run's alerts in arrival order. */
  alerts(runId: number): AlertRow[] {
    return this.listAlerts.all(runId)
  }
}

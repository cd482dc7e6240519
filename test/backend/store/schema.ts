/**
 * The SQLite schema of the backend's state. One table group per domain; the row ids double as
 * the numbers inside GraphQL IDs (see ids.ts). Applied idempotently on open, so a `--db FILE`
 * survives restarts.
 */
import type {Database} from 'bun:sqlite'

const SCHEMA = `
CREATE TABLE IF NOT EXISTS projects (
  id INTEGER PRIMARY KEY, entity TEXT NOT NULL, name TEXT NOT NULL, description TEXT,
  created_at TEXT NOT NULL, UNIQUE (entity, name));

CREATE TABLE IF NOT EXISTS runs (
  id INTEGER PRIMARY KEY, project_id INTEGER NOT NULL, name TEXT NOT NULL,
  display_name TEXT, description TEXT, notes TEXT, group_name TEXT, job_type TEXT, host TEXT,
  program TEXT, repo TEXT, commit_hash TEXT, config TEXT, summary_metrics TEXT, tags TEXT,
  state TEXT NOT NULL, exit_code INTEGER, sweep_name TEXT, agent_id INTEGER,
  stop_requested INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
  heartbeat_at TEXT, UNIQUE (project_id, name));

CREATE TABLE IF NOT EXISTS run_lines (
  run_id INTEGER NOT NULL, file TEXT NOT NULL, idx INTEGER NOT NULL, line TEXT NOT NULL,
  PRIMARY KEY (run_id, file, idx)) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS blobs (md5 TEXT PRIMARY KEY, size INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS blob_chunks (
  md5 TEXT NOT NULL, seq INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (md5, seq)) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS run_files (
  run_id INTEGER NOT NULL, name TEXT NOT NULL, md5 TEXT, size INTEGER, updated_at TEXT,
  uploaded INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (run_id, name)) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS alerts (
  id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL, title TEXT, text TEXT, severity TEXT,
  wait_duration INTEGER, created_at TEXT NOT NULL);

CREATE TABLE IF NOT EXISTS artifact_collections (
  id INTEGER PRIMARY KEY, project_id INTEGER NOT NULL, name TEXT NOT NULL, type_name TEXT NOT NULL,
  kind TEXT NOT NULL, description TEXT, created_at TEXT NOT NULL, UNIQUE (project_id, name));

CREATE TABLE IF NOT EXISTS artifacts (
  id INTEGER PRIMARY KEY, sequence_id INTEGER NOT NULL, type_name TEXT NOT NULL, state TEXT NOT NULL,
  digest TEXT NOT NULL, description TEXT, metadata TEXT, version_index INTEGER,
  size INTEGER NOT NULL DEFAULT 0, file_count INTEGER NOT NULL DEFAULT 0, history_step INTEGER,
  ttl_seconds INTEGER, run_id INTEGER, client_id TEXT, sequence_client_id TEXT,
  pending_aliases TEXT NOT NULL DEFAULT '[]', created_at TEXT NOT NULL, updated_at TEXT NOT NULL);

CREATE TABLE IF NOT EXISTS artifact_memberships (
  collection_id INTEGER NOT NULL, artifact_id INTEGER NOT NULL, version_index INTEGER NOT NULL,
  created_at TEXT NOT NULL, PRIMARY KEY (collection_id, artifact_id));

CREATE TABLE IF NOT EXISTS artifact_aliases (
  id INTEGER PRIMARY KEY, collection_id INTEGER NOT NULL, alias TEXT NOT NULL,
  artifact_id INTEGER NOT NULL, UNIQUE (collection_id, alias));

CREATE TABLE IF NOT EXISTS artifact_manifests (
  id INTEGER PRIMARY KEY, artifact_id INTEGER NOT NULL, name TEXT NOT NULL, digest TEXT,
  type TEXT, md5 TEXT, UNIQUE (artifact_id, name));

CREATE TABLE IF NOT EXISTS artifact_usages (
  artifact_id INTEGER NOT NULL, run_id INTEGER NOT NULL, used_as TEXT,
  PRIMARY KEY (artifact_id, run_id));

CREATE TABLE IF NOT EXISTS multipart_uploads (
  id TEXT PRIMARY KEY, md5 TEXT NOT NULL, created_at TEXT NOT NULL);

CREATE TABLE IF NOT EXISTS multipart_parts (
  upload_id TEXT NOT NULL, part_number INTEGER NOT NULL, md5 TEXT NOT NULL, data BLOB NOT NULL,
  PRIMARY KEY (upload_id, part_number));

CREATE TABLE IF NOT EXISTS sweeps (
  id INTEGER PRIMARY KEY, project_id INTEGER NOT NULL, name TEXT NOT NULL, config TEXT NOT NULL,
  state TEXT NOT NULL, description TEXT, display_name TEXT, controller TEXT, scheduler TEXT,
  prior_runs_filters TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, heartbeat_at TEXT,
  UNIQUE (project_id, name));

CREATE TABLE IF NOT EXISTS agents (
  id INTEGER PRIMARY KEY, sweep_id INTEGER NOT NULL, host TEXT, state TEXT NOT NULL,
  created_at TEXT NOT NULL, heartbeat_at TEXT);
`

/** Creates every table that does not exist yet and sets the connection pragmas. */
export function applySchema(db: Database): void {
  db.exec('PRAGMA journal_mode = WAL')
  db.exec('PRAGMA synchronous = NORMAL')
  db.exec('PRAGMA foreign_keys = OFF')
  db.exec(SCHEMA)
}

/** Deletes all rows (keeps the schema); used by POST /_inspect/reset. */
export function clearAll(db: Database): void {
  const tables = db.query<{name: string}, []>("SELECT name FROM sqlite_master WHERE type = 'table'").all()
  db.transaction(() => {
    for (const t of tables) db.exec(`DELETE FROM "${t.name}"`)
  })()
}

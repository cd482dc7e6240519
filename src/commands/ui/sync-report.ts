import type {ReplayResult} from '../../sync/index.ts'

/** Version of the `nexus sync --json` shape; raised when a field changes meaning or goes away. */
export const SYNC_REPORT_SCHEMA = 1

export interface SyncReport {
  dryRun: boolean
  exitCode: number
  /** Runs left out: already marked synced (without --include-synced), or made online (without --include-online). */
  skipped: Array<{file: string; reason: 'synced' | 'online'}>
  /** One entry per run synced (or, in a dry run, that would be: status "would-sync"). */
  runs: Array<{file: string; status: string}>
}

/**
 * The one JSON line `nexus sync --json` prints, with the same top level for a sync, a dry run and
 * nothing to do: {"schema", "dryRun", "exitCode", "skipped", "runs"}.
 */
export function syncReport(r: SyncReport): string {
  return JSON.stringify({schema: SYNC_REPORT_SCHEMA, ...r})
}

/** A synced run in the report: where it went, what was sent, what was not. */
export function runReport(r: ReplayResult) {
  return {
    file: r.file,
    status: r.status,
    entity: r.entity,
    project: r.project,
    id: r.runId,
    url: r.url ?? null,
    steps: r.steps,
    files: r.filesUploaded,
    damage: r.damage,
    truncated: r.truncated,
    undelivered: r.undelivered.map((d) => ({status: d.status, error: d.error?.message})),
    error: r.error?.userText ?? null,
    notes: r.notes,
  }
}

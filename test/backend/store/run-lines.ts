/**
 * The line arrays that file_stream writes per run: `wandb-history.jsonl`, `wandb-events.jsonl`,
 * `wandb-summary.json`, `output.log` (and any other file name a client sends). A write sets lines
 * [offset, offset + n): retried requests overwrite instead of duplicating.
 */
import type {Database, Statement} from 'bun:sqlite'

/** The file_stream file names with a meaning of their own. */
export const HISTORY = 'wandb-history.jsonl'
export const EVENTS = 'wandb-events.jsonl'
export const SUMMARY = 'wandb-summary.json'
export const OUTPUT = 'output.log'

/** Data access for `run_lines`. */
export class RunLineStore {
  private readonly put: Statement<unknown, [number, string, number, string]>
  private readonly count: Statement<{n: number | null}, [number, string]>
  private readonly allLines: Statement<{line: string}, [number, string]>
  private readonly tailLines: Statement<{line: string}, [number, string, number]>
  private readonly lastLine: Statement<{line: string}, [number, string]>
  private readonly files: Statement<{file: string}, [number]>

  constructor(private readonly db: Database) {
    this.put = db.query('INSERT OR REPLACE INTO run_lines (run_id, file, idx, line) VALUES (?, ?, ?, ?)')
    this.count = db.query('SELECT MAX(idx) + 1 AS n FROM run_lines WHERE run_id = ? AND file = ?')
    this.allLines = db.query('SELECT line FROM run_lines WHERE run_id = ? AND file = ? ORDER BY idx')
    this.tailLines = db.query('SELECT line FROM run_lines WHERE run_id = ? AND file = ? ORDER BY idx DESC LIMIT ?')
    this.lastLine = db.query('SELECT line FROM run_lines WHERE run_id = ? AND file = ? ORDER BY idx DESC LIMIT 1')
    this.files = db.query('SELECT DISTINCT file FROM run_lines WHERE run_id = ? ORDER BY file')
  }

  /** Sets lines [offset, offset + lines.length) of a file. Call inside a transaction for speed. */
  write(runId: number, file: string, offset: number, lines: string[]): void {
    for (let i = 0; i < lines.length; i++) this.put.run(runId, file, offset + i, lines[i])
  }

  /** Number of lines = highest written index + 1 (0 when empty); what `historyLineCount` reports. */
  lineCount(runId: number, file: string): number {
    return this.count.get(runId, file)?.n ?? 0
  }

  /** All lines of a file in index order (gaps skipped). */
  lines(runId: number, file: string): string[] {
    return this.allLines.all(runId, file).map((r) => r.line)
  }

  /** The last `n` lines in index order. */
  tail(runId: number, file: string, n: number): string[] {
    return this.tailLines
      .all(runId, file, n)
      .map((r) => r.line)
      .reverse()
  }

  /** The line with the highest index, or null. For the summary this is the current summary. */
  last(runId: number, file: string): string | null {
    return this.lastLine.get(runId, file)?.line ?? null
  }

  /** Deletes lines with index ≥ `from` (rewinding a run). */
  truncate(runId: number, file: string, from: number): void {
    this.db.query('DELETE FROM run_lines WHERE run_id = ? AND file = ? AND idx >= ?').run(runId, file, from)
  }

  /** The file names with at least one line. */
  fileNames(runId: number): string[] {
    return this.files.all(runId).map((r) => r.file)
  }
}

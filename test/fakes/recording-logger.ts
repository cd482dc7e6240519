/** A Logger for tests that keeps every line, with lookups by level and message prefix. */
import type {Attrs, Logger} from '../../src/core/observability/index.ts'

export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error'
  msg: string
  attrs?: Attrs
  /** The error of a captureError line. */
  err?: unknown
}

export class RecordingLogger implements Logger {
  readonly lines: LogLine[] = []

  debug(msg: string, attrs?: Attrs): void {
    this.lines.push({level: 'debug', msg, attrs})
  }
  info(msg: string, attrs?: Attrs): void {
    this.lines.push({level: 'info', msg, attrs})
  }
  warn(msg: string, attrs?: Attrs): void {
    this.lines.push({level: 'warn', msg, attrs})
  }
  error(msg: string, attrs?: Attrs): void {
    this.lines.push({level: 'error', msg, attrs})
  }
  captureError(msg: string, err: unknown, attrs?: Attrs): void {
    this.lines.push({level: 'error', msg, attrs, err})
  }
  with(): Logger {
    return this
  }

  /** The lines at `level` whose message starts with `prefix`. */
  find(level: LogLine['level'], prefix: string): LogLine[] {
    return this.lines.filter((l) => l.level === level && l.msg.startsWith(prefix))
  }

  /** Messages at `level`; a captured error is appended as `msg: error`. */
  at(level: LogLine['level']): string[] {
    return this.lines.filter((l) => l.level === level).map((l) => (l.err === undefined ? l.msg : `${l.msg}: ${String(l.err)}`))
  }
}

import type {FileStreamUpdate} from './file-stream.ts'

/** UTF-8 size of a string, which is what the server's size limits count. */
export function utf8Bytes(s: string): number {
  return Buffer.byteLength(s, 'utf8')
}

/**
 * Everything accepted and not yet put into a request: updates merge here while a request is in
 * flight or the transmit interval has not passed. Line limits are checked by the caller before
 * merging. Byte totals of history and events are kept up to date so the size check stays cheap.
 */
export class PendingData {
  history: string[] = []
  historyBytes = 0
  events: string[] = []
  eventsBytes = 0
  /** The summary line to send, if it changed since the last one sent. */
  summary: string | undefined
  /** Console lines by line number (this session's numbering); a later value replaces an earlier one. */
  readonly console = new Map<number, string>()
  readonly uploaded = new Set<string>()
  preempting = false
  complete = false
  exitCode = 0

  /** Merges an update whose lines were already checked against the line limits. */
  merge(u: FileStreamUpdate): void {
    for (const line of u.history ?? []) {
      this.history.push(line)
      this.historyBytes += utf8Bytes(line)
    }
    for (const line of u.events ?? []) {
      this.events.push(line)
      this.eventsBytes += utf8Bytes(line)
    }
    for (const run of u.console ?? []) {
      run.lines.forEach((line, i) => this.console.set(run.offset + i, line))
    }
    for (const name of u.uploaded ?? []) this.uploaded.add(name)
    if (u.preempting) this.preempting = true
  }

  /** Nothing to send (a heartbeat is not data). */
  get isEmpty(): boolean {
    return this.history.length === 0 && this.events.length === 0 && this.summary === undefined && this.console.size === 0 && this.uploaded.size === 0 && !this.preempting && !this.complete
  }

  /** Drops everything (after a fatal error). */
  clear(): void {
    this.history = []
    this.events = []
    this.historyBytes = this.eventsBytes = 0
    this.summary = undefined
    this.console.clear()
    this.uploaded.clear()
    this.preempting = this.complete = false
  }

  /** Line numbers of the first run of consecutive console lines, ascending. */
  firstConsoleRun(): number[] {
    if (this.console.size === 0) return []
    const keys = [...this.console.keys()].sort((a, b) => a - b)
    const run = [keys[0]]
    for (let i = 1; i < keys.length && keys[i] === keys[i - 1] + 1; i++) run.push(keys[i])
    return run
  }
}

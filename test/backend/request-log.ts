/**
 * The request log behind `GET /_inspect/requests`, and the list of GraphQL operations and fields
 * this backend did not understand (`GET /_inspect/unknown`). In memory only; bounded so a long
 * benchmark cannot exhaust memory (the oldest entries are dropped and counted).
 */

/** One handled request. `operation` is the GraphQL operation name (or root fields); null otherwise. */
export interface InspectRequest {
  method: string
  path: string
  operation: string | null
  status: number
  /** The fault action injected into this request ("status", "delay", "reset"), if any. */
  fault?: string
}

/** Something a client asked for that the backend answered with null or an error. */
export interface UnknownItem {
  kind: 'operation' | 'field'
  /** Root field name (kind operation) or "Type.field" (kind field). */
  name: string
  operation: string | null
  count: number
}

/** Entries kept before the oldest are dropped. */
export const MAX_LOG_ENTRIES = 500_000

/** Append-only request log plus unknown-operation tracking. Not persisted. */
export class RequestLog {
  private entries: InspectRequest[] = []
  private dropped = 0
  private readonly unknown = new Map<string, UnknownItem>()

  /** Appends an entry (dropping the oldest beyond MAX_LOG_ENTRIES). */
  add(entry: InspectRequest): void {
    this.entries.push(entry)
    if (this.entries.length > MAX_LOG_ENTRIES) {
      const excess = this.entries.length - MAX_LOG_ENTRIES
      this.entries.splice(0, excess)
      this.dropped += excess
    }
  }

  /** A copy of the entries in arrival order. */
  list(): InspectRequest[] {
    return this.entries.map((e) => ({...e}))
  }

  /** How many of the oldest entries were dropped to respect MAX_LOG_ENTRIES. */
  droppedCount(): number {
    return this.dropped
  }

  /**
   * Records an unknown root field or nested field (deduplicated, counted). Returns true the first
   * time this (kind, name, operation) is seen, so callers can report each one once.
   */
  noteUnknown(kind: UnknownItem['kind'], name: string, operation: string | null): boolean {
    const key = `${kind}\0${name}\0${operation}`
    const item = this.unknown.get(key)
    if (item) item.count++
    else this.unknown.set(key, {kind, name, operation, count: 1})
    return item === undefined
  }

  /** Unknown operations and fields, sorted by kind, name, operation. */
  unknowns(): UnknownItem[] {
    return [...this.unknown.values()].map((u) => ({...u})).sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name) || String(a.operation).localeCompare(String(b.operation)))
  }

  /** Forgets everything. */
  clear(): void {
    this.entries = []
    this.dropped = 0
    this.unknown.clear()
  }
}

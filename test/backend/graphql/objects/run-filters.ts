/**
 * The MongoDB-style `filters` (a JSONString) of `project.runs(filters: …)`, as far as the clients
 * here send them: `name` and `state` (and `sweep`, the sweep's name) as a value or `{"$in": […]}`,
 * combined with `$and` / `$or`. A key this backend does not know selects every run, as before
 * filters were read, and is reported through `onUnknown`.
 */
import {tryParseExtendedJson} from '../../extended-json.ts'
import type {RunRow} from '../../store/index.ts'

type Filter = Record<string, unknown>

const FIELDS: Record<string, (r: RunRow) => unknown> = {
  name: (r) => r.name,
  state: (r) => r.state,
  sweep: (r) => r.sweep_name,
}

/** The runs `filtersJson` selects; null/empty filters select all. */
export function filterRuns(rows: RunRow[], filtersJson: unknown, onUnknown: (key: string) => void = () => {}): RunRow[] {
  if (typeof filtersJson !== 'string' || filtersJson.trim() === '') return rows
  const filter = tryParseExtendedJson(filtersJson, null)
  if (filter === null || typeof filter !== 'object' || Array.isArray(filter)) return rows
  return rows.filter((r) => matches(r, filter as Filter, onUnknown))
}

function matches(r: RunRow, filter: Filter, onUnknown: (key: string) => void): boolean {
  for (const [key, want] of Object.entries(filter)) {
    if (key === '$and' && Array.isArray(want)) {
      if (!want.every((f) => matches(r, f as Filter, onUnknown))) return false
    } else if (key === '$or' && Array.isArray(want)) {
      if (!want.some((f) => matches(r, f as Filter, onUnknown))) return false
    } else if (key in FIELDS) {
      if (!matchesValue(FIELDS[key](r), want)) return false
    } else {
      onUnknown(key)
    }
  }
  return true
}

function matchesValue(have: unknown, want: unknown): boolean {
  if (want !== null && typeof want === 'object' && !Array.isArray(want) && '$in' in want) {
    const list = (want as {$in: unknown}).$in
    return Array.isArray(list) && list.includes(have)
  }
  return have === want
}

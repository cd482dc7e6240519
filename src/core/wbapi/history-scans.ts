import type {HistoryRow, ParquetHistoryItem} from '../proto.ts'
import {HISTORY_PAGE, SAMPLED_HISTORY_PAGE} from './graphql-documents.ts'
import {rawMembers} from './raw-json.ts'
import type {ApiFailure} from './responses.ts'
import type {SessionConnection} from './session-connection.ts'

const STEP = '_step'

/** What a scan reads: a run, and the keys every returned row must hold (none: whole rows). */
export interface HistoryScan {
  entity: string
  project: string
  runId: string
  keys: string[]
}

interface HistoryPageData {
  project?: {run?: {history?: string[] | null} | null} | null
}
interface SampledHistoryPageData {
  project?: {run?: {sampledHistory?: unknown[] | null} | null} | null
}

/**
 * The history scans of one session (Run.scan_history), by request id. Go core reads a run's
 * exported parquet files and asks the server only for rows not exported yet; nexus has no parquet
 * decoder, so it reads every page the way Go reads that live tail: HistoryPage for whole rows,
 * SampledHistoryPage when keys are given. Rows come back sorted by step; values are the server's
 * JSON text (a float _step becomes an integer).
 */
export class HistoryScans {
  readonly #ids: () => number
  readonly #scans = new Map<number, HistoryScan>()

  /** `ids` hands out request ids (shared with the session's history downloads). */
  constructor(ids: () => number) {
    this.#ids = ids
  }

  /** Registers a scan and returns its request id. `_step` is added to non-empty keys. */
  add(scan: HistoryScan): number {
    const keys = scan.keys.length > 0 && !scan.keys.includes(STEP) ? [STEP, ...scan.keys] : [...scan.keys]
    const id = this.#ids()
    this.#scans.set(id, {...scan, keys})
    return id
  }

  /** Forgets a scan; unknown ids are ignored. */
  remove(id: number): void {
    this.#scans.delete(id)
  }

  /** The rows with minStep <= step < maxStep; undefined for an unknown scan id. */
  async page(t: SessionConnection, id: number, minStep: bigint, maxStep: bigint, signal: AbortSignal): Promise<HistoryRow[] | ApiFailure | undefined> {
    const scan = this.#scans.get(id)
    if (!scan) return undefined
    if (maxStep <= minStep) return []
    const base = {entity: scan.entity, project: scan.project, run: scan.runId}
    const span = Number(maxStep - minStep)
    let rows: HistoryRow[] | string
    if (scan.keys.length === 0) {
      const variables = {...base, minStep: Number(minStep), maxStep: Number(maxStep), pageSize: span}
      const outcome = await t.gql.execute<HistoryPageData>({query: HISTORY_PAGE, operationName: 'HistoryPage', variables}, signal)
      if (!outcome.ok) return outcome.failure
      const run = outcome.data?.project?.run
      if (!run) return {message: `no history found for run ${scan.runId}`, httpStatus: 0}
      rows = wholeRows(run.history ?? [])
    } else {
      // sampledHistory's maxStep is inclusive
      const spec = JSON.stringify({keys: scan.keys, minStep: Number(minStep), maxStep: Number(maxStep) - 1, samples: span})
      const outcome = await t.gql.execute<SampledHistoryPageData>({query: SAMPLED_HISTORY_PAGE, operationName: 'SampledHistoryPage', variables: {...base, spec}}, signal)
      if (!outcome.ok) return outcome.failure
      const run = outcome.data?.project?.run
      if (!run) return {message: `no history found for run ${scan.runId}`, httpStatus: 0}
      rows = sampledRows(run.sampledHistory ?? [])
    }
    if (typeof rows === 'string') return {message: rows, httpStatus: 0}
    return rows.sort((a, b) => stepOf(a) - stepOf(b))
  }
}

/** Rows given as JSON object texts; values are kept as the server wrote them. */
function wholeRows(texts: string[]): HistoryRow[] | string {
  const rows: HistoryRow[] = []
  for (const text of texts) {
    let members: Array<[string, string]> | undefined
    try {
      members = rawMembers(text)
    } catch {
      members = undefined
    }
    if (!members) return 'failed to parse history row: not a JSON object'
    rows.push({history_items: members.map(([key, value]) => item(key, value))})
  }
  return rows
}

/** sampledHistory: one list of row objects per spec. */
function sampledRows(lists: unknown[]): HistoryRow[] | string {
  const rows: HistoryRow[] = []
  for (const list of lists) {
    if (!Array.isArray(list)) return `failed to parse history: unexpected ${typeof list}`
    for (const row of list) {
      if (row === null || typeof row !== 'object' || Array.isArray(row)) return 'failed to parse history item: not an object'
      rows.push({history_items: Object.entries(row).map(([key, value]) => item(key, JSON.stringify(value) ?? 'null'))})
    }
  }
  return rows
}

function item(key: string, valueJson: string): ParquetHistoryItem {
  if (key === STEP && /[.eE]/.test(valueJson) && Number.isFinite(Number(valueJson))) valueJson = String(Math.trunc(Number(valueJson)))
  return {key, value_json: valueJson}
}

function stepOf(row: HistoryRow): number {
  const step = row.history_items.find((i) => i.key === STEP)
  const n = step ? Number(step.value_json) : 0
  return Number.isFinite(n) ? n : 0
}

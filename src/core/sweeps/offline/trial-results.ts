/**
 * What an offline trial left: its run folder (`<wandb dir>/offline-run-<time>-<run id>/`), the
 * summary (files/wandb-summary.json) and, for the search and the early-termination policy, the
 * `_step` and sweep metric of each history row, read from the run's .wandb log (also while the
 * trial still runs: the log is written as it goes).
 */
import {readFileSync, readdirSync} from 'node:fs'
import {join} from 'node:path'
import {parseExtendedJson} from '../../json/index.ts'
import {Record as ProtoRecord} from '../../proto.ts'
import {historyItemValue} from '../../runstate/index.ts'
import {TransactionLogReader} from '../../txlog/index.ts'

/** The run folder of `runId` in `wandbDir` (the newest, when the id was resumed), or undefined. */
export function offlineRunDir(wandbDir: string, runId: string): string | undefined {
  let names: string[]
  try {
    names = readdirSync(wandbDir)
  } catch {
    return undefined
  }
  const mine = names.filter((n) => n.startsWith('offline-run-') && n.endsWith(`-${runId}`)).sort()
  return mine.length > 0 ? join(wandbDir, mine[mine.length - 1]) : undefined
}

/** The run's wandb-summary.json, or undefined when it has none (yet). */
export function readSummary(runDir: string): Record<string, unknown> | undefined {
  try {
    const value = parseExtendedJson(readFileSync(join(runDir, 'files', 'wandb-summary.json'), 'utf8'))
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

/**
 * Reads the history of one run's .wandb log incrementally: each `rows()` call continues where the
 * last one stopped, so polling a live trial costs only what it logged since.
 */
export class HistoryTail {
  readonly #file: string
  readonly #keys: ReadonlySet<string>
  #offset = 0
  readonly #rows: Record<string, unknown>[] = []

  /** `keys`: the history keys to keep besides `_step` (the sweep metric). */
  constructor(runDir: string, runId: string, keys: readonly string[]) {
    this.#file = join(runDir, `run-${runId}.wandb`)
    this.#keys = new Set(['_step', ...keys])
  }

  /** Every history row read so far, with only the kept keys (rows without any metric key are dropped). */
  rows(): Record<string, unknown>[] {
    let reader: TransactionLogReader
    try {
      reader = TransactionLogReader.open(this.#file)
    } catch {
      return this.#rows
    }
    try {
      if (this.#offset > 0) reader.seek(this.#offset)
      for (let next = reader.next(); next; next = reader.next()) {
        this.#offset = next.end
        const row = this.#row(next.data)
        if (row) this.#rows.push(row)
      }
    } finally {
      reader.close()
    }
    return this.#rows
  }

  #row(data: Uint8Array): Record<string, unknown> | undefined {
    let record: ProtoRecord
    try {
      record = ProtoRecord.fromBinary(data)
    } catch {
      return undefined
    }
    if (record.record_type.oneofKind !== 'history') return undefined
    const history = record.record_type.history
    const row: Record<string, unknown> = {}
    for (const item of history.item) {
      const key = item.nested_key.length > 0 ? item.nested_key.join('.') : item.key
      if (!this.#keys.has(key)) continue
      try {
        row[key] = historyItemValue(item)
      } catch {
        // an undecodable value is not a metric
      }
    }
    if (row._step === undefined && history.step) row._step = Number(history.step.num)
    return Object.keys(row).some((k) => k !== '_step') ? row : undefined
  }
}

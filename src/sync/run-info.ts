import {Record} from '../core/proto.ts'
import {TransactionLogReader} from '../core/txlog/index.ts'

/** What a .wandb file says about its run, read from its first run record. */
export interface RunInfo {
  entity: string
  project: string
  runId: string
  /** Milliseconds since the epoch (0 if unknown). */
  startTimeMs: number
}

/** Reads up to the first run record; undefined for a file without one (or unreadable). */
export function readRunInfo(file: string): RunInfo | undefined {
  let reader: TransactionLogReader
  try {
    reader = TransactionLogReader.open(file)
  } catch {
    return undefined
  }
  try {
    for (let next = reader.next(); next; next = reader.next()) {
      let record: Record
      try {
        record = Record.fromBinary(next.data)
      } catch {
        continue
      }
      if (record.record_type.oneofKind !== 'run') continue
      const run = record.record_type.run
      const start = run.start_time ? Number(run.start_time.seconds) * 1000 + Math.floor(run.start_time.nanos / 1e6) : 0
      return {entity: run.entity, project: run.project, runId: run.run_id, startTimeMs: start}
    }
    return undefined
  } finally {
    reader.close()
  }
}

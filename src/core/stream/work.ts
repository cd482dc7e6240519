import type {Record} from '../proto.ts'
import type {Responder} from '../server/index.ts'

/**
 * One item travelling through a run's pipeline: a record, and the way to answer it when the SDK
 * is waiting (records from the transaction log, the monitor or the handler itself carry none).
 */
export interface Work {
  record: Record
  responder?: Responder
  /**
   * Set by the writer once the record is in the transaction log: the file offset of its first
   * chunk (`logOffset`) and where the next record may start (`logEnd`). Flow control may drop such
   * work from memory and read the record back from the log later.
   */
  logOffset?: number
  logEnd?: number
}

/** Where a stage puts its output: a Channel, or flow control. `send` resolves false after close. */
export interface WorkSink {
  send(work: Work): Promise<boolean>
  /** Idempotent; what was sent before is still delivered. */
  close(): void
}

/** The oneof case of a record ('history', 'request', …). */
export type RecordKind = NonNullable<Record['record_type']['oneofKind']>

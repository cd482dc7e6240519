import type {Record} from '../proto.ts'
import type {Responder} from '../server/index.ts'

/**
 * One item travelling through a run's pipeline: a record, and the way to answer it when the SDK
 * is waiting (records from the transaction log, the monitor or the handler itself carry none).
 */
export interface Work {
  record: Record
  responder?: Responder
}

/** The oneof case of a record ('history', 'request', …). */
export type RecordKind = NonNullable<Record['record_type']['oneofKind']>

import {Record, StatsRecord, StatsRecord_StatsType, Timestamp} from '../core/proto.ts'
import type {Metrics} from './resource.ts'

/** A protobuf Timestamp for `ms` milliseconds since the epoch (microsecond precision, like Go). */
export function timestampFromMs(ms: number): Timestamp {
  const micros = Math.round(ms * 1000)
  const seconds = Math.floor(micros / 1e6)
  return Timestamp.create({seconds: BigInt(seconds), nanos: (micros - seconds * 1e6) * 1000})
}

/** A Timestamp for `s` seconds since the epoch, truncated to microseconds as Go's `time.UnixMicro(int64(s * 1e6))`. */
export function timestampFromSeconds(s: number): Timestamp {
  const micros = Math.trunc(s * 1e6)
  const seconds = Math.floor(micros / 1e6)
  return Timestamp.create({seconds: BigInt(seconds), nanos: (micros - seconds * 1e6) * 1000})
}

/** The metric key as it is reported: `key/l:label` when the run has an `x_label`. */
export function labelledKey(key: string, label: string): string {
  return label === '' ? key : `${key}/l:${label}`
}

/**
 * The stats Record for one resource's sample: `StatsRecord{stats_type: SYSTEM, timestamp, item}`
 * with one `{key, value_json}` per finite value, keys labelled with `label`. Non-finite values are
 * left out (they have no JSON form). Returns undefined when no item remains.
 *
 * The 0.31 protocol has no `Control.always_send` (field 5 is reserved), so the record carries no
 * control; the stream delivers stats records to the sender in offline mode as well.
 */
export function statsRecord(metrics: Metrics, atMs: number, label: string): Record | undefined {
  const item: {key: string; value_json: string}[] = []
  for (const [key, value] of metrics) {
    if (!Number.isFinite(value)) continue
    item.push({key: labelledKey(key, label), value_json: JSON.stringify(value)})
  }
  if (item.length === 0) return undefined
  const stats = StatsRecord.create({stats_type: StatsRecord_StatsType.SYSTEM, timestamp: timestampFromMs(atMs), item})
  return Record.create({record_type: {oneofKind: 'stats', stats}})
}

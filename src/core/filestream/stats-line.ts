import {parseExtendedJson, stringifyExtendedJson} from '../json/index.ts'
import {nullLogger, type Logger} from '../observability/index.ts'
import type {StatsRecord} from '../proto.ts'

/**
 * The wandb-events.jsonl line for one system-metrics sample:
 * `{"_wandb": true, "_timestamp": <unix s>, "_runtime": <s since run start>, "system.<key>": value, …}`.
 * Item values are extended JSON; an item that does not parse is left out (and logged). When the
 * record has no timestamp, `nowMs` stands in for it. Pure apart from the log line.
 */
export function eventsLineFromStats(record: StatsRecord, runStartMs: number, opts: {logger?: Logger; nowMs?: number} = {}): string {
  const ts = record.timestamp
  const timestampS = ts ? Number(ts.seconds) + ts.nanos / 1e9 : (opts.nowMs ?? Date.now()) / 1000
  const row: Record<string, unknown> = {_wandb: true, _timestamp: timestampS, _runtime: timestampS - runStartMs / 1000}
  for (const item of record.item) {
    try {
      row[`system.${item.key}`] = parseExtendedJson(item.value_json)
    } catch (err) {
      ;(opts.logger ?? nullLogger).captureError('filestream: bad system metric value', err, {key: item.key})
    }
  }
  return stringifyExtendedJson(row)
}

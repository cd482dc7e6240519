/** Shared by the stream tests: a recording logger, temporary directories, records, a gated consumer. */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {HistoryItem, HistoryRecord, Record, Request} from '../../../src/core/proto.ts'
import type {Work} from '../../../src/core/stream/index.ts'

export {RecordingLogger, type LogLine} from '../../fakes/recording-logger.ts'

/** A fresh directory under the OS temp dir; dispose() deletes it. */
export function tempDir(): {path: string; dispose(): void} {
  const path = mkdtempSync(join(tmpdir(), 'nexus-stream-'))
  return {path, dispose: () => rmSync(path, {recursive: true, force: true})}
}

/** A history record for step `i` with `pad` bytes of payload. */
export function historyRecord(i: number, pad = 80): Record {
  return Record.create({
    record_type: {
      oneofKind: 'history',
      history: HistoryRecord.create({
        item: [HistoryItem.create({key: 'i', value_json: String(i)}), HistoryItem.create({key: 'pad', value_json: JSON.stringify('x'.repeat(pad))})],
        step: {num: BigInt(i)},
      }),
    },
  })
}

/** A request record (never written to the log). */
export function requestRecord(): Record {
  return Record.create({record_type: {oneofKind: 'request', request: Request.create({request_type: {oneofKind: 'keepalive', keepalive: {}}})}})
}

/** Collects everything `source` yields, starting only once `gate` resolves (a blocked sender). */
export async function collect(source: AsyncIterable<Work>, gate: Promise<void> = Promise.resolve()): Promise<Work[]> {
  await gate
  const out: Work[] = []
  for await (const w of source) out.push(w)
  return out
}

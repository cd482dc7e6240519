import {Record} from '../core/proto.ts'
import {TransactionLogReader, type Damage} from '../core/txlog/index.ts'

export interface ViewedFile {
  file: string
  records: number
  damage: Damage[]
  truncated: {offset: number; bytes: number} | null
}

const bigintSafe = (_k: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)

/**
 * Prints the records of a .wandb file: one JSON object per line with `json`, else one readable
 * line each (`@offset #num kind {…}`), plus a line for each damaged range. Never throws on damaged
 * data; a file that is not a .wandb log throws (ProtocolError).
 */
export function viewRecords(file: string, o: {json: boolean; print: (line: string) => void}): ViewedFile {
  const reader = TransactionLogReader.open(file)
  let records = 0
  try {
    for (let next = reader.next(); next; next = reader.next()) {
      records++
      let record: Record
      try {
        record = Record.fromBinary(next.data)
      } catch (err) {
        o.print(o.json ? JSON.stringify({offset: next.offset, error: `undecodable record: ${(err as Error).message}`}) : `@${next.offset} <undecodable record: ${(err as Error).message}>`)
        continue
      }
      const json = Record.toJson(record, {useProtoFieldName: true}) as {[k: string]: unknown}
      if (o.json) {
        o.print(JSON.stringify({offset: next.offset, record: json}, bigintSafe))
        continue
      }
      const kind = record.record_type.oneofKind ?? 'empty'
      const body = json[kind] ?? {}
      o.print(`@${next.offset} #${record.num} ${kind} ${JSON.stringify(body, bigintSafe)}`)
    }
    for (const d of reader.damage) o.print(o.json ? JSON.stringify({damage: d}) : `damaged: ${d.bytes} bytes at offset ${d.offset} (${d.reason})`)
    const tail = reader.truncatedTail
    if (tail) o.print(o.json ? JSON.stringify({truncated: tail}) : `truncated: the last ${tail.bytes} bytes (from offset ${tail.offset}) are an incomplete record`)
    return {file, records, damage: [...reader.damage], truncated: tail}
  } finally {
    reader.close()
  }
}

/**
 * Read throughput of the transaction-log reader on a large file (not a test: numbers vary by machine).
 *
 *   bun bench/txlog-read.ts [SIZE_MB=128]
 *
 * Writes a .wandb file of realistic history records (about 600 B each, like a 20-metric
 * run.log row), then reads it three ways: records only (framing + CRC), records + protobuf decode,
 * and the raw file read for reference. Prints MB/s and records/s.
 */
import {mkdtempSync, readFileSync, rmSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {HistoryItem, HistoryRecord, Record as PbRecord} from '../src/core/proto.ts'
import {TransactionLogReader, TransactionLogWriter} from '../src/core/txlog/index.ts'

const sizeMb = Number(process.argv[2] ?? 128)
const dir = mkdtempSync(join(tmpdir(), 'txlog-bench-'))
const path = join(dir, 'big.wandb')

function historyRecord(step: number): Uint8Array {
  const item: HistoryItem[] = []
  for (let k = 0; k < 20; k++) {
    item.push(HistoryItem.create({key: '', nested_key: [`metric_${k}`], value_json: String(Math.sin(step + k))}))
  }
  item.push(HistoryItem.create({nested_key: ['_step'], value_json: String(step)}))
  item.push(HistoryItem.create({nested_key: ['_runtime'], value_json: String(step * 0.01)}))
  return PbRecord.toBinary(PbRecord.create({num: BigInt(step + 1), record_type: {oneofKind: 'history', history: HistoryRecord.create({item, step: {num: BigInt(step)}})}}))
}

const w = TransactionLogWriter.open(path)
let step = 0
const t0 = performance.now()
while (w.size < sizeMb * 1024 * 1024) w.write(historyRecord(step++))
w.close()
const writeS = (performance.now() - t0) / 1000
const bytes = statSync(path).size
const mb = bytes / 1024 / 1024

function time(label: string, fn: () => number): void {
  const t = performance.now()
  const n = fn()
  const s = (performance.now() - t) / 1000
  console.log(`${label.padEnd(34)} ${(mb / s).toFixed(0).padStart(6)} MB/s  ${(n / s / 1000).toFixed(0).padStart(6)} k records/s  (${s.toFixed(2)} s)`)
}

console.log(`file: ${mb.toFixed(1)} MB, ${step} records (avg ${(bytes / step).toFixed(0)} B); written in ${writeS.toFixed(2)} s (${(mb / writeS).toFixed(0)} MB/s incl. encoding)`)
time('raw readFileSync (reference)', () => readFileSync(path).length / 600)
time('reader: framing + CRC', () => {
  const r = TransactionLogReader.open(path)
  let n = 0
  while (r.next()) n++
  r.close()
  return n
})
time('reader + Record.fromBinary', () => {
  const r = TransactionLogReader.open(path)
  let n = 0
  for (let rec = r.next(); rec; rec = r.next()) {
    PbRecord.fromBinary(rec.data)
    n++
  }
  r.close()
  return n
})
rmSync(dir, {recursive: true, force: true})

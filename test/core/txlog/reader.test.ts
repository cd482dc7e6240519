import {afterEach, beforeEach, describe, expect, test} from 'bun:test'
import {appendFileSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {BLOCK_SIZE, TransactionLogReader, TransactionLogWriter} from '../../../src/core/txlog/index.ts'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'txlog-'))
})
afterEach(() => rmSync(dir, {recursive: true, force: true}))

const bytes = (n: number, seed = 1) => Uint8Array.from({length: n}, (_, i) => (i * 13 + seed) & 0xff)

function writeLog(path: string, records: Uint8Array[]): number[] {
  const w = TransactionLogWriter.open(path)
  const offsets: number[] = []
  for (const r of records) {
    w.write(r)
    offsets.push(w.lastRecordOffset)
  }
  w.close()
  return offsets
}

describe('transaction log reader', () => {
  test('rejects a file without the W&B header', () => {
    const path = join(dir, 'bad.wandb')
    writeFileSync(path, 'not a log at all')
    expect(() => TransactionLogReader.open(path)).toThrow(/not a .wandb transaction log/)
  })

  test('reports record offsets and ends usable as resume cursors', () => {
    const path = join(dir, 'a.wandb')
    const records = [bytes(10), bytes(40_000, 2), bytes(5, 3)]
    const offsets = writeLog(path, records)
    const r = TransactionLogReader.open(path)
    const first = r.next()!
    const second = r.next()!
    expect([first.offset, second.offset]).toEqual(offsets.slice(0, 2))
    expect(first.end).toBe(second.offset)
    r.close()
    const again = TransactionLogReader.open(path)
    again.seek(second.end)
    expect(again.next()?.data).toEqual(records[2])
    expect(again.next()).toBeNull()
    again.close()
  })

  test('a truncated tail is the end of the data, reported with its offset and size', () => {
    const path = join(dir, 'a.wandb')
    const records = [bytes(100), bytes(50_000, 2)]
    const offsets = writeLog(path, records)
    const size = readFileSync(path).length
    truncateSync(path, size - 10)
    const r = TransactionLogReader.open(path)
    expect(r.next()?.data).toEqual(records[0])
    expect(r.next()).toBeNull()
    expect(r.truncatedTail).toEqual({offset: offsets[1], bytes: size - 10 - offsets[1]})
    expect(r.damage).toEqual([])
    r.close()
  })

  test('a flipped byte loses only the records of that block and is reported as damage', () => {
    const path = join(dir, 'a.wandb')
    // ~100 records of 1000 bytes: about 3 per... 32 per block
    const records = Array.from({length: 100}, (_, i) => bytes(1000, i))
    const offsets = writeLog(path, records)
    const f = readFileSync(path)
    const hit = offsets[40] + 500 // inside record 40, in block 1
    f[hit] ^= 0xff
    writeFileSync(path, f)
    const r = TransactionLogReader.open(path)
    const got: number[] = []
    for (let rec = r.next(); rec; rec = r.next()) got.push(records.findIndex((x) => Buffer.from(x).equals(Buffer.from(rec!.data))))
    r.close()
    const block = Math.floor(hit / BLOCK_SIZE)
    // every record that lies outside the damaged block is still there, in order
    const outside = offsets
      .map((o, i) => ({i, first: Math.floor(o / BLOCK_SIZE), last: Math.floor((o + 1006) / BLOCK_SIZE)}))
      .filter((x) => x.first !== block && x.last !== block)
      .map((x) => x.i)
    for (const i of outside) expect(got).toContain(i)
    expect(got).not.toContain(40)
    expect([...got].sort((a, b) => a - b)).toEqual(got)
    expect(r.damage.length).toBe(1)
    expect(r.damage[0].offset).toBeLessThanOrEqual(hit)
    expect(r.damage[0].offset + r.damage[0].bytes).toBeGreaterThan(hit)
    expect(r.damage[0].reason).toBe('checksum mismatch')
  })

  test('follows a file that is still being written, retrying an incomplete record', () => {
    const path = join(dir, 'live.wandb')
    const w = TransactionLogWriter.open(path)
    const r = TransactionLogReader.open(path)
    expect(r.next()).toBeNull()
    const big = bytes(70_000, 5)
    w.write(bytes(20))
    w.write(big)
    w.flush()
    // cut the file in the middle of the big record, as a reader racing a writer would see it
    const full = readFileSync(path)
    const partial = full.subarray(0, 40_000)
    const copy = join(dir, 'copy.wandb')
    writeFileSync(copy, partial)
    const follower = TransactionLogReader.open(copy)
    expect(follower.next()?.data).toEqual(bytes(20))
    expect(follower.next()).toBeNull()
    expect(follower.truncatedTail).not.toBeNull()
    appendFileSync(copy, full.subarray(40_000))
    expect(follower.next()?.data).toEqual(big)
    expect(follower.next()).toBeNull()
    expect(follower.truncatedTail).toBeNull()
    follower.close()
    r.close()
    w.close()
  })

  test('garbage after the header never throws, it is damage', () => {
    const path = join(dir, 'garbage.wandb')
    const junk = Uint8Array.from({length: 100_000}, (_, i) => (i * 7919) % 251)
    writeFileSync(path, Buffer.concat([Buffer.from([0x3a, 0x57, 0x26, 0x42, 0xe1, 0xbe, 0x00]), Buffer.from(junk)]))
    const r = TransactionLogReader.open(path)
    let n = 0
    while (r.next()) n++
    expect(n).toBe(0)
    const damaged = r.damage.reduce((s, d) => s + d.bytes, 0) + (r.truncatedTail?.bytes ?? 0)
    expect(damaged).toBeGreaterThan(90_000)
    r.close()
  })
})

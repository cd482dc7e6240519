import {afterEach, beforeEach, describe, expect, test} from 'bun:test'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {crc32} from 'node:zlib'
import {BLOCK_SIZE, HEADER, TransactionLogReader, TransactionLogWriter} from '../../../src/core/txlog/index.ts'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'txlog-'))
})
afterEach(() => rmSync(dir, {recursive: true, force: true}))

const bytes = (n: number, seed = 1) => Uint8Array.from({length: n}, (_, i) => (i * 31 + seed) & 0xff)

function readAll(path: string): Uint8Array[] {
  const r = TransactionLogReader.open(path)
  const out: Uint8Array[] = []
  for (let rec = r.next(); rec; rec = r.next()) out.push(rec.data)
  r.close()
  return out
}

describe('transaction log writer', () => {
  test('a new log is exactly the 7-byte W&B header', () => {
    const path = join(dir, 'a.wandb')
    TransactionLogWriter.open(path).close()
    expect([...readFileSync(path)]).toEqual([0x3a, 0x57, 0x26, 0x42, 0xe1, 0xbe, 0x00])
    expect([...HEADER]).toEqual([...readFileSync(path)])
  })

  test('the header is on disk before any record is written', () => {
    const path = join(dir, 'a.wandb')
    const w = TransactionLogWriter.open(path)
    expect(readFileSync(path).length).toBe(7)
    w.close()
  })

  test('opening an existing file fails instead of overwriting it', () => {
    const path = join(dir, 'a.wandb')
    writeFileSync(path, 'keep me')
    expect(() => TransactionLogWriter.open(path)).toThrow(/cannot create/)
    expect(readFileSync(path, 'utf8')).toBe('keep me')
  })

  test('chunks follow the worked example: FULL at 7, FIRST up to the block end, LAST in block 1', () => {
    const path = join(dir, 'a.wandb')
    const w = TransactionLogWriter.open(path)
    const small = bytes(5)
    const big = bytes(40000, 7)
    w.write(small)
    w.write(big)
    w.close()
    const f = readFileSync(path)
    const view = new DataView(f.buffer, f.byteOffset, f.byteLength)
    // FULL chunk of the 5-byte record at offset 7; crc = zlib.crc32(type byte + payload)
    expect(view.getUint16(7 + 4, true)).toBe(5)
    expect(f[7 + 6]).toBe(1)
    expect(view.getUint32(7, true)).toBe(crc32(Buffer.concat([Buffer.of(1), Buffer.from(small)])))
    // FIRST chunk at 19, filling block 0 exactly
    expect(view.getUint16(19 + 4, true)).toBe(32742)
    expect(f[19 + 6]).toBe(2)
    expect(19 + 7 + 32742).toBe(BLOCK_SIZE)
    // LAST chunk at 32768 with the remaining 7258 bytes
    expect(view.getUint16(BLOCK_SIZE + 4, true)).toBe(7258)
    expect(f[BLOCK_SIZE + 6]).toBe(4)
    expect(f.length).toBe(BLOCK_SIZE + 7 + 7258) // the last block is not padded
  })

  test('a record starting with exactly 7 bytes left in the block gets a zero-length FIRST chunk', () => {
    const path = join(dir, 'a.wandb')
    const w = TransactionLogWriter.open(path)
    // header 7 + chunk header 7 + payload = BLOCK_SIZE - 7  →  7 bytes left
    w.write(bytes(BLOCK_SIZE - 7 - 7 - 7))
    expect(w.size).toBe(BLOCK_SIZE - 7)
    w.write(bytes(100, 3))
    w.close()
    const f = readFileSync(path)
    const at = BLOCK_SIZE - 7
    expect(f[at + 6]).toBe(2) // FIRST
    expect(f[at + 4] | (f[at + 5] << 8)).toBe(0)
    expect(f[BLOCK_SIZE + 6]).toBe(4) // LAST with the whole payload
    expect(readAll(path).map((r) => r.length)).toEqual([BLOCK_SIZE - 21, 100])
  })

  test('fewer than 7 bytes left in a block are zero-filled and the record starts in the next block', () => {
    const path = join(dir, 'a.wandb')
    const w = TransactionLogWriter.open(path)
    w.write(bytes(BLOCK_SIZE - 7 - 7 - 3)) // 3 bytes left
    w.write(bytes(10, 9))
    expect(w.lastRecordOffset).toBe(BLOCK_SIZE)
    w.close()
    const f = readFileSync(path)
    expect([...f.subarray(BLOCK_SIZE - 3, BLOCK_SIZE)]).toEqual([0, 0, 0])
    expect(f[BLOCK_SIZE + 6]).toBe(1)
    expect(readAll(path)[1]).toEqual(bytes(10, 9))
  })

  test('records of every size round-trip through writer and reader', () => {
    const path = join(dir, 'a.wandb')
    const w = TransactionLogWriter.open(path)
    const sizes = [0, 1, 6, 7, 8, 100, 32754, 32755, 32761, 32768, 65536, 100_000, 300_000, 3]
    const written = sizes.map((n, i) => bytes(n, i))
    for (const r of written) w.write(r)
    w.close()
    expect(readAll(path)).toEqual(written)
  })

  test('write after close throws', () => {
    const w = TransactionLogWriter.open(join(dir, 'a.wandb'))
    w.close()
    w.close() // idempotent
    expect(() => w.write(bytes(1))).toThrow('txlog: write after close')
  })

  test('flush makes buffered records visible to a reader of the same file', () => {
    const path = join(dir, 'a.wandb')
    const w = TransactionLogWriter.open(path)
    w.write(bytes(10))
    const r = TransactionLogReader.open(path)
    expect(r.next()).toBeNull()
    w.flush()
    expect(r.next()?.data).toEqual(bytes(10))
    r.close()
    w.close()
  })
})

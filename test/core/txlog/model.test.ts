/**
 * Model-based test of the transaction log (after Vector's disk buffer model tests): seeded random
 * sequences of writes, byte corruptions and truncations are applied to real files, and what the
 * reader returns is checked against a plain array model of what was written.
 */
import {afterAll, beforeAll, expect, test} from 'bun:test'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {BLOCK_SIZE, TransactionLogReader, TransactionLogWriter} from '../../../src/core/txlog/index.ts'
import {seededRandom} from '../../helpers/seeded-random.ts'

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'txlog-model-'))
})
afterAll(() => rmSync(dir, {recursive: true, force: true}))

interface Written {
  data: Uint8Array
  offset: number
  end: number
}

function randomSize(r: () => number): number {
  const k = r()
  if (k < 0.4) return Math.floor(r() * 200)
  if (k < 0.7) return Math.floor(r() * 5000)
  if (k < 0.85) return BLOCK_SIZE - 30 + Math.floor(r() * 60) // around the block payload size
  if (k < 0.95) return Math.floor(r() * 80_000)
  return Math.floor(r() * 8) // tiny, incl. empty records
}

function runScenario(seed: number): void {
  const r = seededRandom(seed)
  const path = join(dir, `s${seed}.wandb`)
  const w = TransactionLogWriter.open(path)
  const model: Written[] = []
  const count = 1 + Math.floor(r() * 60)
  for (let i = 0; i < count; i++) {
    const data = Uint8Array.from({length: randomSize(r)}, () => Math.floor(r() * 256))
    w.write(data)
    model.push({data, offset: w.lastRecordOffset, end: w.size})
  }
  w.close()

  const file = readFileSync(path)
  // Corruptions: flip bytes anywhere after the header.
  const flips = new Set<number>()
  const nFlips = r() < 0.3 ? 0 : Math.floor(r() * 4)
  for (let i = 0; i < nFlips && file.length > 8; i++) {
    const at = 7 + Math.floor(r() * (file.length - 7))
    file[at] ^= 1 + Math.floor(r() * 255)
    flips.add(at)
  }
  // Truncation: cut the file somewhere (or not).
  const cut = r() < 0.4 ? 7 + Math.floor(r() * (file.length - 6)) : file.length
  writeFileSync(path, file.subarray(0, cut))

  const reader = TransactionLogReader.open(path)
  const got: {offset: number; data: Uint8Array}[] = []
  for (;;) {
    const rec = reader.next() // must never throw on damaged data
    if (!rec) break
    got.push({offset: rec.offset, data: rec.data})
  }
  reader.close()

  const ctx = `seed ${seed}`
  // 1. Everything returned was written, byte for byte, at the same offset, in order.
  let j = 0
  for (const g of got) {
    while (j < model.length && model[j].offset !== g.offset) j++
    expect(j < model.length, `${ctx}: record at ${g.offset} was never written`).toBe(true)
    expect(Buffer.from(g.data).equals(Buffer.from(model[j].data)), `${ctx}: record at ${g.offset} differs`).toBe(true)
    j++
  }
  // 2. A record whose blocks hold no corrupted byte and which lies before the cut is returned.
  const badBlocks = new Set([...flips].filter((f) => f < cut).map((f) => Math.floor(f / BLOCK_SIZE)))
  const gotOffsets = new Set(got.map((g) => g.offset))
  for (const m of model) {
    if (m.end > cut) continue
    const first = Math.floor(m.offset / BLOCK_SIZE)
    const last = Math.floor((m.end - 1) / BLOCK_SIZE)
    let clean = true
    for (let b = first; b <= last; b++) if (badBlocks.has(b)) clean = false
    if (clean) expect(gotOffsets.has(m.offset), `${ctx}: intact record at ${m.offset} was lost`).toBe(true)
  }
  // 3. Every corrupted byte inside a record (not in block padding) is reported: damage or tail.
  const reported = [...reader.damage]
  if (reader.truncatedTail) reported.push({...reader.truncatedTail, reason: 'tail'})
  for (const f of flips) {
    if (f >= cut) continue
    const inRecord = model.some((m) => f >= m.offset && f < m.end)
    if (!inRecord) continue
    const covered = reported.some((d) => f >= d.offset && f < d.offset + d.bytes)
    expect(covered, `${ctx}: corruption at ${f} not reported (${JSON.stringify(reported)})`).toBe(true)
  }
  // 4. Without damage, the tail is reported exactly when the cut fell inside a record.
  if (flips.size === 0) {
    const cutInside = model.find((m) => m.offset < cut && m.end > cut)
    expect(reader.truncatedTail?.offset, ctx).toBe(cutInside?.offset)
    expect(got.length, ctx).toBe(model.filter((m) => m.end <= cut).length)
  }
}

test('random writes, corruptions and truncations agree with the array model (300 seeds)', () => {
  for (let seed = 1; seed <= 300; seed++) runScenario(seed)
})

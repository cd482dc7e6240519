/**
 * FlowControl between a real Writer / TransactionLogWriter and a fake sender whose pace the test
 * controls: memory stays within the budget, the sender sees exactly the written sequence, work
 * that must stay in memory does, and unreadable log spans are reported and skipped.
 */
import {afterEach, beforeEach, describe, expect, test} from 'bun:test'
import {openSync, rmSync, writeSync} from 'node:fs'
import {join} from 'node:path'
import {Record} from '../../../src/core/proto.ts'
import {encodeMessage} from '../../../src/core/proto-writer.ts'
import {Channel, Deferred} from '../../../src/core/runtime/index.ts'
import {CapturingResponder} from '../../../src/core/server/index.ts'
import {FlowControl, Writer, type Work, type WorkSink} from '../../../src/core/stream/index.ts'
import {BLOCK_SIZE, TransactionLogReader, TransactionLogWriter} from '../../../src/core/txlog/index.ts'
import {collect, historyRecord, RecordingLogger, requestRecord, tempDir} from './helpers.ts'

let dir: ReturnType<typeof tempDir>
let logPath: string
let logger: RecordingLogger
beforeEach(() => {
  dir = tempDir()
  logPath = join(dir.path, 'run.wandb')
  logger = new RecordingLogger()
})
afterEach(() => dir.dispose())

const bytesOf = (r: Record) => encodeMessage(Record, r)
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')

/** Every record in the log file, as bytes, in file order. */
function logContents(path: string): string[] {
  using reader = TransactionLogReader.open(path)
  const out: string[] = []
  for (let r = reader.next(); r; r = reader.next()) out.push(hex(r.data))
  return out
}

/** A sink that remembers the largest in-memory footprint flow control reported after each send. */
function measuring(fc: FlowControl): WorkSink & {maxBytes: number; maxItems: number} {
  const sink = {
    maxBytes: 0,
    maxItems: 0,
    async send(work: Work) {
      const queued = await fc.send(work)
      sink.maxBytes = Math.max(sink.maxBytes, fc.stats.inMemoryBytes)
      sink.maxItems = Math.max(sink.maxItems, fc.stats.inMemoryItems)
      return queued
    },
    close: () => fc.close(),
  }
  return sink
}

/** Runs `works` through a real Writer into `sink`; resolves once the writer closed the log and the sink. */
async function writeAll(log: TransactionLogWriter | undefined, works: Work[], sink: WorkSink): Promise<void> {
  const input = new Channel<Work>(8)
  const writer = new Writer({log, offline: false, flushIntervalMs: 0, logger})
  const done = writer.run(input, sink)
  for (const w of works) await input.send(w)
  input.close()
  await done
}

/** What Writer does for one record, done by hand so a test can interleave sends and reads. */
function persist(log: TransactionLogWriter, num: number, record: Record): Work {
  record.num = BigInt(num)
  log.write(bytesOf(record))
  return {record, logOffset: log.lastRecordOffset, logEnd: log.size}
}

describe('FlowControl with a blocked sender', () => {
  test('keeps memory within the budget, then delivers every record in written order, byte for byte', async () => {
    const N = 2000
    const limit = 4096
    const log = TransactionLogWriter.open(logPath)
    const fc = new FlowControl({log, memoryLimitBytes: limit, logger})
    const sink = measuring(fc)
    const gate = new Deferred<void>()
    const received = collect(fc, gate.promise)
    await writeAll(
      log,
      Array.from({length: N}, (_, i) => ({record: historyRecord(i)})),
      sink,
    )

    // all N records went through while the sender took nothing
    expect(sink.maxBytes).toBeLessThanOrEqual(limit)
    const held = fc.stats
    expect(held.inMemoryBytes).toBeLessThanOrEqual(limit)
    expect(held.offloadedSpans).toBe(1) // one contiguous span, whatever its length
    expect(held.inMemoryItems + held.offloadedRecords).toBe(N)
    expect(held.offloadedRecords).toBeGreaterThan(N - 50)

    gate.resolve()
    const got = await received
    expect(got.map((w) => hex(bytesOf(w.record)))).toEqual(logContents(logPath))
    expect(got.map((w) => Number(w.record.num))).toEqual(Array.from({length: N}, (_, i) => i + 1))
    expect(fc.stats).toEqual({inMemoryItems: 0, inMemoryBytes: 0, offloadedSpans: 0, offloadedRecords: 0, offloading: true})
    expect(logger.find('error', '')).toEqual([])
    expect(logger.find('info', 'flowcontrol: backed up')).toHaveLength(1)
  })

  test('never offloads requests or records with responders, and they keep their responders', async () => {
    const log = TransactionLogWriter.open(logPath)
    const fc = new FlowControl({log, memoryLimitBytes: 1024, logger})
    const works: Work[] = []
    for (let i = 0; i < 300; i++) {
      if (i % 50 === 25) works.push({record: requestRecord(), responder: new CapturingResponder()})
      else if (i % 50 === 40) works.push({record: historyRecord(i), responder: new CapturingResponder()})
      else if (i % 50 === 45) works.push({record: requestRecord()})
      else works.push({record: historyRecord(i)})
    }
    const mustStay = works.filter((w) => w.responder || w.record.record_type.oneofKind === 'request')
    const expected = works.map((w) => (w.record.record_type.oneofKind === 'request' ? 'request' : `h${w.record.record_type.oneofKind === 'history' ? w.record.record_type.history.step?.num : ''}`))
    const gate = new Deferred<void>()
    const received = collect(fc, gate.promise)
    await writeAll(log, works, fc)

    const held = fc.stats
    expect(held.offloadedRecords).toBeGreaterThan(200)
    // each in-memory item between offloaded records starts a new span
    expect(held.offloadedSpans).toBeGreaterThan(1)
    expect(held.inMemoryItems).toBeGreaterThanOrEqual(mustStay.length)

    gate.resolve()
    const got = await received
    expect(got.map((w) => (w.record.record_type.oneofKind === 'request' ? 'request' : `h${w.record.record_type.oneofKind === 'history' ? w.record.record_type.history.step?.num : ''}`))).toEqual(
      expected,
    )
    // the very same Work objects, responders included, reach the sender
    const stayed = got.filter((w) => w.responder || w.record.record_type.oneofKind === 'request')
    expect(stayed).toHaveLength(mustStay.length)
    for (let i = 0; i < stayed.length; i++) expect(stayed[i]).toBe(mustStay[i])
    expect(got.filter((w) => w.responder)).toHaveLength(12)
    expect(logger.find('error', '')).toEqual([])
  })
})

describe('FlowControl read-back', () => {
  test('flushes the log writer before reading back records still in its buffer', async () => {
    const log = TransactionLogWriter.open(logPath)
    const fc = new FlowControl({log, memoryLimitBytes: 0, logger})
    const it = fc[Symbol.asyncIterator]()
    for (let round = 0; round < 3; round++) {
      const sent = [1, 2, 3].map((k) => persist(log, round * 3 + k, historyRecord(round * 3 + k)))
      for (const w of sent) await fc.send(w)
      expect(fc.stats.offloadedRecords).toBe(3)
      for (const w of sent) {
        const next = await it.next()
        expect(next.done).toBe(false)
        expect(next.value).not.toBe(w) // read back from the file, not the object sent
        expect(hex(bytesOf(next.value.record))).toBe(hex(bytesOf(w.record)))
      }
    }
    fc.close()
    expect((await it.next()).done).toBe(true)
    log.close()
    expect(logger.find('error', '')).toEqual([])
  })

  test('stops offloading once caught up: work after an empty queue stays in memory until the budget is hit again', async () => {
    const log = TransactionLogWriter.open(logPath)
    const fc = new FlowControl({log, memoryLimitBytes: 2048, logger})
    const it = fc[Symbol.asyncIterator]()
    let num = 0
    for (let i = 0; i < 40; i++) await fc.send(persist(log, ++num, historyRecord(num)))
    expect(fc.stats.offloadedRecords).toBeGreaterThan(0)
    for (let i = 0; i < 40; i++) expect(Number((await it.next()).value.record.num)).toBe(i + 1)
    // the sender asks again and finds the queue empty: flow control is no longer backed up
    const pending = it.next()
    const first = persist(log, ++num, historyRecord(num))
    await fc.send(first)
    expect((await pending).value).toBe(first)
    await fc.send(persist(log, ++num, historyRecord(num)))
    expect(fc.stats).toMatchObject({inMemoryItems: 1, offloadedRecords: 0})
    expect(logger.find('info', 'flowcontrol: caught up')).toHaveLength(1)
    fc.close()
    expect(Number((await it.next()).value.record.num)).toBe(num)
    expect((await it.next()).done).toBe(true)
    log.close()
  })

  test('a deleted log is reported with the offsets of each lost span; in-memory work still arrives and offloading stops', async () => {
    const log = TransactionLogWriter.open(logPath)
    const fc = new FlowControl({log, memoryLimitBytes: 0, logger})
    let num = 0
    const first = [1, 2, 3].map(() => persist(log, ++num, historyRecord(num)))
    const kept: Work = {record: requestRecord(), responder: new CapturingResponder()}
    const second = [1, 2].map(() => persist(log, ++num, historyRecord(num)))
    for (const w of [...first, kept, ...second]) await fc.send(w)
    expect(fc.stats.offloadedSpans).toBe(2)
    log.close()
    rmSync(logPath)

    const it = fc[Symbol.asyncIterator]()
    expect((await it.next()).value).toBe(kept)
    const errors = logger.find('error', 'flowcontrol: cannot read back')
    expect(errors).toHaveLength(1)
    expect(errors[0].msg).toContain(`3 of 3 offloaded records (numbers 1–3, log offsets ${first[0].logOffset}–${first[2].logEnd})`)
    expect(String(errors[0].err)).toContain('ENOENT')
    expect(fc.stats.offloading).toBe(false)

    // from now on nothing is offloaded, however far over the budget
    const later: Work = {record: historyRecord(99), logOffset: 7, logEnd: 100}
    await fc.send(later)
    expect(fc.stats).toMatchObject({offloadedSpans: 1, inMemoryItems: 1})
    fc.close()
    expect((await it.next()).value).toBe(later) // the second span is reported and skipped too
    expect(logger.find('error', 'flowcontrol: cannot read back')).toHaveLength(2)
    expect((await it.next()).done).toBe(true)
  })

  test('a damaged block loses only its records: the rest of the span and what follows arrive in order', async () => {
    const N = 2000
    const log = TransactionLogWriter.open(logPath)
    const fc = new FlowControl({log, memoryLimitBytes: 0, logger})
    const tailRequest: Work = {record: requestRecord(), responder: new CapturingResponder()}
    await writeAll(log, [...Array.from({length: N}, (_, i) => ({record: historyRecord(i, 120)})), tailRequest], fc)
    expect(fc.stats.offloadedRecords).toBe(N)
    // flip one byte in the middle of block 3: its checksum fails, the reader resumes at block 4
    const fd = openSync(logPath, 'r+')
    writeSync(fd, Uint8Array.of(0xff), 0, 1, 3 * BLOCK_SIZE + 1000)
    writeSync(fd, Uint8Array.of(0x00), 0, 1, 3 * BLOCK_SIZE + 1001)
    const got = await collect(fc)

    const nums = got.slice(0, -1).map((w) => Number(w.record.num))
    expect(got.at(-1)).toBe(tailRequest)
    expect(nums.length).toBeLessThan(N)
    expect(nums.length).toBeGreaterThan(N - 400)
    for (let i = 1; i < nums.length; i++) expect(nums[i]).toBeGreaterThan(nums[i - 1])
    expect(nums[0]).toBe(1)
    expect(nums.at(-1)).toBe(N)
    const errors = logger.find('error', 'flowcontrol: cannot read back')
    expect(errors).toHaveLength(1)
    expect(errors[0].msg).toContain(`${N - nums.length} of ${N} offloaded records`)
    expect(String(errors[0].err)).toContain('checksum mismatch')
  })
})

describe('FlowControl close and configuration', () => {
  test('close while records are offloaded: everything sent before it is delivered, then iteration ends; send after close is refused', async () => {
    const log = TransactionLogWriter.open(logPath)
    const fc = new FlowControl({log, memoryLimitBytes: 0, logger})
    const sent = Array.from({length: 50}, (_, i) => persist(log, i + 1, historyRecord(i + 1)))
    for (const w of sent) await fc.send(w)
    fc.close()
    fc.close() // idempotent
    expect(await fc.send(persist(log, 51, historyRecord(51)))).toBe(false)
    log.close()
    const got = await collect(fc)
    expect(got.map((w) => hex(bytesOf(w.record)))).toEqual(sent.map((w) => hex(bytesOf(w.record))))
    expect(fc.stats.offloadedRecords).toBe(0)
  })

  test('without a transaction log everything stays in memory', async () => {
    const fc = new FlowControl({log: undefined, memoryLimitBytes: 0, logger})
    const works = Array.from({length: 100}, (_, i) => ({record: historyRecord(i), logOffset: 7 + i * 100, logEnd: 107 + i * 100}))
    for (const w of works) await fc.send(w)
    expect(fc.stats).toMatchObject({offloadedSpans: 0, inMemoryItems: 100, offloading: false})
    fc.close()
    const got = await collect(fc)
    expect(got).toHaveLength(100)
    for (let i = 0; i < 100; i++) expect(got[i]).toBe(works[i])
  })

  test('the first offload calls onFirstOffload once', async () => {
    let calls = 0
    const log = TransactionLogWriter.open(logPath)
    const fc = new FlowControl({log, memoryLimitBytes: 0, logger, onFirstOffload: () => calls++})
    for (let i = 1; i <= 5; i++) await fc.send(persist(log, i, historyRecord(i)))
    expect(calls).toBe(1)
    fc.close()
    expect(await collect(fc)).toHaveLength(5)
    log.close()
  })
})

describe('Writer', () => {
  test('marks each saved Work with its record’s place in the log, and leaves requests unmarked', async () => {
    const log = TransactionLogWriter.open(logPath)
    const out = new Channel<Work>(Number.POSITIVE_INFINITY)
    const works: Work[] = [{record: historyRecord(1)}, {record: requestRecord()}, {record: historyRecord(2, 40000)}, {record: historyRecord(3)}]
    await writeAll(log, works, out)
    const got = await collect(out)
    using reader = TransactionLogReader.open(logPath)
    const places: Array<[number, number]> = []
    for (let r = reader.next(); r; r = reader.next()) places.push([r.offset, r.end])
    expect(got.filter((w) => w.logOffset !== undefined).map((w) => [w.logOffset!, w.logEnd!])).toEqual(places)
    expect(got[1].logOffset).toBeUndefined()
    expect(got[1].logEnd).toBeUndefined()
  })
})

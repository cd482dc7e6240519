/**
 * The durability bound of the .wandb file (what a SIGKILL of the service cannot take away): every
 * complete 32 KiB block is on disk as soon as it fills, as Go core writes it; the rest reaches the
 * file DURABLE_WITHIN_MS after the writer received it, even when no further record comes and
 * whatever x_transaction_log_flush_interval says; the exit record and flush() write at once.
 * "On disk" here is what another process reading the file sees (the OS has it).
 */
import {afterEach, beforeEach, describe, expect, test} from 'bun:test'
import {join} from 'node:path'
import {Record} from '../../../src/core/proto.ts'
import {Channel} from '../../../src/core/runtime/index.ts'
import {DURABLE_WITHIN_MS, Writer, type Work} from '../../../src/core/stream/index.ts'
import {BLOCK_SIZE, TransactionLogReader, TransactionLogWriter} from '../../../src/core/txlog/index.ts'
import {ManualClock, settle} from '../../fakes/manual-clock.ts'
import {historyRecord, RecordingLogger, tempDir} from './helpers.ts'

let dir: ReturnType<typeof tempDir>
beforeEach(() => (dir = tempDir()))
afterEach(() => dir.dispose())

/** Records another process would read from the file right now. */
function onDisk(path: string): number {
  const reader = TransactionLogReader.open(path)
  let n = 0
  while (reader.next()) n++
  reader.close()
  return n
}

/** A running Writer stage over a fresh log, fed through `input`. */
function writerStage(flushIntervalMs: number) {
  const path = join(dir.path, 'run.wandb')
  const log = TransactionLogWriter.open(path)
  const clock = new ManualClock()
  const writer = new Writer({log, offline: false, flushIntervalMs, logger: new RecordingLogger(), clock})
  const input = new Channel<Work>(64)
  const output = new Channel<Work>(1024)
  const done = writer.run(input, output)
  return {path, log, clock, writer, input, done}
}

describe('transaction log durability', () => {
  test('a complete 32 KiB block is in the file as soon as it fills, without flush()', () => {
    const path = join(dir.path, 'blocks.wandb')
    const log = TransactionLogWriter.open(path)
    let written = 0
    while (log.size < BLOCK_SIZE) {
      log.write(new Uint8Array(500).fill(written % 251))
      written++
    }
    // the record that crossed the boundary completed block 0: every record before it is readable
    expect(onDisk(path)).toBeGreaterThanOrEqual(written - 1)
    const before = log.size
    log.write(new Uint8Array(100))
    expect(log.unflushed).toBeGreaterThan(0)
    expect(log.size).toBeGreaterThan(before)
    log.close()
    expect(onDisk(path)).toBe(written + 1)
  })

  test("an idle run's last record reaches the file DURABLE_WITHIN_MS later, despite a 15 s flush interval", async () => {
    const s = writerStage(15_000)
    await s.input.send({record: historyRecord(1)})
    await s.clock.whenSleeping(1)
    expect(onDisk(s.path)).toBe(0)
    await s.clock.advance(DURABLE_WITHIN_MS - 1)
    expect(onDisk(s.path)).toBe(0)
    await s.clock.advance(1)
    expect(onDisk(s.path)).toBe(1)
    // one delayed flush per batch: more records while one is pending share it
    await s.input.send({record: historyRecord(2)})
    await s.input.send({record: historyRecord(3)})
    await settle()
    expect(s.clock.sleeping).toBe(1)
    await s.clock.advance(DURABLE_WITHIN_MS)
    expect(onDisk(s.path)).toBe(3)
    s.input.close()
    await s.done
  })

  test('a shorter flush interval than the bound is kept', async () => {
    const s = writerStage(50)
    await s.input.send({record: historyRecord(1)})
    await s.clock.whenSleeping(1)
    await s.clock.advance(50)
    expect(onDisk(s.path)).toBe(1)
    s.input.close()
    await s.done
  })

  test('the exit record is written at once; flush() writes what reached the writer', async () => {
    const s = writerStage(15_000)
    await s.input.send({record: historyRecord(1)})
    await s.clock.whenSleeping(1)
    s.writer.flush()
    expect(onDisk(s.path)).toBe(1)
    expect(s.clock.sleeping).toBe(0)
    await s.input.send({record: Record.create({record_type: {oneofKind: 'exit', exit: {exit_code: 143, runtime: 0, not_complete: false}}})})
    await settle()
    expect(onDisk(s.path)).toBe(2)
    expect(s.clock.sleeping).toBe(0)
    s.input.close()
    await s.done
    expect(onDisk(s.path)).toBe(2)
  })
})

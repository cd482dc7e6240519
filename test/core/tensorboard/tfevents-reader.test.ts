/**
 * TFEventsReader: files of a log directory read in order while they grow, rotation to the next
 * file, the file filter, and what happens to partial and corrupt records.
 */
import {afterEach, beforeEach, describe, expect, test} from 'bun:test'
import {appendFileSync, mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {decodeEvent, listLogDirectory, matchesTFEventsFile, TFEventsReader, type TFEventsFileFilter} from '../../../src/core/tensorboard/index.ts'
import {ManualClock} from '../../fakes/manual-clock.ts'
import {RecordingLogger, tempDir} from './helpers.ts'
import {appendEvents, eventBytes, frame} from './tfevents-writer.ts'

const ANY: TFEventsFileFilter = {startTimeSec: 0, hostname: ''}
let dir: ReturnType<typeof tempDir>
let logger: RecordingLogger
let clock: ManualClock
beforeEach(() => {
  dir = tempDir()
  logger = new RecordingLogger()
  clock = new ManualClock()
})
afterEach(() => dir.dispose())

function reader(filter = ANY, logDir = dir.path): TFEventsReader {
  return new TFEventsReader({logDir, filter, logger, clock, corruptionGraceMs: 30_000})
}

/** Reads until nothing is left now; returns the steps read and the files announced. */
function drain(r: TFEventsReader, o: {final?: boolean} = {}): {steps: number[]; files: string[]} {
  const steps: number[] = []
  const files: string[] = []
  for (;;) {
    const rec = r.next((f) => files.push(f.slice(dir.path.length + 1)), o)
    if (!rec) return {steps, files}
    steps.push(Number(decodeEvent(rec.data).step))
  }
}

const ev = (step: number) => ({wallTime: 100 + step, step, values: [{tag: 'x', simple: step}]})

describe('reading one file', () => {
  test('returns the records in order and announces the file once', () => {
    appendEvents(join(dir.path, 'events.out.tfevents.1.h'), ev(1), ev(2), ev(3))
    const r = reader()
    expect(drain(r)).toEqual({steps: [1, 2, 3], files: ['events.out.tfevents.1.h']})
    r.close()
  })

  test('picks up records appended later (the file is still being written)', () => {
    const path = join(dir.path, 'events.out.tfevents.1.h')
    appendEvents(path, ev(1))
    const r = reader()
    expect(drain(r).steps).toEqual([1])
    appendEvents(path, ev(2), ev(3))
    expect(drain(r)).toEqual({steps: [2, 3], files: []})
    r.close()
  })

  test('a record cut short at the end of the file is read once the rest is written', () => {
    const path = join(dir.path, 'events.out.tfevents.1.h')
    const partial = frame(eventBytes(ev(2)))
    appendEvents(path, ev(1), partial.subarray(0, 5))
    const r = reader()
    expect(drain(r).steps).toEqual([1])
    appendFileSync(path, partial.subarray(5, 20))
    expect(drain(r).steps).toEqual([])
    appendFileSync(path, partial.subarray(20))
    expect(drain(r).steps).toEqual([2])
    expect(logger.at('error')).toEqual([])
    r.close()
  })

  test('a log directory that does not exist yet is read once it does', () => {
    const logDir = join(dir.path, 'later')
    const r = reader(ANY, logDir)
    expect(r.next(() => {})).toBeUndefined()
    expect(logger.at('warn')).toContain('tensorboard: cannot list the log directory')
    appendEvents(join(logDir, 'events.out.tfevents.1.h'), ev(1))
    expect(drain(r).steps).toEqual([1])
    r.close()
  })
})

describe('several files', () => {
  test('are read in name order, sub-directories included, each announced when reading starts', () => {
    appendEvents(join(dir.path, 'events.out.tfevents.2.h'), ev(2))
    appendEvents(join(dir.path, 'events.out.tfevents.1.h'), ev(1))
    appendEvents(join(dir.path, 'sub/events.out.tfevents.3.h'), ev(3))
    appendEvents(join(dir.path, '0dir/events.out.tfevents.9.h'), ev(0))
    const r = reader()
    expect(drain(r)).toEqual({
      steps: [0, 1, 2, 3],
      files: ['0dir/events.out.tfevents.9.h', 'events.out.tfevents.1.h', 'events.out.tfevents.2.h', 'sub/events.out.tfevents.3.h'],
    })
    r.close()
  })

  test('the reader moves on only once the next file exists and the current one is exhausted', () => {
    const first = join(dir.path, 'events.out.tfevents.1.h')
    appendEvents(first, ev(1))
    const r = reader()
    expect(drain(r).steps).toEqual([1])
    appendEvents(first, ev(2))
    appendEvents(join(dir.path, 'events.out.tfevents.2.h'), ev(3))
    expect(drain(r).steps).toEqual([2, 3])
    // the previous file is never looked at again
    appendEvents(first, ev(99))
    expect(drain(r).steps).toEqual([])
    r.close()
  })

  test('an unfinished record keeps the reader on its file even when a next file exists', () => {
    const partial = frame(eventBytes(ev(2)))
    appendEvents(join(dir.path, 'events.out.tfevents.1.h'), ev(1), partial.subarray(0, 30))
    appendEvents(join(dir.path, 'events.out.tfevents.2.h'), ev(3))
    const r = reader()
    expect(drain(r).steps).toEqual([1])
    expect(logger.at('warn')).toContain('tensorboard: maybe incomplete event')
    appendFileSync(join(dir.path, 'events.out.tfevents.1.h'), partial.subarray(30))
    expect(drain(r).steps).toEqual([2, 3])
    r.close()
  })
})

describe('the file filter', () => {
  test('takes files of this host from the run start on, and not profiler or SageMaker leftovers', () => {
    const filter = {startTimeSec: 1000, hostname: 'my.host'}
    expect(matchesTFEventsFile('events.out.tfevents.1000.my.host.12.0', filter)).toBe(true)
    expect(matchesTFEventsFile('events.out.tfevents.2000.my.host', filter)).toBe(true)
    expect(matchesTFEventsFile('events.out.tfevents.999.my.host', filter)).toBe(false)
    expect(matchesTFEventsFile('events.out.tfevents.2000.myxhost', filter)).toBe(false)
    expect(matchesTFEventsFile('events.out.tfevents.2000.other', filter)).toBe(false)
    expect(matchesTFEventsFile('events.out.tfevents.2000.my.host.profile-empty', filter)).toBe(false)
    expect(matchesTFEventsFile('events.out.tfevents.2000.my.host.sagemaker-uploaded', filter)).toBe(false)
    expect(matchesTFEventsFile('events.out.tfevents.99999999999999999999.my.host', filter)).toBe(false)
    expect(matchesTFEventsFile('notes.txt', {startTimeSec: 0, hostname: ''})).toBe(false)
    expect(matchesTFEventsFile('events.out.tfevents.5.anything', {startTimeSec: 0, hostname: ''})).toBe(true)
  })

  test('files the filter rejects are never read', () => {
    appendEvents(join(dir.path, 'events.out.tfevents.500.h'), ev(1))
    appendEvents(join(dir.path, 'events.out.tfevents.1500.other'), ev(2))
    appendEvents(join(dir.path, 'events.out.tfevents.1500.h'), ev(3))
    const r = reader({startTimeSec: 1000, hostname: 'h'})
    expect(drain(r)).toEqual({steps: [3], files: ['events.out.tfevents.1500.h']})
    r.close()
  })

  test('listing skips gocloud .attrs files and walks sub-directories in name order', () => {
    mkdirSync(join(dir.path, 'b'))
    writeFileSync(join(dir.path, 'b/x'), '')
    writeFileSync(join(dir.path, 'a.attrs'), '')
    writeFileSync(join(dir.path, 'c'), '')
    writeFileSync(join(dir.path, 'B'), '')
    expect(listLogDirectory(dir.path)).toEqual(['B', 'b/x', 'c'])
  })
})

describe('corrupt records', () => {
  function corruptData(): Uint8Array {
    const bad = frame(eventBytes(ev(2)))
    bad[16] ^= 0xff
    return bad
  }

  test('a bad data checksum is retried for a while, then the record is skipped and logged', async () => {
    appendEvents(join(dir.path, 'events.out.tfevents.1.h'), ev(1), corruptData(), ev(3))
    const r = reader()
    expect(drain(r).steps).toEqual([1])
    expect(logger.at('warn')).toContain('tensorboard: unexpected checksum, will retry')
    await clock.advance(29_000)
    expect(drain(r).steps).toEqual([])
    await clock.advance(1_000)
    expect(drain(r).steps).toEqual([3])
    expect(logger.at('error')).toEqual(['tensorboard: skipping a corrupt record (data checksum mismatch)'])
    r.close()
  })

  test('a torn write that is repaired within the grace period loses nothing', async () => {
    const path = join(dir.path, 'events.out.tfevents.1.h')
    const good = frame(eventBytes(ev(2)))
    const torn = good.slice()
    torn.fill(0, 20)
    appendEvents(path, ev(1), torn)
    const r = reader()
    expect(drain(r).steps).toEqual([1])
    writeFileSync(path, Buffer.concat([frame(eventBytes(ev(1))), good]))
    await clock.advance(5_000)
    expect(drain(r).steps).toEqual([2])
    expect(logger.at('error')).toEqual([])
    r.close()
  })

  test('at the end of the run (final) a corrupt record is skipped at once', () => {
    appendEvents(join(dir.path, 'events.out.tfevents.1.h'), ev(1), corruptData(), ev(3))
    const r = reader()
    expect(drain(r, {final: true}).steps).toEqual([1, 3])
    r.close()
  })

  test('a bad length checksum gives up the rest of that file and goes on with the next', () => {
    const bad = frame(eventBytes(ev(2)))
    bad[3] ^= 0x10
    appendEvents(join(dir.path, 'events.out.tfevents.1.h'), ev(1), bad, ev(9))
    appendEvents(join(dir.path, 'events.out.tfevents.2.h'), ev(3))
    const r = reader()
    expect(drain(r, {final: true}).steps).toEqual([1, 3])
    expect(logger.at('error')).toEqual(['tensorboard: giving up the rest of a corrupt file (length checksum mismatch)'])
    r.close()
  })
})

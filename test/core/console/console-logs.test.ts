import {describe, expect, test} from 'bun:test'
import {readdirSync} from 'node:fs'
import {ConsoleLogs, InvalidOutputTypeError} from '../../../src/core/console/index.ts'
import {OutputRawRecord, OutputRawRecord_OutputType, Timestamp} from '../../../src/core/proto.ts'
import {Harness, recordingLogger, tempDir} from './helpers.ts'
import {ManualClock, settle} from '../../fakes/manual-clock.ts'

const START = Date.UTC(2024, 0, 1)
const TS = '2024-01-01T00:00:00.000000'

describe('ConsoleLogs', () => {
  test('a tqdm-style bar ends as one line in output.log and is re-sent at the same offset', async () => {
    using dir = tempDir()
    const h = new Harness(dir.path)
    h.stdout('epoch 1\n')
    await settle()
    for (let i = 0; i <= 4; i++) {
      h.stderr(`\r${i * 25}%|${'#'.repeat(i).padEnd(4)}|`)
      await h.clock.advance(10)
    }
    h.stderr('\n')
    h.stdout('done\n')
    await h.logs.finish()
    expect(h.file()).toBe('epoch 1\n100%|####|\ndone\n')
    const barUpdates = h.updates.filter((u) => u.offset === 1)
    expect(barUpdates.length).toBeGreaterThanOrEqual(5)
    expect(barUpdates.at(-1)!.lines[0]).toBe(`ERROR ${TS} 100%|####|`)
    expect(h.serverLines()).toEqual(
      new Map([
        [0, `${TS} epoch 1`],
        [1, `ERROR ${TS} 100%|####|`],
        [2, '2024-01-01T00:00:00.050000 done'],
      ]),
    )
  })

  test('cursor-up output rewrites an earlier line in both outputs', async () => {
    using dir = tempDir()
    const h = new Harness(dir.path)
    h.stdout('line1\n')
    h.stdout('line2\n')
    await h.clock.advance(5000)
    h.stdout('\x1b[Aline2 - modified\n')
    await h.clock.advance(5000)
    expect(h.file()).toBe('line1\nline2 - modified\n')
    expect(h.updates.at(-1)).toEqual({offset: 1, lines: [`${TS} line2 - modified`]})
    await h.logs.finish()
  })

  test('file_stream gets changes within 10 ms while output.log is written at most every 5 s', async () => {
    using dir = tempDir()
    const h = new Harness(dir.path)
    h.stdout('a\n')
    await settle()
    expect(h.updates).toHaveLength(1)
    expect(h.file()).toBe('a\n')
    h.stdout('b\n')
    await h.clock.advance(10)
    expect(h.updates.map((u) => u.offset)).toEqual([0, 1])
    expect(h.file()).toBe('a\n')
    await h.clock.advance(4990)
    expect(h.file()).toBe('a\nb\n')
    await h.logs.finish()
  })

  test('non-consecutive changes in one batch go out as separate updates', async () => {
    using dir = tempDir()
    const h = new Harness(dir.path)
    h.stdout('zero\none\ntwo\nthree\n')
    await h.clock.advance(10)
    h.updates.length = 0
    h.stdout('\x1b[A\x1b[A\x1b[AONE\x1b[B\x1b[B\rTHREE\n')
    await h.clock.advance(10)
    expect(h.updates).toEqual([
      {offset: 1, lines: [`${TS} ONE`]},
      {offset: 3, lines: [`${TS} THREE`]},
    ])
    await h.logs.finish()
  })

  test('finish flushes both outputs, announces the file once and ignores later records', async () => {
    using dir = tempDir()
    const h = new Harness(dir.path)
    h.stdout('a\n')
    await settle()
    h.stdout('b\n')
    h.logger('logged')
    const first = h.logs.finish()
    expect(h.logs.finish()).toBe(first)
    await first
    expect(h.file()).toBe('a\nb\nlogged\n')
    expect([...h.serverLines().keys()]).toEqual([0, 1, 2])
    expect(h.ready).toEqual(['output.log'])
    h.stdout('late\n')
    h.logger('late')
    await h.clock.advance(10_000)
    await h.logs.finish()
    expect(h.file()).toBe('a\nb\nlogged\n')
    expect(h.serverLines().size).toBe(3)
    expect(h.ready).toEqual(['output.log'])
    expect(h.clock.sleeping).toBe(0)
  })

  test('close stops the timers, keeps pending lines on disk, and streams and announces nothing more', async () => {
    using dir = tempDir()
    const h = new Harness(dir.path)
    h.stdout('a\n')
    await settle()
    h.stdout('b\n')
    h.logs.close()
    h.logs.close()
    expect(h.clock.sleeping).toBe(0)
    expect(h.file()).toBe('a\nb\n')
    h.stdout('c\n')
    await h.clock.advance(10_000)
    await h.logs.finish()
    expect(h.updates.map((u) => u.offset)).toEqual([0])
    expect(h.ready).toEqual([])
    expect(h.file()).toBe('a\nb\n')
  })

  test('close after finish changes nothing', async () => {
    using dir = tempDir()
    const h = new Harness(dir.path)
    h.stdout('a\n')
    await h.logs.finish()
    h.logs.close()
    expect(h.ready).toEqual(['output.log'])
  })

  test('stderr lines carry the ERROR prefix and a label goes in brackets and into the file name', async () => {
    using dir = tempDir()
    const h = new Harness(dir.path, {label: 'node 1/rank 0'})
    h.stdout('out\n')
    h.stderr('err\n')
    await h.logs.finish()
    expect(h.serverLines()).toEqual(
      new Map([
        [0, `${TS} [node 1/rank 0] out`],
        [1, `ERROR ${TS} [node 1/rank 0] err`],
      ]),
    )
    expect(h.ready).toEqual(['output_node 1_rank 0.log'])
    expect(h.file('output_node 1_rank 0.log')).toBe('out\nerr\n')
  })

  test('structured lines when the feature check says so', async () => {
    using dir = tempDir()
    const h = new Harness(dir.path, {structured: () => true, label: 'r'})
    h.stderr('bad\n')
    await h.logs.finish()
    expect(h.serverLines().get(0)).toBe(`{"level":"error","ts":"${TS}","label":"r","content":"bad"}`)
  })

  test('lines are stamped with the clock at creation, not with the record timestamp', async () => {
    using dir = tempDir()
    const h = new Harness(dir.path)
    await h.clock.advance(1234)
    h.logs.handleOutputRaw(
      OutputRawRecord.create({
        output_type: OutputRawRecord_OutputType.STDOUT,
        line: 'x\n',
        timestamp: Timestamp.create({seconds: 1n, nanos: 0}),
      }),
    )
    await h.logs.finish()
    expect(h.serverLines().get(0)).toBe('2024-01-01T00:00:01.234000 x')
  })

  test('the line offset of a resumed run is added to file_stream offsets but not to output.log', async () => {
    using dir = tempDir()
    const h = new Harness(dir.path, {lineOffset: 42})
    h.stdout('a\nb\n')
    await h.logs.finish()
    expect(h.updates).toEqual([{offset: 42, lines: [`${TS} a`, `${TS} b`]}])
    expect(h.file()).toBe('a\nb\n')
  })

  test('with capture off raw output is ignored, logger lines are streamed, and no file is written', async () => {
    using dir = tempDir()
    const h = new Harness(dir.path, {captureEnabled: false})
    h.stdout('ignored\n')
    h.logger('kept\n')
    await h.logs.finish()
    expect(h.updates).toEqual([{offset: 0, lines: [`${TS} kept`]}])
    expect(readdirSync(dir.path)).toEqual([])
    expect(h.ready).toEqual([])
  })

  test('a record with an unknown output type is logged and dropped', async () => {
    using dir = tempDir()
    const {logger, entries} = recordingLogger()
    const h = new Harness(dir.path, {logger})
    h.logs.handleOutputRaw(OutputRawRecord.create({output_type: 7 as OutputRawRecord_OutputType, line: 'x\n'}))
    await h.logs.finish()
    expect(h.updates).toEqual([])
    expect(entries).toMatchObject([{level: 'ERROR', msg: 'console: dropped an output record'}])
    expect(String(entries[0].error)).toContain(new InvalidOutputTypeError(7).message)
  })

  test('multipart mode writes chunks under logs/ and announces each', async () => {
    using dir = tempDir()
    const h = new Harness(dir.path, {multipart: true, chunkMaxBytes: 10, label: 'r0'})
    h.stdout('0123456789\n')
    await settle()
    h.stdout('next\n')
    await h.logs.finish()
    expect(h.ready).toHaveLength(2)
    expect(h.ready.every((p) => /^logs\/output_r0_\d{8}_\d{6}_\d{9}\.log$/.test(p))).toBe(true)
    expect(h.ready.map((p) => h.file(p))).toEqual(['0123456789\n', 'next\n'])
  })

  test('offline, without a sink or an upload callback, output.log is still written', async () => {
    using dir = tempDir()
    const logs = new ConsoleLogs({
      filesDir: dir.path,
      structured: false,
      captureEnabled: true,
      clock: new ManualClock(START),
      logger: recordingLogger().logger,
    })
    logs.handleOutputRaw(OutputRawRecord.create({output_type: OutputRawRecord_OutputType.STDOUT, line: 'offline\n'}))
    await logs.finish()
    expect(readdirSync(dir.path)).toEqual(['output.log'])
  })
})

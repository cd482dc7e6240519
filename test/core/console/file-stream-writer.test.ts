import {describe, expect, test} from 'bun:test'
import {ConsoleLine, FileStreamWriter} from '../../../src/core/console/index.ts'
import type {ConsoleUpdate} from '../../../src/core/console/index.ts'
import {recordingLogger} from './helpers.ts'
import {ManualClock, settle} from '../../fakes/manual-clock.ts'

const T = Date.UTC(2024, 0, 2, 3, 4, 5, 6)
const TS = '2024-01-02T03:04:05.006000'
const out = (text: string) => new ConsoleLine({prefix: '', label: '', createdAtMs: T}, 4096, text)
const err = (text: string) => new ConsoleLine({prefix: 'ERROR ', label: '', createdAtMs: T}, 4096, text)

function writer(options: {lineOffset?: number; structured?: () => boolean; sinkFails?: boolean} = {}) {
  const clock = new ManualClock()
  const updates: ConsoleUpdate[] = []
  const {logger, entries} = recordingLogger()
  const w = new FileStreamWriter({
    lineOffset: options.lineOffset ?? 0,
    structured: options.structured ?? (() => false),
    clock,
    logger,
    sink: (u) => {
      if (options.sinkFails && u.offset === 0) throw new Error('sink down')
      updates.push(u)
    },
  })
  return {w, clock, updates, entries}
}

describe('FileStreamWriter', () => {
  test('sends consecutive changed lines as one update in the legacy format', async () => {
    const {w, updates} = writer()
    w.updateLine(1, out('a'))
    w.updateLine(0, err('b'))
    await w.finish()
    expect(updates).toEqual([{offset: 0, lines: [`ERROR ${TS} b`, `${TS} a`]}])
  })

  test('splits non-consecutive changes into one update per run, in ascending order', async () => {
    const {w, updates} = writer()
    for (const n of [7, 2, 3, 9, 8, 0]) w.updateLine(n, out(`l${n}`))
    await w.finish()
    expect(updates.map((u) => [u.offset, u.lines.length])).toEqual([
      [0, 1],
      [2, 2],
      [7, 3],
    ])
  })

  test('adds the line offset of a resumed run to every update', async () => {
    const {w, updates} = writer({lineOffset: 100})
    w.updateLine(0, out('a'))
    w.updateLine(5, out('b'))
    await w.finish()
    expect(updates.map((u) => u.offset)).toEqual([100, 105])
  })

  test('uses the structured format when the feature check says so, asking at every flush', async () => {
    let structured = false
    const {w, clock, updates} = writer({structured: () => structured})
    w.updateLine(0, out('a'))
    await settle()
    structured = true
    w.updateLine(1, err('b'))
    await clock.advance(10)
    expect(updates.map((u) => u.lines[0])).toEqual([`${TS} a`, `{"level":"error","ts":"${TS}","content":"b"}`])
  })

  test('collects changes for 10 ms after the first update', async () => {
    const {w, clock, updates} = writer()
    const line = out('1')
    w.updateLine(0, line)
    await settle()
    line.putChar('2', 0)
    w.updateLine(0, line)
    line.putChar('3', 0)
    w.updateLine(0, line)
    await clock.advance(9)
    expect(updates).toHaveLength(1)
    await clock.advance(1)
    expect(updates.map((u) => u.lines[0])).toEqual([`${TS} 1`, `${TS} 3`])
  })

  test('a failing sink is logged and the other runs are still sent', async () => {
    const {w, updates, entries} = writer({sinkFails: true})
    w.updateLine(0, out('a'))
    w.updateLine(2, out('b'))
    await w.finish()
    expect(updates.map((u) => u.offset)).toEqual([2])
    expect(entries).toMatchObject([{level: 'ERROR', msg: 'console: the file_stream sink failed', offset: 0}])
  })

  test('cancel drops pending lines', async () => {
    const {w, clock, updates} = writer()
    w.updateLine(0, out('a'))
    w.cancel()
    await clock.advance(100)
    await w.finish()
    expect(updates).toEqual([])
  })
})

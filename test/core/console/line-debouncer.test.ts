import {describe, expect, test} from 'bun:test'
import {ConsoleLine, LineDebouncer} from '../../../src/core/console/index.ts'
import {ManualClock, settle} from '../../fakes/manual-clock.ts'
import {recordingLogger} from './helpers.ts'

const line = (text: string) => new ConsoleLine({prefix: '', label: '', createdAtMs: 0}, 4096, text)

function debouncer(periodMs: number, options: {fail?: boolean} = {}) {
  const clock = new ManualClock()
  const batches: {at: number; lines: [number, string][]}[] = []
  const {logger, entries} = recordingLogger()
  const d = new LineDebouncer({
    periodMs,
    clock,
    logger,
    name: 'test',
    flush: (batch) => {
      if (options.fail) throw new Error('flush failed')
      batches.push({at: clock.now() - start, lines: [...batch].map(([n, l]) => [n, l.content])})
    },
  })
  const start = clock.now()
  return {d, clock, batches, entries}
}

describe('LineDebouncer', () => {
  test('the first change is flushed at once, together with the changes made in the same turn', async () => {
    const {d, batches} = debouncer(5000)
    d.put(0, line('a'))
    d.put(1, line('b'))
    expect(batches).toEqual([])
    await settle()
    expect(batches).toEqual([
      {
        at: 0,
        lines: [
          [0, 'a'],
          [1, 'b'],
        ],
      },
    ])
  })

  test('later changes wait for the end of the period and are merged by line number', async () => {
    const {d, clock, batches} = debouncer(5000)
    d.put(0, line('a'))
    await settle()
    const l1 = line('first')
    d.put(1, l1)
    await clock.advance(2000)
    l1.putChar('F', 0)
    d.put(1, l1)
    d.put(2, line('c'))
    await clock.advance(2999)
    expect(batches).toHaveLength(1)
    await clock.advance(1)
    expect(batches).toEqual([
      {at: 0, lines: [[0, 'a']]},
      {
        at: 5000,
        lines: [
          [1, 'First'],
          [2, 'c'],
        ],
      },
    ])
  })

  test('a quiet period ends the loop, and a change right after a quiet tick waits for the next token', async () => {
    const {d, clock, batches} = debouncer(5000)
    d.put(0, line('a'))
    await settle()
    await clock.advance(5000) // the loop wakes, finds nothing and stops, spending that token
    expect(clock.sleeping).toBe(0)
    await clock.advance(1000)
    d.put(1, line('b'))
    await settle()
    expect(batches).toHaveLength(1)
    await clock.advance(4000)
    expect(batches.map((b) => b.at)).toEqual([0, 10_000])
  })

  test('after a full idle period the next change is flushed at once again', async () => {
    const {d, clock, batches} = debouncer(10)
    d.put(0, line('a'))
    await settle()
    await clock.advance(10)
    await clock.advance(10)
    d.put(1, line('b'))
    await settle()
    expect(batches.map((b) => b.at)).toEqual([0, 20])
  })

  test('finish flushes pending changes without waiting and then stops the loop', async () => {
    const {d, clock, batches} = debouncer(5000)
    d.put(0, line('a'))
    await settle()
    d.put(1, line('b'))
    await d.finish()
    expect(batches.map((b) => b.at)).toEqual([0, 0])
    expect(clock.sleeping).toBe(0)
    d.put(2, line('c'))
    await settle()
    expect(batches.at(-1)).toEqual({at: 0, lines: [[2, 'c']]})
    await d.finish()
  })

  test('cancel drops pending changes and flushes nothing more', async () => {
    const {d, clock, batches} = debouncer(5000)
    d.put(0, line('a'))
    await settle()
    d.put(1, line('b'))
    d.cancel()
    d.put(2, line('c'))
    await clock.advance(10_000)
    expect(batches).toHaveLength(1)
    expect(clock.sleeping).toBe(0)
  })

  test('a failing flush is logged and the loop carries on', async () => {
    const {d, clock, entries} = debouncer(5000, {fail: true})
    d.put(0, line('a'))
    await settle()
    d.put(1, line('b'))
    await clock.advance(5000)
    expect(entries.filter((e) => e.level === 'ERROR')).toHaveLength(2)
    expect(entries[0]).toMatchObject({msg: 'console: flushing lines failed', writer: 'test'})
  })

  test('a wall clock stepping back delays a flush by at most one period', async () => {
    const {d, clock, batches} = debouncer(5000)
    d.put(0, line('a'))
    await settle()
    await clock.advance(5000) // the loop stops; its next token is due 10 s after the start
    clock.set(clock.now() - 3_600_000)
    d.put(1, line('b'))
    await settle()
    await clock.advance(4999)
    expect(batches).toHaveLength(1)
    await clock.advance(1)
    expect(batches).toHaveLength(2)
  })
})

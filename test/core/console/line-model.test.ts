import {describe, expect, test} from 'bun:test'
import {ConsoleLineModel, Terminal} from '../../../src/core/console/index.ts'
import type {ConsoleLine} from '../../../src/core/console/index.ts'
import {ManualClock} from '../../fakes/manual-clock.ts'

function model(options: {editableLines?: number; maxLineLength?: number} = {}) {
  const clock = new ManualClock()
  const changes: {n: number; content: string}[] = []
  const lines = new Map<number, ConsoleLine>()
  const m = new ConsoleLineModel({
    editableLines: options.editableLines ?? 32,
    maxLineLength: options.maxLineLength ?? 4096,
    clock,
    onChange: (n, line) => {
      changes.push({n, content: line.content})
      lines.set(n, line)
    },
  })
  return {m, clock, changes, lines}
}

describe('ConsoleLineModel', () => {
  test('numbers lines in creation order and reports each creation and each change', () => {
    const {m, changes} = model()
    const a = m.appendLine('', '')
    m.appendLine('', '', 'second')
    a.putChar('x', 0)
    expect(changes).toEqual([
      {n: 0, content: ''},
      {n: 1, content: 'second'},
      {n: 0, content: 'x'},
    ])
    expect(m.lineCount).toBe(2)
  })

  test('a write that changes nothing is not reported', () => {
    const {m, changes} = model()
    const a = m.appendLine('', '', 'ab')
    a.putChar('a', 0)
    expect(changes).toHaveLength(1)
  })

  test('only the newest lines stay editable', () => {
    const {m, lines} = model({editableLines: 32})
    const handles = Array.from({length: 40}, (_, i) => m.appendLine('', '', `line ${i}`))
    handles[7].putChar('X', 0)
    handles[8].putChar('X', 0)
    expect(lines.get(7)!.content).toBe('line 7')
    expect(lines.get(8)!.content).toBe('Xine 8')
  })

  test('terminal writes stop at 4096 code points per line', () => {
    const {m, lines} = model()
    new Terminal(m.supplier('', ''), 32).write(`${'💥'.repeat(4100)}\n`)
    expect([...lines.get(0)!.content]).toHaveLength(4096)
  })

  test('each line records the clock time of its creation, its stream prefix and its label', async () => {
    const {m, clock, lines} = model()
    const start = clock.now()
    const term = new Terminal(m.supplier('ERROR ', 'rank0'), 32)
    term.write('first\n')
    await clock.advance(1500)
    term.write('second')
    term.write('\rSECOND')
    expect(lines.get(0)).toMatchObject({prefix: 'ERROR ', label: 'rank0', createdAtMs: start})
    expect(lines.get(1)).toMatchObject({prefix: 'ERROR ', label: 'rank0', createdAtMs: start + 1500, content: 'SECOND'})
  })

  test('two terminals share the numbering, each keeping its own cursor', () => {
    const {m, lines} = model()
    const out = new Terminal(m.supplier('', ''), 32)
    const err = new Terminal(m.supplier('ERROR ', ''), 32)
    out.write('out ')
    err.write('err\n')
    out.write('more\n')
    err.write('err 2\n')
    expect([0, 1, 2].map((n) => [lines.get(n)!.prefix, lines.get(n)!.content])).toEqual([
      ['', 'out more'],
      ['ERROR ', 'err'],
      ['ERROR ', 'err 2'],
    ])
  })
})

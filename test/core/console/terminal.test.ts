import {describe, expect, test} from 'bun:test'
import {ConsoleLine, Terminal} from '../../../src/core/console/index.ts'
import type {LineSupplier} from '../../../src/core/console/index.ts'

/** Hands out plain lines (64 columns) and keeps them for inspection. */
class Lines implements LineSupplier {
  readonly lines: ConsoleLine[] = []
  nextLine(): ConsoleLine {
    const line = new ConsoleLine({prefix: '', label: '', createdAtMs: 0}, 64)
    this.lines.push(line)
    return line
  }
  get texts(): string[] {
    return this.lines.map((l) => l.content)
  }
}

function run(height: number, ...writes: string[]): string[] {
  const lines = new Lines()
  const term = new Terminal(lines, height)
  for (const w of writes) term.write(w)
  return lines.texts
}

describe('Terminal', () => {
  test('carriage return overwrites the line from column 0 and newline starts the next line', () => {
    expect(run(10, 'one\ntwo\rwh')).toEqual(['one', 'who'])
  })

  test('a progress bar redrawn with \\r leaves only its last state', () => {
    expect(run(10, '\r 10%|#   |', '\r 50%|##  |', '\r100%|####|', '\n', 'done\n')).toEqual(['100%|####|', 'done'])
  })

  test('cursor up and down move between lines, padding with spaces to the cursor column', () => {
    expect(run(10, 'one\ntwo', '\x1b[Arous\x1b[Btasks')).toEqual(['onerous', 'two    tasks'])
  })

  test('cursor up stops at the top of the view and old lines scroll out of reach', () => {
    expect(run(2, 'one\n', 'two\n', 'three\r\x1b[B', 'four\r', '\x1b[A\x1b[Amodified')).toEqual(['one', 'two', 'modified', 'four'])
  })

  test('cursor up at the first line stays on it', () => {
    expect(run(10, 'a\x1b[A\x1b[Ab')).toEqual(['ab'])
  })

  test('blank lines are created when writing below the last line', () => {
    expect(run(10, 'a\n\n\nb')).toEqual(['a', '', '', 'b'])
  })

  test('cursor down past the last line creates lines only when something is written', () => {
    expect(run(10, 'a\x1b[B\x1b[B')).toEqual(['a'])
    expect(run(10, 'a\x1b[B\x1b[Bb')).toEqual(['a', '', ' b'])
  })

  test('unknown escape sequences are printed verbatim, ESC byte included', () => {
    expect(run(10, '\x1b?', '\x1b[?')).toEqual(['\x1b?\x1b[?'])
  })

  test('colour codes are kept in the text', () => {
    expect(run(10, 'colour \x1b[31mred\x1b[0m end\n')).toEqual(['colour \x1b[31mred\x1b[0m end'])
  })

  test('a cursor sequence with a count is printed, not executed', () => {
    expect(run(10, 'a\nb\x1b[2Ac')).toEqual(['a', 'b\x1b[2Ac'])
  })

  test('an escape sequence split across writes is still recognised', () => {
    expect(run(10, 'one\ntwo', '\x1b', '[', 'A!')).toEqual(['one!', 'two'])
  })

  test('a control character right after ESC is printed as text instead of being executed', () => {
    expect(run(10, 'a\x1b\nb')).toEqual(['a\x1b\nb'])
  })

  test('multi-byte characters take one column each', () => {
    expect(run(10, 'héllo 💥 wörld\r💥💥')).toEqual(['💥💥llo 💥 wörld'])
  })

  test('half of a surrogate pair becomes U+FFFD and never throws', () => {
    const pair = '💥'
    expect(run(10, `a${pair[0]}`, `${pair[1]}b`)).toEqual(['a\uFFFD\uFFFDb'])
  })
})

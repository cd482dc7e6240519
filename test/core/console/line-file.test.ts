import {describe, expect, test} from 'bun:test'
import {readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {ConsoleFileError, LineFile} from '../../../src/core/console/index.ts'
import {tempDir} from './helpers.ts'

const lines = (entries: [number, string][]) => new Map(entries)

describe('LineFile', () => {
  test('create truncates an existing file', () => {
    using dir = tempDir()
    const path = join(dir.path, 'out.txt')
    writeFileSync(path, 'content\n')
    LineFile.create(path)
    expect(readFileSync(path, 'utf8')).toBe('')
  })

  test('appends lines and fills gaps with empty lines', () => {
    using dir = tempDir()
    const f = LineFile.create(join(dir.path, 'out.txt'))
    f.update(
      lines([
        [0, 'one'],
        [1, 'two'],
        [3, 'four'],
      ]),
    )
    expect(readFileSync(f.path, 'utf8')).toBe('one\ntwo\n\nfour\n')
    expect(f.lineCount).toBe(4)
  })

  test('rewrites earlier lines in place, keeping the unchanged ones, with multi-byte text', () => {
    using dir = tempDir()
    const f = LineFile.create(join(dir.path, 'out.txt'))
    f.update(
      lines([
        [0, 'one'],
        [1, 'two'],
        [3, 'four'],
      ]),
    )
    f.update(
      lines([
        [1, 'two 💥'],
        [2, 'three, added'],
        [6, 'seven, new'],
      ]),
    )
    expect(readFileSync(f.path, 'utf8')).toBe('one\ntwo 💥\nthree, added\nfour\n\n\nseven, new\n')
    f.update(lines([[0, 'é']]))
    expect(readFileSync(f.path, 'utf8')).toBe('é\ntwo 💥\nthree, added\nfour\n\n\nseven, new\n')
  })

  test('shortening a line truncates the file', () => {
    using dir = tempDir()
    const f = LineFile.create(join(dir.path, 'out.txt'))
    f.update(
      lines([
        [0, 'a long first line'],
        [1, 'x'],
      ]),
    )
    f.update(lines([[0, 'a']]))
    expect(readFileSync(f.path, 'utf8')).toBe('a\nx\n')
  })

  test('finds the start of a line across several read blocks', () => {
    using dir = tempDir()
    const f = LineFile.create(join(dir.path, 'out.txt'))
    const big = 'y'.repeat(20_000)
    f.update(
      lines([
        [0, 'head'],
        [1, big],
        [2, 'z'.repeat(9000)],
        [3, 'tail'],
      ]),
    )
    f.update(lines([[1, 'short']]))
    expect(readFileSync(f.path, 'utf8')).toBe(`head\nshort\n${'z'.repeat(9000)}\ntail\n`)
  })

  test('an empty update does not touch the file', () => {
    using dir = tempDir()
    const f = LineFile.create(join(dir.path, 'out.txt'))
    rmSync(f.path)
    expect(() => f.update(new Map())).not.toThrow()
  })

  test('a file removed behind its back fails with ConsoleFileError', () => {
    using dir = tempDir()
    const f = LineFile.create(join(dir.path, 'out.txt'))
    rmSync(f.path)
    expect(() => f.update(lines([[0, 'x']]))).toThrow(ConsoleFileError)
  })

  test('a file changed behind its back fails with ConsoleFileError instead of corrupting it', () => {
    using dir = tempDir()
    const f = LineFile.create(join(dir.path, 'out.txt'))
    f.update(
      lines([
        [0, 'a'],
        [1, 'b'],
      ]),
    )
    writeFileSync(f.path, 'only one line\n')
    expect(() => f.update(lines([[0, 'x']]))).toThrow(ConsoleFileError)
  })

  test('creating in a missing directory fails with ConsoleFileError', () => {
    using dir = tempDir()
    expect(() => LineFile.create(join(dir.path, 'missing', 'out.txt'))).toThrow(ConsoleFileError)
  })
})

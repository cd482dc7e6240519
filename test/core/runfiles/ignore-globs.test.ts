import {expect, test} from 'bun:test'
import {IgnoreGlobs, globToRegExp} from '../../../src/core/runfiles/index.ts'

const match = (pattern: string, name: string) => globToRegExp(pattern)?.test(name) ?? false

test('star and question mark do not cross a slash', () => {
  expect(match('*.txt', 'a.txt')).toBe(true)
  expect(match('*.txt', 'dir/a.txt')).toBe(false)
  expect(match('*/*.txt', 'dir/a.txt')).toBe(true)
  expect(match('a?c', 'abc')).toBe(true)
  expect(match('a?c', 'a/c')).toBe(false)
  expect(match('*', 'anything.here')).toBe(true)
})

test('the whole path must match, and regex characters are literal', () => {
  expect(match('a.txt', 'a.txt.bak')).toBe(false)
  expect(match('a.txt', 'aXtxt')).toBe(false)
  expect(match('f(1)+', 'f(1)+')).toBe(true)
})

test('classes, negated classes, ranges and escapes follow filepath.Match', () => {
  expect(match('[abc].log', 'b.log')).toBe(true)
  expect(match('[^abc].log', 'b.log')).toBe(false)
  expect(match('[^abc].log', 'd.log')).toBe(true)
  expect(match('file[0-9]', 'file7')).toBe(true)
  expect(match('file[0-9]', 'filex')).toBe(false)
  expect(match('\\*.txt', '*.txt')).toBe(true)
  expect(match('\\*.txt', 'a.txt')).toBe(false)
  expect(match('[\\]]', ']')).toBe(true)
})

test('malformed patterns match nothing', () => {
  for (const bad of ['[', '[]', '[a', 'a\\', '[z-a]', '[-a]']) expect(globToRegExp(bad)).toBeUndefined()
  expect(new IgnoreGlobs(['[', '*.tmp']).matches('x.tmp')).toBe(true)
  expect(new IgnoreGlobs(['[']).matches('[')).toBe(false)
})

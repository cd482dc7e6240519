import {describe, expect, test} from 'bun:test'
import {ShlexError, shlexQuote, shlexSplit} from '../../../src/core/credentials/shlex.ts'
import {oracle} from './helpers.ts'

const LINES = [
  'machine example.com',
  '  login user',
  '  password abc',
  'machine "quoted host" login \'x y\'',
  'machine a\\ b',
  'password "esc \\" quote" \'single \\ stays\'',
  '"a"\'b\'c',
  "''",
  '"" x',
  'tab\tsep\r',
  'unclosed "quote',
  "unclosed 'single",
  'trailing backslash \\',
  '"\\\\ and \\n"',
  'unicode ✓ token',
  '',
  '   ',
]

describe('shlexSplit', () => {
  test('splits a machine line into its tokens', () => {
    expect(shlexSplit('machine "my host" login \'u\'')).toEqual(['machine', 'my host', 'login', 'u'])
  })

  test('throws ShlexError for an unclosed quote', () => {
    expect(() => shlexSplit('machine "x')).toThrow(ShlexError)
  })

  test('gives the same tokens and errors as Python shlex.split for tricky lines', async () => {
    type Split = {tokens?: string[]; error?: string}
    const expected = await oracle<Split>('shlex_split', LINES)
    const actual = LINES.map((line): Split => {
      try {
        return {tokens: shlexSplit(line)}
      } catch (err) {
        return {error: (err as Error).message}
      }
    })
    expect(actual).toEqual(expected)
  }, 60_000)
})

describe('shlexQuote', () => {
  const VALUES = ['127.0.0.1:8080', 'api.wandb.ai', 'local-' + 'a'.repeat(40), '', 'has space', "it's", 'a$b', 'x@y%z+=:,./-', 'ü']

  test('leaves netlocs and keys unquoted', () => {
    expect(shlexQuote('127.0.0.1:8080')).toBe('127.0.0.1:8080')
    expect(shlexQuote('local-abc_DEF')).toBe('local-abc_DEF')
  })

  test('quotes exactly like Python shlex.quote', async () => {
    const expected = await oracle<{quoted: string}>('shlex_quote', VALUES)
    expect(VALUES.map((v) => shlexQuote(v))).toEqual(expected.map((e) => e.quoted))
  }, 60_000)
})

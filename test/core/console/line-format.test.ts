import {describe, expect, test} from 'bun:test'
import {formatLineTimestamp, legacyFormat, structuredFormat} from '../../../src/core/console/index.ts'

const T = Date.UTC(2024, 0, 2, 3, 4, 5, 123)
const stdout = {prefix: '', label: '', createdAtMs: T}
const stderr = {prefix: 'ERROR ', label: '', createdAtMs: T}

describe('formatLineTimestamp', () => {
  test('formats UTC with six fractional digits and no zone suffix', () => {
    expect(formatLineTimestamp(T)).toBe('2024-01-02T03:04:05.123000')
  })

  test('keeps microseconds of a fractional millisecond time', () => {
    expect(formatLineTimestamp(T + 0.456)).toBe('2024-01-02T03:04:05.123456')
  })

  test('pads every field with zeros', () => {
    expect(formatLineTimestamp(Date.UTC(987, 8, 7, 6, 5, 4, 3))).toBe('0987-09-07T06:05:04.003000')
  })

  test('the epoch formats as midnight 1970', () => {
    expect(formatLineTimestamp(0)).toBe('1970-01-01T00:00:00.000000')
  })
})

describe('legacyFormat', () => {
  test('a stdout line is the timestamp, a space and the content', () => {
    expect(legacyFormat(stdout, 'hello')).toBe('2024-01-02T03:04:05.123000 hello')
  })

  test('a stderr line starts with ERROR and a space', () => {
    expect(legacyFormat(stderr, 'oops')).toBe('ERROR 2024-01-02T03:04:05.123000 oops')
  })

  test('a label goes in brackets between the timestamp and the content', () => {
    expect(legacyFormat({...stderr, label: 'rank0'}, 'x')).toBe('ERROR 2024-01-02T03:04:05.123000 [rank0] x')
  })

  test('an empty line keeps the space after the timestamp', () => {
    expect(legacyFormat(stdout, '')).toBe('2024-01-02T03:04:05.123000 ')
  })
})

describe('structuredFormat', () => {
  test('a stdout line has ts and content only', () => {
    expect(structuredFormat(stdout, 'hi')).toBe('{"ts":"2024-01-02T03:04:05.123000","content":"hi"}')
  })

  test('a stderr line with a label has level, ts, label and content in that order', () => {
    expect(structuredFormat({...stderr, label: 'node-1'}, 'bad')).toBe('{"level":"error","ts":"2024-01-02T03:04:05.123000","label":"node-1","content":"bad"}')
  })

  test('escapes like Go encoding/json: HTML characters, line separators and control characters', () => {
    expect(structuredFormat(stdout, '<a> & "b"\u2028\u2029\x1b\t\n\b\f\x7f')).toBe(
      '{"ts":"2024-01-02T03:04:05.123000","content":"\\u003ca\\u003e \\u0026 \\"b\\"\\u2028\\u2029\\u001b\\t\\n\\b\\f\x7f"}',
    )
  })
})

/** The Go value model and Go's text forms that `leet inspect --summary` prints. */
import {describe, expect, test} from 'bun:test'
import {compactJson, encodeGoJson, goDurationSeconds, goQuote, goSprint, truncateValue} from '../../../src/core/leet/go-format.ts'
import {rfc3339NanoUtc, ZERO_TIME} from '../../../src/core/leet/go-time.ts'
import {decodeGoJson, GoJsonError} from '../../../src/core/leet/go-value.ts'

describe('decodeGoJson', () => {
  test('int64 integers stay integers, everything else is a float', () => {
    expect(decodeGoJson('1000000')).toBe(1000000n)
    expect(decodeGoJson('1000000.0')).toBe(1000000)
    expect(decodeGoJson('9223372036854775807')).toBe(9223372036854775807n)
    expect(decodeGoJson('9223372036854775808')).toBe(2 ** 63) // promoted to float64
    expect(decodeGoJson('[NaN, -Infinity, 1e400]')).toEqual([Number.NaN, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY])
    const obj = decodeGoJson('{"__proto__": {"a": [1, "x", null, true]}}') as Map<string, unknown>
    expect(obj).toBeInstanceOf(Map)
    expect((obj.get('__proto__') as Map<string, unknown>).get('a')).toEqual([1n, 'x', null, true])
  })

  test('bad JSON throws GoJsonError', () => {
    for (const bad of ['', '{', '[1,]', 'nope', '1 2', '"open']) expect(() => decodeGoJson(bad)).toThrow(GoJsonError)
  })
})

describe('Go text forms', () => {
  test('fmt %v of values and simplejsonext lists', () => {
    expect(goSprint(1796690937.247788)).toBe('1.796690937247788e+09')
    expect(goSprint(1000000n)).toBe('1000000')
    expect(goSprint(1e6)).toBe('1e+06')
    expect(goSprint(null)).toBe('<nil>')
    expect(goSprint(Number.POSITIVE_INFINITY)).toBe('+Inf')
    expect(compactJson([0.9, 0.99, Number.NaN, Number.NEGATIVE_INFINITY, 'a"\n'])).toBe('[0.9,0.99,NaN,-Infinity,"a\\"\\n"]')
    expect(truncateValue('x'.repeat(81), 80)).toBe(`${'x'.repeat(76)}...`)
    expect(truncateValue('x'.repeat(80), 80)).toBe('x'.repeat(80))
  })

  test('encoding/json: sorted keys, indent, no HTML escapes, non-finite as strings', () => {
    const v = new Map<string, any>([
      ['b', [1n, 2.5]],
      ['a', new Map([['<&>', Number.NaN]])],
      ['c', []],
      ['d', new Map()],
    ])
    expect(encodeGoJson(v, '  ')).toBe('{\n  "a": {\n    "<&>": "NaN"\n  },\n  "b": [\n    1,\n    2.5\n  ],\n  "c": [],\n  "d": {}\n}\n')
    expect(
      encodeGoJson(
        new Map<string, any>([
          ['x', 1e21],
          ['y', 1e-7],
          ['z', 1796691101.0286007],
        ]),
        '',
      ),
    ).toBe('{"x":1e+21,"y":1e-7,"z":1796691101.0286007}\n')
  })

  test('%q, durations and times', () => {
    expect(goQuote('a"b\\c\x01é')).toBe('"a\\"b\\\\c\\x01é"')
    expect(goDurationSeconds(0)).toBe('0s')
    expect(goDurationSeconds(601)).toBe('10m1s')
    expect(goDurationSeconds(3605)).toBe('1h0m5s')
    expect(rfc3339NanoUtc({seconds: 1796691101n, nanos: 35178000})).toBe('2026-12-08T00:51:41.035178Z')
    expect(rfc3339NanoUtc(ZERO_TIME)).toBe('0001-01-01T00:00:00Z')
  })
})

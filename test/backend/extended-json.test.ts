/** Tolerant parsing of wandb-core's extended JSON (bare NaN / Infinity / -Infinity). */
import {expect, test} from 'bun:test'
import {parseExtendedJson, tryParseExtendedJson} from './extended-json.ts'

test('bare non-finite literals become the strings "NaN", "Infinity", "-Infinity"', () => {
  expect(parseExtendedJson('{"a":NaN,"b":Infinity,"c":-Infinity,"d":[NaN, -Infinity],"e":{"f":+Infinity}}')).toEqual({
    a: 'NaN',
    b: 'Infinity',
    c: '-Infinity',
    d: ['NaN', '-Infinity'],
    e: {f: 'Infinity'},
  })
})

test('the words inside strings (and escaped quotes) are left alone', () => {
  expect(parseExtendedJson('{"NaN":"Infinity \\" NaN","x":NaN}')).toEqual({NaN: 'Infinity " NaN', x: 'NaN'})
})

test('plain JSON goes through unchanged; invalid JSON throws or falls back', () => {
  expect(parseExtendedJson('{"a":1.5,"b":[true,null]}')).toEqual({a: 1.5, b: [true, null]})
  expect(() => parseExtendedJson('{"a":nan}')).toThrow()
  expect(tryParseExtendedJson('{oops', {fallback: true})).toEqual({fallback: true})
  expect(tryParseExtendedJson(null, 7)).toBe(7)
})

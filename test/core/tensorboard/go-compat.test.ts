/**
 * Bytes that must equal Go core's: float32 digits (simplejsonext), Go strings of raw digests
 * (encoding/json), table-file JSON, and histogram rebinning — checked against outputs of Go code
 * stored in fixtures/go-oracle.json.
 */
import {describe, expect, test} from 'bun:test'
import {createHash} from 'node:crypto'
import {goFloat32Json, goFloat64Json, goStringFromBytes, HistogramError, histogramValueJson, reduceHistogram, simpleJsonString} from '../../../src/core/tensorboard/index.ts'
import oracle from './fixtures/go-oracle.json'

describe('float text', () => {
  test('float32 values have the shortest digits Go writes for them', () => {
    const view = new DataView(new ArrayBuffer(4))
    const mismatches = oracle.float32.filter(({bits, text}) => {
      view.setUint32(0, bits)
      return goFloat32Json(view.getFloat32(0)) !== text
    })
    expect(oracle.float32.length).toBeGreaterThan(70)
    expect(mismatches).toEqual([])
  })

  test('float64 values use Go g-formatting and bare non-finite literals', () => {
    expect([1, 1234567, 123456, 1e21, 1e-5, 0.0001, -0, Number.NaN, Infinity, -Infinity].map(goFloat64Json)).toEqual([
      '1',
      '1.234567e+06',
      '123456',
      '1e+21',
      '1e-05',
      '0.0001',
      '-0',
      'NaN',
      'Infinity',
      '-Infinity',
    ])
    expect(goFloat32Json(Number.NaN)).toBe('NaN')
    expect(goFloat32Json(Math.fround(-Infinity))).toBe('-Infinity')
  })
})

describe('Go strings', () => {
  test('raw sha256 digests read as Go encoding/json writes string(digest)', () => {
    for (const {input, json} of oracle.goStrings) {
      expect(goStringFromBytes(createHash('sha256').update(input).digest())).toBe(JSON.parse(json))
    }
  })

  test('each byte of a broken sequence becomes one U+FFFD; valid sequences are kept', () => {
    expect(goStringFromBytes(new Uint8Array([0xe4, 0xb8, 0x41]))).toBe('\ufffd\ufffdA')
    expect(goStringFromBytes(new Uint8Array([0xe4, 0xb8, 0xad, 0xf0, 0x9f, 0x98, 0x80, 0x00]))).toBe('中😀\u0000')
    expect(goStringFromBytes(new Uint8Array([0xed, 0xa0, 0x80, 0xc0, 0xaf]))).toBe('\ufffd'.repeat(5))
  })

  test('simplejsonext escapes only quotes, backslashes and control characters', () => {
    expect(simpleJsonString('a"b\\c\n\u0001<&>é')).toBe('"a\\"b\\\\c\\n\\u0001<&>é"')
  })
})

describe('histograms', () => {
  test('more than 512 bins are rebinned exactly as Go core rebins them', () => {
    const r = oracle.reduceHistogram
    const reduced = reduceHistogram(r.bins, r.inputEdges, r.inputWeights)
    expect(reduced.edges).toEqual(r.edges)
    expect(reduced.weights).toEqual(r.weights)
    expect(JSON.parse(histogramValueJson({edges: r.inputEdges, weights: r.inputWeights}))).toEqual({_type: 'histogram', bins: r.edges, values: r.weights})
  })

  test('rebinning keeps the total weight', () => {
    const edges = Array.from({length: 2001}, (_, i) => i / 7)
    const weights = Array.from({length: 2000}, (_, i) => (i % 13) + 1)
    const total = (xs: number[]) => xs.reduce((a, b) => a + b, 0)
    expect(total(reduceHistogram(512, edges, weights).weights)).toBeCloseTo(total(weights), 6)
  })

  test('a histogram with mismatched edges or a non-finite number is refused', () => {
    expect(() => histogramValueJson({edges: [0, 1], weights: [1, 2]})).toThrow(HistogramError)
    expect(() => histogramValueJson({edges: [0, Infinity], weights: [1]})).toThrow(HistogramError)
    expect(() => histogramValueJson({edges: [0, 1], weights: [Number.NaN]})).toThrow(HistogramError)
  })
})

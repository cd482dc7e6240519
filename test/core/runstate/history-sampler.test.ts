import {describe, expect, test} from 'bun:test'
import {HistoryItem} from '../../../src/core/proto.ts'
import {ReservoirSampler, RunHistory, RunHistorySampler, SAMPLES_PER_KEY} from '../../../src/core/runstate/index.ts'
import {seededRandom} from '../../helpers/seeded-random.ts'

function row(values: Record<string, string>): RunHistory {
  const h = new RunHistory()
  for (const [key, value_json] of Object.entries(values)) h.setFromItem(HistoryItem.create({key, value_json}))
  return h
}

describe('ReservoirSampler', () => {
  test('keeps every item while fewer than k have been seen', () => {
    const s = new ReservoirSampler<number>(5, seededRandom(1))
    for (const x of [3, 1, 2]) s.add(x)
    expect(s.sample()).toEqual([3, 1, 2])
  })

  test('keeps exactly k items of a long stream, a subset in stream order', () => {
    const s = new ReservoirSampler<number>(48, seededRandom(2))
    for (let i = 0; i < 10_000; i++) s.add(i)
    const sample = s.sample()
    expect(sample.length).toBe(48)
    expect(new Set(sample).size).toBe(48)
    expect([...sample].sort((a, b) => a - b)).toEqual(sample)
    expect(sample.some((x) => x >= 48)).toBe(true)
    expect(s.seen).toBe(10_000)
  })

  test('samples uniformly: each position of the stream is kept about k/n of the time', () => {
    const counts = new Array(100).fill(0)
    const random = seededRandom(3)
    for (let trial = 0; trial < 4000; trial++) {
      const s = new ReservoirSampler<number>(10, random)
      for (let i = 0; i < 100; i++) s.add(i)
      for (const x of s.sample()) counts[x]++
    }
    // Expected 400 per position; the first k and the last k must not be favoured.
    const firstTen = counts.slice(0, 10).reduce((a, b) => a + b, 0) / 10
    const lastTen = counts.slice(90).reduce((a, b) => a + b, 0) / 10
    expect(Math.abs(firstTen - 400)).toBeLessThan(60)
    expect(Math.abs(lastTen - 400)).toBeLessThan(60)
    expect(Math.min(...counts)).toBeGreaterThan(300)
  })

  test('rejects a size that is not a positive integer', () => {
    expect(() => new ReservoirSampler(0)).toThrow(RangeError)
  })
})

describe('RunHistorySampler', () => {
  test('samples numeric top-level values only, as float32, per key in first-seen order', () => {
    const s = new RunHistorySampler(seededRandom(4))
    s.sampleNext(row({b: '0.1', a: '{"nested":1}', text: '"x"', big: '2'}))
    s.sampleNext(row({a: '5', b: 'NaN', flag: 'true'}))
    expect(s.items().map((i) => [i.key, i.values_float])).toEqual([
      ['b', [Math.fround(0.1), Number.NaN]],
      ['big', [2]],
      ['a', [5]],
    ])
  })

  test(`keeps ${SAMPLES_PER_KEY} distinct logged values per key, in logging order`, () => {
    const s = new RunHistorySampler(seededRandom(5))
    for (let i = 0; i < 500; i++) s.sampleNext(row({x: String(i)}))
    const [item] = s.items()
    expect(item.values_float.length).toBe(SAMPLES_PER_KEY)
    expect(new Set(item.values_float).size).toBe(SAMPLES_PER_KEY)
    expect([...item.values_float].sort((a, b) => a - b)).toEqual(item.values_float)
    expect(item.values_float.every((v) => Number.isInteger(v) && v >= 0 && v < 500)).toBe(true)
  })
})

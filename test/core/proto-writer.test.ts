/** FastBinaryWriter writes the same bytes as protobuf-ts's BinaryWriter, edge cases included. */
import {describe, expect, test} from 'bun:test'
import {BinaryWriter, type IBinaryWriter, WireType} from '@protobuf-ts/runtime'
import {encodeMessage, FastBinaryWriter} from '../../src/core/proto-writer.ts'
import {build, HistoryItem, HistoryRecord, Record, RunRecord, ServerResponse, StatsRecord, StatsItem} from '../../src/core/proto.ts'

const same = <T extends object>(type: {toBinary(m: T, o?: object): Uint8Array}, message: T) => {
  const fast = encodeMessage(type, message)
  expect(Buffer.from(fast).toString('hex')).toBe(Buffer.from(type.toBinary(message)).toString('hex'))
  return fast
}

describe('FastBinaryWriter', () => {
  test('strings: empty, ASCII around the reserved-length boundaries, multi-byte, lone surrogates', () => {
    const texts = [
      '',
      'a',
      'x'.repeat(42),
      'x'.repeat(43),
      'x'.repeat(127),
      'x'.repeat(128),
      'x'.repeat(16_383),
      'x'.repeat(16_384),
      'x'.repeat(70_000),
      'é'.repeat(64),
      '日本語'.repeat(50),
      '😀'.repeat(40),
      'a\uD800b',
      '\uDC00',
    ]
    for (const t of texts) same(HistoryItem, build(HistoryItem, {key: t, nested_key: [t, 'k'], value_json: t}))
  })

  test('nested messages whose length needs 1, 2, 3 varint bytes, and deep nesting', () => {
    for (const n of [0, 1, 5, 20, 200, 3000]) {
      const items = Array.from({length: n}, (_, i) => build(HistoryItem, {key: `metric_${i}`, value_json: String(i * 0.1)}))
      same(Record, build(Record, {num: BigInt(n), record_type: {oneofKind: 'history', history: build(HistoryRecord, {item: items})}}))
    }
  })

  test('integers: negative int32, int64 extremes, and doubles NaN / -0 / Infinity', () => {
    for (const num of [0n, 1n, 127n, 128n, 2n ** 31n, 2n ** 53n + 1n, 2n ** 63n - 1n, -1n, -(2n ** 63n)]) same(Record, build(Record, {num}))
    for (const value of [0, -0, 1.5, Number.NaN, Number.POSITIVE_INFINITY, -1e308, 5e-324]) {
      same(StatsRecord, build(StatsRecord, {item: [build(StatsItem, {key: 'k', value_json: String(value)})], stats_type: 0}))
    }
    const run = RunRecord.create({run_id: 'abc', starting_step: 9_007_199_254_740_993n, runtime: -5, resumed: true})
    same(RunRecord, run)
    same(ServerResponse, ServerResponse.create({request_id: 'r'.repeat(300)}))
  })

  test('every scalar method matches BinaryWriter, called directly', () => {
    const ops = (w: IBinaryWriter) => {
      w.tag(1, WireType.Varint).int32(-7).tag(2, WireType.Varint).sint32(-2_000_000_000).tag(3, WireType.Bit32).fixed32(4_000_000_000)
      w.tag(4, WireType.Bit32)
        .sfixed32(-9)
        .tag(5, WireType.Bit32)
        .float(1.25)
        .tag(6, WireType.Bit64)
        .fixed64(2n ** 64n - 1n)
      w.tag(7, WireType.Bit64)
        .sfixed64(-3n)
        .tag(8, WireType.Varint)
        .sint64(-(2n ** 40n))
        .tag(9, WireType.Varint)
        .sint64(2n ** 62n)
      w.tag(10, WireType.Varint).uint64('18446744073709551615').tag(11, WireType.Varint).bool(true)
      w.tag(12, WireType.LengthDelimited).bytes(new Uint8Array(300).fill(7))
      w.tag(13, WireType.LengthDelimited).fork().tag(1, WireType.LengthDelimited).fork().string('inner').join().join()
      return w.finish()
    }
    expect(Buffer.from(ops(new FastBinaryWriter())).toString('hex')).toBe(Buffer.from(ops(new BinaryWriter())).toString('hex'))
  })

  test('a writer is reusable after finish, and rejects an unbalanced join or finish', () => {
    const w = new FastBinaryWriter()
    w.tag(1, WireType.Varint).uint32(5)
    const first = w.finish()
    w.tag(1, WireType.Varint).uint32(5)
    expect(w.finish()).toEqual(first)
    expect(() => w.join()).toThrow('fork stack empty')
    w.fork()
    expect(() => w.finish()).toThrow('fork stack not empty')
  })
})

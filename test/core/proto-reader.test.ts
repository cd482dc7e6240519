/** FastBinaryReader reads the same messages as protobuf-ts's BinaryReader, odd strings included. */
import {expect, test} from 'bun:test'
import {decodeMessage} from '../../src/core/proto-reader.ts'
import {build, HistoryItem, HistoryRecord, Record} from '../../src/core/proto.ts'

const record = (texts: string[]) => Record.toBinary(build(Record, {record_type: {oneofKind: 'history', history: build(HistoryRecord, {
  item: texts.map((t) => build(HistoryItem, {key: t, nested_key: [t, 'x'], value_json: t})),
})}}))

test('strings: empty, ASCII at and past the fast-path length, multi-byte, emoji', () => {
  const texts = ['', 'a', 'k'.repeat(63), 'k'.repeat(64), 'k'.repeat(65), 'k'.repeat(5000), 'aé', 'é'.repeat(10), '日本', '😀x', `${'a'.repeat(63)}é`]
  const bytes = record(texts)
  expect(decodeMessage(Record, bytes)).toEqual(Record.fromBinary(bytes))
  const items = (decodeMessage(Record, bytes).record_type as {history: HistoryRecord}).history.item
  expect(items.map((i) => i.key)).toEqual(texts)
})

test('invalid UTF-8 is an error and a BOM is kept, exactly as with the stock reader', () => {
  for (const bad of [[0x61, 0xff, 0x62], [0xc3], [0xe2, 0x82], Array(70).fill(0x80)]) {
    // field 1 (key) of a HistoryItem: tag 0x0a, length, bytes
    const bytes = new Uint8Array([0x0a, bad.length, ...bad])
    expect(() => HistoryItem.fromBinary(bytes)).toThrow()
    expect(() => decodeMessage(HistoryItem, bytes)).toThrow()
  }
  const bom = new Uint8Array([0x0a, 4, 0xef, 0xbb, 0xbf, 0x61])
  expect(decodeMessage(HistoryItem, bom)).toEqual(HistoryItem.fromBinary(bom))
  expect(decodeMessage(HistoryItem, bom).key).toBe('\uFEFFa')
})

test('a string running past the end is an error, as with the stock reader', () => {
  const bytes = new Uint8Array([0x0a, 10, 0x61])
  expect(() => HistoryItem.fromBinary(bytes)).toThrow()
  expect(() => decodeMessage(HistoryItem, bytes)).toThrow()
})

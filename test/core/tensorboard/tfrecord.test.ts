/** TFRecord framing: CRC-32C and its mask, and what readFrame says about whole, short and corrupt frames. */
import {describe, expect, test} from 'bun:test'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {crc32c, decodeEvent, maskedCrc32c, readFrame} from '../../../src/core/tensorboard/index.ts'
import {extractFixture, tempDir} from './helpers.ts'
import {eventBytes, frame} from './tfevents-writer.ts'

describe('CRC-32C', () => {
  test('matches the Castagnoli check value and known vectors', () => {
    expect(crc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283)
    expect(crc32c(new Uint8Array(0))).toBe(0)
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa) // RFC 3720 B.4: 32 bytes of zeros
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43) // RFC 3720 B.4: 32 bytes of 0xff
  })

  test('continues across chunks as over the whole input', () => {
    const data = new TextEncoder().encode('the quick brown fox jumps over the lazy dog, twice over')
    expect(crc32c(data.subarray(13), crc32c(data.subarray(0, 13)))).toBe(crc32c(data))
  })

  test('masked values are the ones TensorFlow wrote in real tfevents files', () => {
    const dir = tempDir()
    try {
      extractFixture(dir.path)
      const bytes = readFileSync(join(dir.path, 'tb/run1/events.out.tfevents.1795746194.vm.416.0'))
      let offset = 0
      let records = 0
      while (offset < bytes.length) {
        const f = readFrame(bytes, offset)
        if (f.kind !== 'record') throw new Error(`frame at ${offset}: ${f.kind}`)
        offset += f.size
        records++
      }
      expect(records).toBe(217)
      expect(maskedCrc32c(bytes.subarray(0, 8))).toBe(new DataView(bytes.buffer, bytes.byteOffset).getUint32(8, true))
    } finally {
      dir.dispose()
    }
  })
})

describe('readFrame', () => {
  const data = eventBytes({wallTime: 1.5, step: 3, values: [{tag: 'loss', simple: 0.5}]})
  const whole = frame(data)

  test('returns an intact record with the bytes it occupies', () => {
    const f = readFrame(whole)
    expect(f).toEqual({kind: 'record', data, size: 12 + data.length + 4})
    if (f.kind === 'record') expect(decodeEvent(f.data).step).toBe(3n)
  })

  test('reads a frame at an offset inside a larger buffer', () => {
    const two = new Uint8Array([...whole, ...whole])
    expect(readFrame(two, whole.length).kind).toBe('record')
  })

  test('a buffer ending inside the length is incomplete with no size known yet', () => {
    expect(readFrame(whole.subarray(0, 11))).toEqual({kind: 'incomplete', needed: undefined})
  })

  test('a buffer ending inside the data or its checksum is incomplete with the size needed', () => {
    expect(readFrame(whole.subarray(0, 20))).toEqual({kind: 'incomplete', needed: whole.length})
    expect(readFrame(whole.subarray(0, whole.length - 1))).toEqual({kind: 'incomplete', needed: whole.length})
  })

  test('a damaged length is reported as such (where the next record starts is unknown)', () => {
    const bad = whole.slice()
    bad[0] ^= 0x01
    expect(readFrame(bad).kind).toBe('corrupt-length')
  })

  test('damaged data is reported with the frame size, so that it can be skipped', () => {
    const bad = whole.slice()
    bad[14] ^= 0x40
    const f = readFrame(bad)
    expect(f.kind).toBe('corrupt-data')
    if (f.kind === 'corrupt-data') expect(f.size).toBe(whole.length)
  })
})

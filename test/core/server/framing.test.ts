import {describe, expect, test} from 'bun:test'
import {encodeFrame, FrameDecoder} from '../../../src/core/server/index.ts'
import {ProtocolError} from '../../../src/core/errors.ts'

const payload = (n: number, seed = 0) => Uint8Array.from({length: n}, (_, i) => (i + seed) & 0xff)

describe('frame codec', () => {
  test('a frame is W, a little-endian length, then the payload', () => {
    expect([...encodeFrame(Uint8Array.of(1, 2, 3))]).toEqual([0x57, 3, 0, 0, 0, 1, 2, 3])
  })

  test('frames split across chunks at every byte are reassembled', () => {
    const frames = [payload(0), payload(1), payload(300, 5), payload(70_000, 9)]
    const wire = Buffer.concat(frames.map((f) => encodeFrame(f)))
    for (const step of [1, 2, 5, 4096]) {
      const d = new FrameDecoder()
      const got: Uint8Array[] = []
      for (let i = 0; i < wire.length; i += step) got.push(...d.push(wire.subarray(i, i + step)))
      expect(got.map((g) => [...g].length)).toEqual(frames.map((f) => f.length))
      expect(Buffer.from(got[3]).equals(Buffer.from(frames[3]))).toBe(true)
      expect(d.pending).toBe(0)
    }
  })

  test('a bad magic byte is a ProtocolError', () => {
    const d = new FrameDecoder()
    expect(() => d.push(Uint8Array.of(0x58, 0, 0, 0, 0))).toThrow(ProtocolError)
    expect(() => d.push(Uint8Array.of(0x57))).toThrow(/already failed/)
  })

  test('an absurd length is refused before buffering it', () => {
    const d = new FrameDecoder()
    expect(() => d.push(Uint8Array.of(0x57, 0xff, 0xff, 0xff, 0xff))).toThrow(/larger than/)
  })
})

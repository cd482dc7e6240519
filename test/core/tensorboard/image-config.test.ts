/** Image headers: format and size as Go's image.DecodeConfig reports them, and malformed input refused. */
import {describe, expect, test} from 'bun:test'
import {crc32} from 'node:zlib'
import {decodeImageConfig, ImageFormatError} from '../../../src/core/tensorboard/index.ts'
import {png} from './tfevents-writer.ts'

function bytes(...parts: (number[] | string)[]): Uint8Array {
  return Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)))
}
const u16le = (n: number) => [n & 0xff, n >> 8]
const u32le = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff]

describe('decodeImageConfig', () => {
  test('reads PNG size from IHDR', () => {
    expect(decodeImageConfig(png(17, 3))).toEqual({format: 'png', width: 17, height: 3})
  })

  test('refuses a PNG whose IHDR checksum is wrong or whose size is zero', () => {
    const bad = png(4, 4).slice()
    bad[29] ^= 1
    expect(() => decodeImageConfig(bad)).toThrow('png: invalid checksum')
    const zero = png(1, 1).slice()
    zero.set([0, 0, 0, 0], 16)
    new DataView(zero.buffer).setUint32(29, crc32(zero.subarray(12, 29)) >>> 0)
    expect(() => decodeImageConfig(zero)).toThrow('png: non-positive dimension')
  })

  test('a paletted PNG needs its PLTE chunk before the data', () => {
    const chunk = (type: string, data: number[]) => {
      const body = bytes(type, data)
      const crc = crc32(body) >>> 0
      return [...u32be(data.length), ...body, ...u32be(crc)]
    }
    const u32be = (n: number) => [(n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff]
    const ihdr = chunk('IHDR', [...u32be(2), ...u32be(2), 8, 3, 0, 0, 0])
    const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
    const plte = chunk('PLTE', [0, 0, 0, 255, 255, 255])
    expect(decodeImageConfig(Uint8Array.from([...sig, ...ihdr, ...plte, ...chunk('IDAT', [1])]))).toEqual({format: 'png', width: 2, height: 2})
    expect(decodeImageConfig(Uint8Array.from([...sig, ...ihdr, ...chunk('tEXt', [65]), ...plte, ...chunk('tRNS', [0])]))).toEqual({format: 'png', width: 2, height: 2})
    expect(() => decodeImageConfig(Uint8Array.from([...sig, ...ihdr, ...plte]))).toThrow('png: unexpected end of data')
    expect(() => decodeImageConfig(Uint8Array.from([...sig, ...ihdr, ...chunk('IDAT', [1])]))).toThrow('png: chunk out of order')
  })

  test('reads JPEG size from the SOF segment: at once after a JFIF header, else once SOS comes', () => {
    const jfif = [0xff, 0xe0, 0, 7, ...bytes('JFIF\x00')]
    const other = [0xff, 0xe0, 0, 4, 0, 0]
    const sof0 = [0xff, 0xc0, 0, 17, 8, 0, 40, 1, 0x2c, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]
    const sos = [0xff, 0xda, 0, 2]
    expect(decodeImageConfig(Uint8Array.from([0xff, 0xd8, ...jfif, ...sof0]))).toEqual({format: 'jpeg', width: 300, height: 40})
    expect(decodeImageConfig(Uint8Array.from([0xff, 0xd8, ...other, ...sof0, ...sos]))).toEqual({format: 'jpeg', width: 300, height: 40})
    expect(() => decodeImageConfig(Uint8Array.from([0xff, 0xd8, ...other, ...sof0]))).toThrow('jpeg: unexpected end of data')
    expect(() => decodeImageConfig(Uint8Array.from([0xff, 0xd8, ...sos]))).toThrow('jpeg: missing SOF marker')
    expect(() => decodeImageConfig(Uint8Array.from([0xff, 0xd8, 0xff, 0xc3, 0, 2]))).toThrow(ImageFormatError)
  })

  test('reads GIF and BMP logical sizes', () => {
    expect(decodeImageConfig(bytes('GIF89a', u16le(320), u16le(200), [0, 0, 0]))).toEqual({format: 'gif', width: 320, height: 200})
    const info = [...u32le(40), ...u32le(6), ...u32le(-3 >>> 0), ...u16le(1), ...u16le(24), ...u32le(0), ...new Array(20).fill(0)]
    expect(decodeImageConfig(bytes('BM', u32le(0), u32le(0), u32le(54), info))).toEqual({format: 'bmp', width: 6, height: 3})
  })

  test('reads WebP sizes from VP8L and VP8X headers', () => {
    const vp8l = bytes('RIFF', u32le(4 + 8 + 6), 'WEBPVP8L', u32le(5), [0x2f], u32le((99 & 0x3fff) | ((49 & 0x3fff) << 14)), [0])
    expect(decodeImageConfig(vp8l)).toEqual({format: 'webp', width: 100, height: 50})
    const vp8x = bytes('RIFF', u32le(4 + 8 + 10), 'WEBPVP8X', u32le(10), [0, 0, 0, 0], [199, 0, 0], [9, 1, 0])
    expect(decodeImageConfig(vp8x)).toEqual({format: 'webp', width: 200, height: 266})
    expect(() => decodeImageConfig(bytes('RIFF', u32le(0), 'WEBPVP8X', u32le(10), [0, 0, 0, 0], [199, 0, 0], [9, 1, 0]))).toThrow(ImageFormatError)
  })

  test('refuses unknown formats and truncated headers', () => {
    expect(() => decodeImageConfig(bytes('not an image'))).toThrow('image: unknown format')
    expect(() => decodeImageConfig(png(3, 3).subarray(0, 20))).toThrow('png: unexpected end of data')
    expect(() => decodeImageConfig(bytes('GIF87a', [1]))).toThrow('gif: unexpected end of data')
  })
})

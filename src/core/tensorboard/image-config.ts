/**
 * The format and size of an encoded image, read from its header the way Go's
 * `image.DecodeConfig` does in wandb-core (formats registered there: png, jpeg, gif, bmp, webp;
 * tiff is also registered in Go but is not read here). Only the header is examined, with the
 * checks Go's decoders make before they report a size.
 */
import {crc32} from 'node:zlib'
import {WandbError} from '../errors.ts'

/** The bytes are not an image of a known format, or their header is malformed or unsupported. */
export class ImageFormatError extends WandbError {
  override name = 'ImageFormatError'
}

export interface ImageConfig {
  /** Go's format name, also the file extension: png, jpeg, gif, bmp, webp. */
  format: string
  width: number
  height: number
}

/** Reads the format and size; throws ImageFormatError. */
export function decodeImageConfig(data: Uint8Array): ImageConfig {
  const starts = (magic: string, at = 0) => magic.length + at <= data.length && [...magic].every((c, i) => c === '?' || data[at + i] === c.charCodeAt(0))
  if (starts('\x89PNG\r\n\x1a\n')) return png(data)
  if (starts('\xff\xd8')) return jpeg(data)
  if (starts('GIF8?a')) return gif(data)
  if (starts('BM????\x00\x00\x00\x00')) return bmp(data)
  if (starts('RIFF????WEBPVP8')) return webp(data)
  throw new ImageFormatError('image: unknown format')
}

function view(data: Uint8Array): DataView {
  return new DataView(data.buffer, data.byteOffset, data.byteLength)
}

function need(data: Uint8Array, end: number, format: string): void {
  if (data.length < end) throw new ImageFormatError(`${format}: unexpected end of data`)
}

/** Valid (colour type → bit depths) pairs of the PNG specification. */
const PNG_DEPTHS: {[colorType: number]: number[]} = {0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16]}
const PNG_PALETTED = 3

/**
 * PNG: the IHDR chunk; a paletted image's config also holds its palette, so Go reads on until
 * the chunk after PLTE (tRNS or the first IDAT, whose data it does not read).
 */
function png(data: Uint8Array): ImageConfig {
  const v = view(data)
  let offset = 8
  const header = () => {
    need(data, offset + 8, 'png')
    return {length: v.getUint32(offset), type: String.fromCharCode(...data.subarray(offset + 4, offset + 8))}
  }
  const body = (length: number) => {
    need(data, offset + 12 + length, 'png')
    if (crc32(data.subarray(offset + 4, offset + 8 + length)) >>> 0 !== v.getUint32(offset + 8 + length)) throw new ImageFormatError('png: invalid checksum')
    const out = data.subarray(offset + 8, offset + 8 + length)
    offset += 12 + length
    return out
  }
  const ihdrHeader = header()
  if (ihdrHeader.type !== 'IHDR') throw new ImageFormatError('png: chunk out of order')
  if (ihdrHeader.length !== 13) throw new ImageFormatError('png: bad IHDR length')
  const ihdr = body(13)
  const h = view(ihdr)
  const width = h.getInt32(0)
  const height = h.getInt32(4)
  const depth = ihdr[8]
  const colorType = ihdr[9]
  if (ihdr[10] !== 0 || ihdr[11] !== 0 || ihdr[12] > 1) throw new ImageFormatError('png: unsupported compression, filter or interlace method')
  if (width <= 0 || height <= 0) throw new ImageFormatError('png: non-positive dimension')
  if (!PNG_DEPTHS[colorType]?.includes(depth)) throw new ImageFormatError(`png: unsupported bit depth ${depth} for color type ${colorType}`)
  if (colorType === PNG_PALETTED) {
    let paletteSize = 0
    for (;;) {
      const {type, length} = header()
      if (type === 'IDAT' && paletteSize > 0) break
      if (type === 'IHDR' || type === 'IEND' || type === 'IDAT' || (type === 'PLTE' && paletteSize > 0) || (type === 'tRNS' && paletteSize === 0)) {
        throw new ImageFormatError('png: chunk out of order')
      }
      if (length > 0x7fffffff) throw new ImageFormatError(`png: bad chunk length ${length}`)
      const chunk = body(length)
      if (type === 'PLTE') {
        paletteSize = chunk.length / 3
        if (chunk.length % 3 !== 0 || paletteSize === 0 || paletteSize > Math.min(256, 2 ** depth)) throw new ImageFormatError('png: bad PLTE length')
      } else if (type === 'tRNS') {
        if (chunk.length > paletteSize) throw new ImageFormatError('png: bad tRNS length')
        break
      }
    }
  }
  return {format: 'png', width, height}
}

/**
 * JPEG: the size from the SOF0/1/2 segment. Go returns right after it when a JFIF APP0 came
 * before, else reads on to the SOS segment (an Adobe APP14 may still change the colour model).
 */
function jpeg(data: Uint8Array): ImageConfig {
  const v = view(data)
  let offset = 2
  let size: {width: number; height: number} | undefined
  let jfif = false
  const byte = () => {
    need(data, offset + 1, 'jpeg')
    return data[offset++]
  }
  for (;;) {
    let b0 = byte()
    let marker = byte()
    while (b0 !== 0xff) {
      // Extraneous bytes between segments are skipped, as libjpeg and Go do.
      b0 = marker
      marker = byte()
    }
    if (marker === 0x00) continue // an escaped 0xff in entropy-coded data
    while (marker === 0xff) marker = byte() // fill bytes
    if (marker === 0xd9) throw new ImageFormatError('jpeg: missing SOS marker')
    if (marker >= 0xd0 && marker <= 0xd7) continue // RSTn carry no length
    need(data, offset + 2, 'jpeg')
    const length = v.getUint16(offset) - 2
    offset += 2
    if (length < 0) throw new ImageFormatError('jpeg: short segment length')
    need(data, offset + length, 'jpeg')
    const segment = data.subarray(offset, offset + length)
    offset += length
    if (marker === 0xc0 || marker === 0xc1 || marker === 0xc2) {
      if (size) throw new ImageFormatError('jpeg: multiple SOF markers')
      if (length !== 6 + 3 * 1 && length !== 6 + 3 * 3 && length !== 6 + 3 * 4) throw new ImageFormatError('jpeg: unsupported number of components')
      if (segment[0] !== 8) throw new ImageFormatError('jpeg: unsupported precision')
      if (segment[5] !== (length - 6) / 3) throw new ImageFormatError('jpeg: SOF has wrong length')
      size = {width: (segment[3] << 8) | segment[4], height: (segment[1] << 8) | segment[2]}
      if (jfif) return {format: 'jpeg', ...size}
    } else if (marker === 0xda) {
      if (!size) throw new ImageFormatError('jpeg: missing SOF marker')
      return {format: 'jpeg', ...size}
    } else if (marker === 0xe0) {
      if (length >= 5 && String.fromCharCode(...segment.subarray(0, 5)) === 'JFIF\x00') jfif = true
    } else if (!(marker === 0xc4 || marker === 0xdb || marker === 0xdd || (marker >= 0xe1 && marker <= 0xef) || marker === 0xfe)) {
      throw new ImageFormatError(`jpeg: unknown marker 0x${marker.toString(16)}`)
    }
  }
}

function gif(data: Uint8Array): ImageConfig {
  need(data, 13, 'gif')
  const v = view(data)
  const flags = data[10]
  if (flags & 0x80) need(data, 13 + 3 * (1 << ((flags & 7) + 1)), 'gif')
  return {format: 'gif', width: v.getUint16(6, true), height: v.getUint16(8, true)}
}

function bmp(data: Uint8Array): ImageConfig {
  need(data, 18, 'bmp')
  const v = view(data)
  const offset = v.getUint32(10, true)
  const infoLength = v.getUint32(14, true)
  if (infoLength !== 40 && infoLength !== 108 && infoLength !== 124) throw new ImageFormatError('bmp: unsupported BMP image')
  need(data, 14 + infoLength, 'bmp')
  const width = v.getInt32(18, true)
  let height = v.getInt32(22, true)
  if (height < 0) height = -height
  const planes = v.getUint16(26, true)
  const bpp = v.getUint16(28, true)
  const compression = v.getUint32(30, true)
  if (width < 0 || height < 0 || planes !== 1) throw new ImageFormatError('bmp: unsupported BMP image')
  const plain = 14 + infoLength
  const ok =
    (bpp === 8 && compression === 0 && offset === plain + 256 * 4) ||
    (bpp === 24 && compression === 0 && offset === plain) ||
    (bpp === 32 && (compression === 0 || compression === 3) && offset === plain)
  if (!ok) throw new ImageFormatError('bmp: unsupported BMP image')
  return {format: 'bmp', width, height}
}

/** WebP: the RIFF chunks up to the first VP8X, VP8 or VP8L one, which holds the size. */
function webp(data: Uint8Array): ImageConfig {
  const v = view(data)
  const riffEnd = Math.min(data.length, 8 + v.getUint32(4, true))
  if (v.getUint32(4, true) < 4) throw new ImageFormatError('webp: short RIFF chunk data')
  let offset = 12
  for (;;) {
    if (offset + 8 > riffEnd) throw new ImageFormatError('webp: invalid format')
    const id = String.fromCharCode(...data.subarray(offset, offset + 4))
    const length = v.getUint32(offset + 4, true)
    const start = offset + 8
    if (start + length > riffEnd) throw new ImageFormatError('webp: short chunk data')
    const chunk = data.subarray(start, start + length)
    offset = start + length + (length & 1)
    // ALPH is valid only after a VP8X chunk, which already gives the size.
    if (id === 'ALPH') {
      throw new ImageFormatError('webp: invalid format')
    } else if (id === 'VP8 ') {
      if (chunk.length < 10) throw new ImageFormatError('webp: invalid format')
      if (chunk[3] !== 0x9d || chunk[4] !== 0x01 || chunk[5] !== 0x2a) throw new ImageFormatError('webp: invalid VP8 start code')
      const c = view(chunk)
      return {format: 'webp', width: c.getUint16(6, true) & 0x3fff, height: c.getUint16(8, true) & 0x3fff}
    } else if (id === 'VP8L') {
      if (chunk.length < 5) throw new ImageFormatError('webp: invalid format')
      if (chunk[0] !== 0x2f) throw new ImageFormatError('webp: invalid VP8L header')
      const bits = view(chunk).getUint32(1, true)
      if (bits >>> 29 !== 0) throw new ImageFormatError('webp: invalid VP8L version')
      return {format: 'webp', width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1}
    } else if (id === 'VP8X') {
      if (length !== 10) throw new ImageFormatError('webp: invalid format')
      const width = (chunk[4] | (chunk[5] << 8) | (chunk[6] << 16)) + 1
      const height = (chunk[7] | (chunk[8] << 8) | (chunk[9] << 16)) + 1
      return {format: 'webp', width, height}
    }
  }
}

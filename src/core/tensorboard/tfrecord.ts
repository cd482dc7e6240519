/**
 * TFRecord framing, the container of tfevents files (all integers little-endian):
 *
 *   uint64 length | uint32 masked CRC-32C of the 8 length bytes | length bytes of data |
 *   uint32 masked CRC-32C of the data
 *
 * `readFrame` looks at one frame in a buffer without copying and says what it found; deciding what
 * to do about a short or corrupt frame (wait for more bytes, retry, skip) is the reader's job.
 */
import {maskedCrc32c} from './crc32c.ts'

/** Bytes before a record's data: the length and its checksum. */
export const FRAME_HEADER_BYTES = 12
/** Bytes after a record's data: the data checksum. */
export const FRAME_FOOTER_BYTES = 4

/** What `readFrame` found at an offset. */
export type Frame =
  /** A whole, intact record; `size` is the number of bytes the frame occupies. */
  | {kind: 'record'; data: Uint8Array; size: number}
  /** The buffer ends inside the frame (`needed` bytes in all, counted from the offset, once the length is known). */
  | {kind: 'incomplete'; needed: number | undefined}
  /** The length's checksum is wrong: the record's size, and so where the next one starts, is unknown. */
  | {kind: 'corrupt-length'; expected: number; computed: number}
  /** The data's checksum is wrong; the frame's `size` is known, so the record can be skipped. */
  | {kind: 'corrupt-data'; expected: number; computed: number; size: number}

/** Examines the frame starting at `offset` in `buf` (see Frame). Never throws. */
export function readFrame(buf: Uint8Array, offset = 0): Frame {
  const available = buf.length - offset
  if (available < FRAME_HEADER_BYTES) return {kind: 'incomplete', needed: undefined}
  const view = new DataView(buf.buffer, buf.byteOffset + offset, available)
  const lengthBytes = buf.subarray(offset, offset + 8)
  const expectedLengthCrc = view.getUint32(8, true)
  const computedLengthCrc = maskedCrc32c(lengthBytes)
  if (expectedLengthCrc !== computedLengthCrc) return {kind: 'corrupt-length', expected: expectedLengthCrc, computed: computedLengthCrc}
  const length = view.getUint32(4, true) * 2 ** 32 + view.getUint32(0, true)
  const size = FRAME_HEADER_BYTES + length + FRAME_FOOTER_BYTES
  if (available < size) return {kind: 'incomplete', needed: size}
  const data = buf.subarray(offset + FRAME_HEADER_BYTES, offset + FRAME_HEADER_BYTES + length)
  const expected = view.getUint32(FRAME_HEADER_BYTES + length, true)
  const computed = maskedCrc32c(data)
  if (expected !== computed) return {kind: 'corrupt-data', expected, computed, size}
  return {kind: 'record', data, size}
}

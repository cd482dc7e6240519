/**
 * The `.wandb` transaction-log format: the LevelDB log format behind a 7-byte W&B header.
 *
 * - File header (offset 0): ":W&B" (3A 57 26 42), magic 0xBEE1 little-endian (E1 BE), version 0.
 * - The file is cut into 32 KiB blocks counted from offset 0 (the header eats into block 0).
 * - Each chunk: crc32 u32 LE | length u16 LE | type u8 | payload. A chunk never crosses a block
 *   boundary; fewer than 7 bytes left in a block are zero-filled. A record (one protobuf Record)
 *   is one FULL chunk, or FIRST, MIDDLE*, LAST.
 * - CRC is plain CRC-32/IEEE (zlib) of type byte ‖ payload, NOT LevelDB's masked CRC-32C.
 * - The last block is not padded.
 */
import {crc32} from 'node:zlib'

export const HEADER = Uint8Array.of(0x3a, 0x57, 0x26, 0x42, 0xe1, 0xbe, 0x00)
export const HEADER_SIZE = HEADER.length
export const BLOCK_SIZE = 32 * 1024
export const CHUNK_HEADER_SIZE = 7

export const ChunkType = {FULL: 1, FIRST: 2, MIDDLE: 3, LAST: 4} as const
export type ChunkTypeValue = (typeof ChunkType)[keyof typeof ChunkType]

/** crc32 of the single type byte, the seed for each chunk's checksum. */
const TYPE_SEED = [0, 1, 2, 3, 4].map((t) => crc32(Uint8Array.of(t)))

/** The checksum stored in a chunk header: CRC-32/IEEE over type ‖ payload. */
export function chunkCrc(type: number, payload: Uint8Array): number {
  return crc32(payload, TYPE_SEED[type] ?? crc32(Uint8Array.of(type)))
}

/** True if `bytes` starts with a valid W&B header. */
export function hasValidHeader(bytes: Uint8Array): boolean {
  if (bytes.length < HEADER_SIZE) return false
  for (let i = 0; i < HEADER_SIZE; i++) if (bytes[i] !== HEADER[i]) return false
  return true
}

/**
 * CRC-32C (Castagnoli), the checksum of TFRecord framing, in pure JS (slicing-by-8: Bun has no
 * CRC-32C and a native addon would not survive cross-compilation), and the LevelDB-style mask
 * TensorFlow applies to it.
 */

const TABLE = new Uint32Array(8 * 256)
for (let n = 0; n < 256; n++) {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1
  TABLE[n] = c >>> 0
}
for (let n = 0; n < 256; n++) {
  for (let k = 1; k < 8; k++) TABLE[k * 256 + n] = (TABLE[(k - 1) * 256 + n] >>> 8) ^ TABLE[TABLE[(k - 1) * 256 + n] & 0xff]
}

/** CRC-32C of `bytes`, continuing from `crc` (0 to start). Check value: crc32c("123456789") = 0xE3069283. */
export function crc32c(bytes: Uint8Array, crc = 0): number {
  crc = ~crc >>> 0
  let i = 0
  for (; i + 8 <= bytes.length; i += 8) {
    const a = (bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24)) ^ crc
    crc =
      TABLE[1792 + (a & 0xff)] ^
      TABLE[1536 + ((a >>> 8) & 0xff)] ^
      TABLE[1280 + ((a >>> 16) & 0xff)] ^
      TABLE[1024 + (a >>> 24)] ^
      TABLE[768 + bytes[i + 4]] ^
      TABLE[512 + bytes[i + 5]] ^
      TABLE[256 + bytes[i + 6]] ^
      TABLE[bytes[i + 7]]
  }
  for (; i < bytes.length; i++) crc = TABLE[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8)
  return ~crc >>> 0
}

/** The masked CRC-32C stored in TFRecord framing: `((crc >> 15) | (crc << 17)) + 0xa282ead8` (mod 2^32). */
export function maskedCrc32c(bytes: Uint8Array): number {
  const c = crc32c(bytes)
  return ((((c >>> 15) | (c << 17)) >>> 0) + 0xa282ead8) >>> 0
}

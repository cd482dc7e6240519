/**
 * A minimal ZIP writer for wheels: deflated (or stored) entries with their Unix mode, a fixed
 * timestamp so that the same inputs give the same bytes, and the central directory. Entries over
 * 4 GiB (ZIP64) are refused: a nexus binary is ~100 MB.
 */
import {crc32, deflateRawSync} from 'node:zlib'

export interface ZipEntry {
  name: string
  data: Uint8Array
  /** Unix permission bits (default 0o644). */
  mode?: number
}

/** 1980-01-01 00:00 in DOS format: wheels do not need real times, and reproducible bytes are worth more. */
const DOS_TIME = 0
const DOS_DATE = (0 << 9) | (1 << 5) | 1

export function zipBytes(entries: readonly ZipEntry[]): Uint8Array {
  const locals: Uint8Array[] = []
  const centrals: Uint8Array[] = []
  let offset = 0
  for (const e of entries) {
    if (e.data.length >= 0xffffffff) throw new Error(`zip: ${e.name} is too large for a ZIP without ZIP64`)
    const name = new TextEncoder().encode(e.name)
    const packed = deflateRawSync(e.data, {level: 6})
    const deflate = packed.length < e.data.length
    const body = deflate ? packed : e.data
    const crc = crc32(e.data) >>> 0
    const local = new DataView(new ArrayBuffer(30))
    local.setUint32(0, 0x04034b50, true)
    local.setUint16(4, 20, true)
    local.setUint16(6, 0x0800, true) // UTF-8 names
    local.setUint16(8, deflate ? 8 : 0, true)
    local.setUint16(10, DOS_TIME, true)
    local.setUint16(12, DOS_DATE, true)
    local.setUint32(14, crc, true)
    local.setUint32(18, body.length, true)
    local.setUint32(22, e.data.length, true)
    local.setUint16(26, name.length, true)
    local.setUint16(28, 0, true)
    const central = new DataView(new ArrayBuffer(46))
    central.setUint32(0, 0x02014b50, true)
    central.setUint16(4, (3 << 8) | 20, true) // made by Unix, so external attributes carry the mode
    central.setUint16(6, 20, true)
    central.setUint16(8, 0x0800, true)
    central.setUint16(10, deflate ? 8 : 0, true)
    central.setUint16(12, DOS_TIME, true)
    central.setUint16(14, DOS_DATE, true)
    central.setUint32(16, crc, true)
    central.setUint32(20, body.length, true)
    central.setUint32(24, e.data.length, true)
    central.setUint16(28, name.length, true)
    central.setUint32(38, ((0o100000 | (e.mode ?? 0o644)) << 16) >>> 0, true)
    central.setUint32(42, offset, true)
    locals.push(new Uint8Array(local.buffer), name, body)
    centrals.push(new Uint8Array(central.buffer), name)
    offset += 30 + name.length + body.length
  }
  const centralSize = centrals.reduce((n, c) => n + c.length, 0)
  const end = new DataView(new ArrayBuffer(22))
  end.setUint32(0, 0x06054b50, true)
  end.setUint16(8, entries.length, true)
  end.setUint16(10, entries.length, true)
  end.setUint32(12, centralSize, true)
  end.setUint32(16, offset, true)
  return Buffer.concat([...locals, ...centrals, new Uint8Array(end.buffer)])
}

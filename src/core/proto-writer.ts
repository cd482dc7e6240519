/**
 * A protobuf binary writer for protobuf-ts's `toBinary(msg, {writerFactory})` that writes into
 * one growing buffer. The stock BinaryWriter keeps a chunk per string and per scalar, and copies
 * every nested message once per level when it joins; on the per-step path (history and summary
 * records written to the transaction log) that was a fifth of the service's CPU. The bytes are
 * identical to the stock writer's (test/core/proto-writer.test.ts compares them).
 *
 * Nested messages reserve one length byte at fork() and shift their content only when the length
 * needs more; strings reserve the varint size of their worst-case UTF-8 length and shift back
 * when the real length is shorter.
 */
import {assertFloat32, assertInt32, assertUInt32, type IBinaryWriter, PbLong, PbULong} from '@protobuf-ts/runtime'

const encoder = new TextEncoder()

function varintSize(n: number): number {
  return n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : n < 0x10000000 ? 4 : 5
}

export class FastBinaryWriter implements IBinaryWriter {
  #buf = new Uint8Array(256)
  #view = new DataView(this.#buf.buffer)
  #pos = 0
  #forks: number[] = []

  #ensure(extra: number): void {
    const need = this.#pos + extra
    if (need <= this.#buf.length) return
    let size = this.#buf.length * 2
    while (size < need) size *= 2
    const next = new Uint8Array(size)
    next.set(this.#buf.subarray(0, this.#pos))
    this.#buf = next
    this.#view = new DataView(next.buffer)
  }

  #varint32(value: number): void {
    this.#ensure(5)
    const b = this.#buf
    while (value > 0x7f) {
      b[this.#pos++] = (value & 0x7f) | 0x80
      value >>>= 7
    }
    b[this.#pos++] = value
  }

  /** Writes lo/hi 32-bit halves as a 64-bit varint (at most 10 bytes). */
  #varint64(lo: number, hi: number): void {
    this.#ensure(10)
    const b = this.#buf
    lo >>>= 0
    hi >>>= 0
    while (hi !== 0 || lo > 0x7f) {
      b[this.#pos++] = (lo & 0x7f) | 0x80
      lo = ((lo >>> 7) | (hi << 25)) >>> 0
      hi >>>= 7
    }
    b[this.#pos++] = lo
  }

  finish(): Uint8Array {
    if (this.#forks.length > 0) throw new Error('invalid state, fork stack not empty')
    const out = this.#buf.slice(0, this.#pos)
    this.#pos = 0
    return out
  }

  fork(): IBinaryWriter {
    this.#ensure(1)
    this.#forks.push(this.#pos)
    this.#pos += 1 // one length byte reserved
    return this
  }

  join(): IBinaryWriter {
    const at = this.#forks.pop()
    if (at === undefined) throw new Error('invalid state, fork stack empty')
    const len = this.#pos - at - 1
    this.#writeLengthAt(at, 1, len)
    return this
  }

  /** Puts the varint `len` at `at`, where `reserved` bytes were left before `len` bytes of content. */
  #writeLengthAt(at: number, reserved: number, len: number): void {
    const size = varintSize(len)
    if (size !== reserved) {
      this.#ensure(size - reserved)
      this.#buf.copyWithin(at + size, at + reserved, at + reserved + len)
      this.#pos += size - reserved
    }
    const b = this.#buf
    let p = at
    while (len > 0x7f) {
      b[p++] = (len & 0x7f) | 0x80
      len >>>= 7
    }
    b[p] = len
  }

  tag(fieldNo: number, type: number): IBinaryWriter {
    this.#varint32(((fieldNo << 3) | type) >>> 0)
    return this
  }

  raw(chunk: Uint8Array): IBinaryWriter {
    this.#ensure(chunk.length)
    this.#buf.set(chunk, this.#pos)
    this.#pos += chunk.length
    return this
  }

  uint32(value: number): IBinaryWriter {
    assertUInt32(value)
    this.#varint32(value)
    return this
  }

  int32(value: number): IBinaryWriter {
    assertInt32(value)
    if (value >= 0) this.#varint32(value)
    else this.#varint64(value, -1) // sign-extended to 64 bits: 10 bytes, as protobuf requires
    return this
  }

  bool(value: boolean): IBinaryWriter {
    this.#ensure(1)
    this.#buf[this.#pos++] = value ? 1 : 0
    return this
  }

  bytes(value: Uint8Array): IBinaryWriter {
    this.#varint32(value.byteLength)
    return this.raw(value)
  }

  string(value: string): IBinaryWriter {
    const max = value.length * 3
    const reserved = varintSize(max)
    this.#ensure(reserved + max)
    const {written} = encoder.encodeInto(value, this.#buf.subarray(this.#pos + reserved))
    const at = this.#pos
    this.#pos += reserved + written
    this.#writeLengthAt(at, reserved, written)
    return this
  }

  float(value: number): IBinaryWriter {
    assertFloat32(value)
    this.#ensure(4)
    this.#view.setFloat32(this.#pos, value, true)
    this.#pos += 4
    return this
  }

  double(value: number): IBinaryWriter {
    this.#ensure(8)
    this.#view.setFloat64(this.#pos, value, true)
    this.#pos += 8
    return this
  }

  fixed32(value: number): IBinaryWriter {
    assertUInt32(value)
    this.#ensure(4)
    this.#view.setUint32(this.#pos, value, true)
    this.#pos += 4
    return this
  }

  sfixed32(value: number): IBinaryWriter {
    assertInt32(value)
    this.#ensure(4)
    this.#view.setInt32(this.#pos, value, true)
    this.#pos += 4
    return this
  }

  sint32(value: number): IBinaryWriter {
    assertInt32(value)
    this.#varint32(((value << 1) ^ (value >> 31)) >>> 0)
    return this
  }

  #fixed64(lo: number, hi: number): IBinaryWriter {
    this.#ensure(8)
    this.#view.setInt32(this.#pos, lo, true)
    this.#view.setInt32(this.#pos + 4, hi, true)
    this.#pos += 8
    return this
  }

  sfixed64(value: string | number | bigint): IBinaryWriter {
    const long = PbLong.from(value)
    return this.#fixed64(long.lo, long.hi)
  }

  fixed64(value: string | number | bigint): IBinaryWriter {
    const long = PbULong.from(value)
    return this.#fixed64(long.lo, long.hi)
  }

  int64(value: string | number | bigint): IBinaryWriter {
    const long = PbLong.from(value)
    this.#varint64(long.lo, long.hi)
    return this
  }

  sint64(value: string | number | bigint): IBinaryWriter {
    const long = PbLong.from(value)
    const sign = long.hi >> 31
    const lo = (long.lo << 1) ^ sign
    const hi = ((long.hi << 1) | (long.lo >>> 31)) ^ sign
    this.#varint64(lo, hi)
    return this
  }

  uint64(value: string | number | bigint): IBinaryWriter {
    const long = PbULong.from(value)
    this.#varint64(long.lo, long.hi)
    return this
  }
}

const fastWrite = {writerFactory: () => new FastBinaryWriter()}

/** `type.toBinary(message)` through the FastBinaryWriter. */
export function encodeMessage<T extends object>(type: {toBinary(message: T, options?: Partial<typeof fastWrite>): Uint8Array}, message: T): Uint8Array {
  return type.toBinary(message, fastWrite)
}

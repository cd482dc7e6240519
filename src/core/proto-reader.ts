/**
 * protobuf-ts's BinaryReader with a faster `string()`: the stock one makes a subarray and calls
 * TextDecoder for every string, which on the history path (dozens of short ASCII keys and
 * value_json strings per record) cost a fifth of `nexus sync`'s CPU. Short ASCII strings are
 * built directly; anything else still goes through a TextDecoder set up as the stock one (invalid
 * UTF-8 is an error, a BOM is kept; test/core/proto-reader.test.ts compares them).
 */
import {BinaryReader} from '@protobuf-ts/runtime'

/** Strings up to this many bytes are tried on the ASCII fast path. */
const SHORT = 64
// the stock reader's decoder: invalid UTF-8 is an error, a BOM is kept
const decoder = new TextDecoder('utf-8', {fatal: true, ignoreBOM: true})

export class FastBinaryReader extends BinaryReader {
  readonly #bytes: Uint8Array

  constructor(bytes: Uint8Array) {
    super(bytes)
    this.#bytes = bytes
  }

  override string(): string {
    const len = this.uint32()
    const start = this.pos
    const end = start + len
    if (end > this.len) throw new RangeError('premature EOF')
    this.pos = end
    const buf = this.#bytes
    if (len <= SHORT) {
      let s = ''
      let i = start
      for (; i < end; i++) {
        const b = buf[i]
        if (b >= 0x80) break
        s += String.fromCharCode(b)
      }
      if (i === end) return s
    }
    return decoder.decode(buf.subarray(start, end))
  }
}

const fastRead = {readerFactory: (bytes: Uint8Array) => new FastBinaryReader(bytes)}

/** `type.fromBinary(bytes)` through the FastBinaryReader. */
export function decodeMessage<T extends object>(type: {fromBinary(bytes: Uint8Array, options?: Partial<typeof fastRead>): T}, bytes: Uint8Array): T {
  return type.fromBinary(bytes, fastRead)
}

/**
 * A minimal protobuf wire-format reader, enough to decode the few TensorFlow messages the
 * TensorBoard sync needs without generated code. Fields are read in order with `field()`;
 * readers for each wire type check bounds and throw ProtobufDecodeError on malformed input.
 */
import {WandbError} from '../errors.ts'

/** The bytes are not a valid protobuf encoding (truncated, bad varint, unknown wire type). */
export class ProtobufDecodeError extends WandbError {
  override name = 'ProtobufDecodeError'
}

const UTF8 = new TextDecoder('utf-8', {fatal: true, ignoreBOM: true})

export const WIRE_VARINT = 0
export const WIRE_FIXED64 = 1
export const WIRE_LENGTH_DELIMITED = 2
export const WIRE_FIXED32 = 5

/** A cursor over one encoded message. */
export class ProtoReader {
  readonly #buf: Uint8Array
  readonly #view: DataView
  #pos = 0

  constructor(buf: Uint8Array) {
    this.#buf = buf
    this.#view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength)
  }

  get done(): boolean {
    return this.#pos >= this.#buf.length
  }

  /** The next field's number and wire type. */
  field(): {number: number; wire: number} {
    const key = this.varint()
    const number = Number(key >> 3n)
    if (number === 0) throw new ProtobufDecodeError('protobuf: field number 0')
    return {number, wire: Number(key & 7n)}
  }

  /** An unsigned varint (up to 64 bits). */
  varint(): bigint {
    let result = 0n
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (this.#pos >= this.#buf.length) throw new ProtobufDecodeError('protobuf: truncated varint')
      const b = this.#buf[this.#pos++]
      result |= BigInt(b & 0x7f) << shift
      if (b < 0x80) return BigInt.asUintN(64, result)
    }
    throw new ProtobufDecodeError('protobuf: varint longer than 10 bytes')
  }

  int64(): bigint {
    return BigInt.asIntN(64, this.varint())
  }

  int32(): number {
    return Number(BigInt.asIntN(32, this.varint()))
  }

  bool(): boolean {
    return this.varint() !== 0n
  }

  double(): number {
    return this.#view.getFloat64(this.#take(8), true)
  }

  float(): number {
    return this.#view.getFloat32(this.#take(4), true)
  }

  /** The payload of a length-delimited field (a view, not a copy). */
  bytes(): Uint8Array {
    const length = this.varint()
    if (length > BigInt(this.#buf.length - this.#pos)) throw new ProtobufDecodeError('protobuf: length-delimited field runs past the end')
    const start = this.#take(Number(length))
    return this.#buf.subarray(start, start + Number(length))
  }

  /** A string field; invalid UTF-8 is an error, as in Go's proto3 decoding. */
  string(): string {
    try {
      return UTF8.decode(this.bytes())
    } catch (err) {
      if (err instanceof ProtobufDecodeError) throw err
      throw new ProtobufDecodeError('protobuf: string field is not valid UTF-8', {cause: err})
    }
  }

  /** Skips a field's value of the given wire type (groups are not supported: TensorFlow uses none). */
  skip(wire: number): void {
    switch (wire) {
      case WIRE_VARINT:
        this.varint()
        return
      case WIRE_FIXED64:
        this.#take(8)
        return
      case WIRE_LENGTH_DELIMITED:
        this.bytes()
        return
      case WIRE_FIXED32:
        this.#take(4)
        return
      default:
        throw new ProtobufDecodeError(`protobuf: unsupported wire type ${wire}`)
    }
  }

  #take(n: number): number {
    if (this.#pos + n > this.#buf.length) throw new ProtobufDecodeError('protobuf: truncated field')
    const start = this.#pos
    this.#pos += n
    return start
  }
}

/**
 * Reads a repeated scalar field that may be packed (wire type 2) or not (the scalar's own wire
 * type, one element per occurrence), appending to `out`.
 */
export function readRepeated<T>(r: ProtoReader, wire: number, scalarWire: number, read: (r: ProtoReader) => T, out: T[]): void {
  if (wire === WIRE_LENGTH_DELIMITED) {
    const packed = new ProtoReader(r.bytes())
    while (!packed.done) out.push(read(packed))
  } else if (wire === scalarWire) {
    out.push(read(r))
  } else {
    r.skip(wire)
  }
}

/**
 * The socket framing between the SDK and the service, both directions:
 * `'W' (0x57) | length: uint32 little-endian | length bytes of protobuf`.
 */
import {ProtocolError} from '../errors.ts'

export const FRAME_MAGIC = 0x57
export const FRAME_HEADER_SIZE = 5
/** Largest payload accepted: Go core's scanner allows 2 GiB; anything near that is a broken peer. */
export const MAX_FRAME_BYTES = 1024 * 1024 * 1024

/** Encodes one frame. */
export function encodeFrame(payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(FRAME_HEADER_SIZE + payload.length)
  out[0] = FRAME_MAGIC
  new DataView(out.buffer).setUint32(1, payload.length, true)
  out.set(payload, FRAME_HEADER_SIZE)
  return out
}

/**
 * Incremental frame decoder: push() socket chunks in, get whole payloads out. Keeps partial frames
 * as a list of chunks (no quadratic copying for large frames). A bad magic byte or an absurd
 * length throws ProtocolError; the decoder is unusable afterwards.
 */
export class FrameDecoder {
  #chunks: Uint8Array[] = []
  #buffered = 0
  #need = -1 // payload length of the frame being assembled, -1 while reading the header
  #broken = false

  push(chunk: Uint8Array): Uint8Array[] {
    if (this.#broken) throw new ProtocolError('framing: decoder already failed')
    this.#chunks.push(chunk)
    this.#buffered += chunk.length
    const frames: Uint8Array[] = []
    for (;;) {
      if (this.#need < 0) {
        if (this.#buffered < FRAME_HEADER_SIZE) break
        const header = this.#take(FRAME_HEADER_SIZE)
        if (header[0] !== FRAME_MAGIC) {
          this.#broken = true
          throw new ProtocolError(`framing: bad magic byte 0x${header[0].toString(16).padStart(2, '0')}`)
        }
        const len = new DataView(header.buffer, header.byteOffset, 5).getUint32(1, true)
        if (len > MAX_FRAME_BYTES) {
          this.#broken = true
          throw new ProtocolError(`framing: frame of ${len} bytes is larger than the ${MAX_FRAME_BYTES} allowed`)
        }
        this.#need = len
      }
      if (this.#buffered < this.#need) break
      frames.push(this.#take(this.#need))
      this.#need = -1
    }
    return frames
  }

  /** Bytes received but not yet returned as a frame. */
  get pending(): number {
    return this.#buffered
  }

  #take(n: number): Uint8Array {
    const first = this.#chunks[0]
    if (first && first.length >= n) {
      const out = first.subarray(0, n)
      if (first.length === n) this.#chunks.shift()
      else this.#chunks[0] = first.subarray(n)
      this.#buffered -= n
      return out.slice()
    }
    const out = new Uint8Array(n)
    let o = 0
    while (o < n) {
      const c = this.#chunks[0]
      const k = Math.min(c.length, n - o)
      out.set(c.subarray(0, k), o)
      o += k
      if (k === c.length) this.#chunks.shift()
      else this.#chunks[0] = c.subarray(k)
    }
    this.#buffered -= n
    return out
  }
}

/**
 * Test helper: writes tfevents files (TFRecord framing + tensorflow.Event protobuf) the way
 * TensorBoard's writers do, so that tests need no TensorFlow. Only what the tests use is encoded.
 */
import {appendFileSync, mkdirSync} from 'node:fs'
import {dirname} from 'node:path'
import {crc32, deflateSync} from 'node:zlib'
import {DataType, maskedCrc32c} from '../../../src/core/tensorboard/index.ts'

export {DataType}

class Bytes {
  readonly parts: number[] = []
  varint(n: bigint | number): this {
    let v = BigInt.asUintN(64, BigInt(n))
    for (;;) {
      const b = Number(v & 0x7fn)
      v >>= 7n
      if (v === 0n) {
        this.parts.push(b)
        return this
      }
      this.parts.push(b | 0x80)
    }
  }
  raw(bytes: Uint8Array): this {
    this.parts.push(...bytes)
    return this
  }
  key(field: number, wire: number): this {
    return this.varint((field << 3) | wire)
  }
  len(field: number, payload: Uint8Array): this {
    return this.key(field, 2).varint(payload.length).raw(payload)
  }
  int(field: number, n: bigint | number): this {
    return this.key(field, 0).varint(n)
  }
  double(field: number, x: number): this {
    const b = new Uint8Array(8)
    new DataView(b.buffer).setFloat64(0, x, true)
    return this.key(field, 1).raw(b)
  }
  float(field: number, x: number): this {
    const b = new Uint8Array(4)
    new DataView(b.buffer).setFloat32(0, x, true)
    return this.key(field, 5).raw(b)
  }
  get bytes(): Uint8Array {
    return Uint8Array.from(this.parts)
  }
}

const text = (s: string) => new TextEncoder().encode(s)

function packed(values: number[], width: 4 | 8): Uint8Array {
  const out = new Uint8Array(values.length * width)
  const view = new DataView(out.buffer)
  values.forEach((v, i) => (width === 4 ? view.setFloat32(i * width, v, true) : view.setFloat64(i * width, v, true)))
  return out
}

export interface TensorSpec {
  dtype: number
  shape: number[]
  floats?: number[]
  doubles?: number[]
  ints?: number[]
  int64s?: bigint[]
  strings?: Uint8Array[]
  content?: Uint8Array
}

export interface ValueSpec {
  tag: string
  plugin?: string
  simple?: number
  image?: {width: number; height: number; data: Uint8Array}
  histo?: {min: number; max: number; limits: number[]; counts: number[]}
  tensor?: TensorSpec
}

export interface EventSpec {
  wallTime: number
  step?: bigint | number
  fileVersion?: string
  values?: ValueSpec[]
}

export function tensorBytes(t: TensorSpec): Uint8Array {
  const shape = new Bytes()
  for (const d of t.shape) shape.len(2, new Bytes().int(1, d).bytes)
  const b = new Bytes().int(1, t.dtype).len(2, shape.bytes)
  if (t.content) b.len(4, t.content)
  if (t.floats) b.len(5, packed(t.floats, 4))
  if (t.doubles) b.len(6, packed(t.doubles, 8))
  if (t.ints) {
    const p = new Bytes()
    for (const i of t.ints) p.varint(i)
    b.len(7, p.bytes)
  }
  for (const s of t.strings ?? []) b.len(8, s)
  if (t.int64s) {
    const p = new Bytes()
    for (const i of t.int64s) p.varint(i)
    b.len(10, p.bytes)
  }
  return b.bytes
}

export function valueBytes(v: ValueSpec): Uint8Array {
  const b = new Bytes().len(1, text(v.tag))
  if (v.simple !== undefined) b.float(2, v.simple)
  if (v.image) b.len(4, new Bytes().int(1, v.image.height).int(2, v.image.width).int(3, 3).len(4, v.image.data).bytes)
  if (v.histo) {
    const h = v.histo
    b.len(
      5,
      new Bytes()
        .double(1, h.min)
        .double(2, h.max)
        .double(
          3,
          h.counts.reduce((a, c) => a + c, 0),
        )
        .len(6, packed(h.limits, 8))
        .len(7, packed(h.counts, 8)).bytes,
    )
  }
  if (v.tensor) b.len(8, tensorBytes(v.tensor))
  if (v.plugin) b.len(9, new Bytes().len(1, new Bytes().len(1, text(v.plugin)).bytes).bytes)
  return b.bytes
}

/** A serialized tensorflow.Event. */
export function eventBytes(e: EventSpec): Uint8Array {
  const b = new Bytes().double(1, e.wallTime)
  if (e.step) b.int(2, e.step)
  if (e.fileVersion) b.len(3, text(e.fileVersion))
  if (e.values) {
    const summary = new Bytes()
    for (const v of e.values) summary.len(1, valueBytes(v))
    b.len(5, summary.bytes)
  }
  return b.bytes
}

/** One TFRecord frame around `data`. */
export function frame(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length + 4)
  const view = new DataView(out.buffer)
  view.setBigUint64(0, BigInt(data.length), true)
  view.setUint32(8, maskedCrc32c(out.subarray(0, 8)), true)
  out.set(data, 12)
  view.setUint32(12 + data.length, maskedCrc32c(data), true)
  return out
}

/** Appends framed events (or raw bytes) to a file, creating it and its directory. */
export function appendEvents(path: string, ...events: (EventSpec | Uint8Array)[]): void {
  mkdirSync(dirname(path), {recursive: true})
  const chunks = events.map((e) => (e instanceof Uint8Array ? e : frame(eventBytes(e))))
  appendFileSync(path, Buffer.concat(chunks))
}

/** A valid RGB PNG of the given size (pixel values from `seed`). */
export function png(width: number, height: number, seed = 1): Uint8Array {
  const rows: number[] = []
  for (let y = 0; y < height; y++) {
    rows.push(0)
    for (let x = 0; x < width * 3; x++) rows.push((x * seed + y * 31 + seed) % 256)
  }
  const chunk = (type: string, data: Uint8Array) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
    const head = Buffer.alloc(4)
    head.writeUInt32BE(data.length)
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(crc32(body) >>> 0)
    return Buffer.concat([head, body, crc])
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr.set([8, 2, 0, 0, 0], 8)
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Uint8Array.from(rows))), chunk('IEND', new Uint8Array(0))])
}

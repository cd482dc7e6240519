import {closeSync, fstatSync, openSync, readSync} from 'node:fs'
import {ProtocolError} from '../errors.ts'
import {BLOCK_SIZE, CHUNK_HEADER_SIZE, ChunkType, HEADER_SIZE, chunkCrc, hasValidHeader} from './format.ts'

/** One record read from the log. */
export interface LogRecord {
  /** File offset of the record's first chunk header. */
  offset: number
  /** File offset just past its last chunk: where the next record may start (a resume cursor). */
  end: number
  /** The record's bytes (one serialized protobuf Record). */
  data: Uint8Array
}

/** A byte range the reader could not use: corrupt chunks, or pieces of records whose other pieces were lost. */
export interface Damage {
  offset: number
  bytes: number
  reason: string
}

/** Incomplete data at the current end of the file: a partial write, a cut copy, or a record still being written. */
export interface TruncatedTail {
  offset: number
  bytes: number
}

/**
 * Streaming reader of `.wandb` files.
 *
 * Memory stays constant (one 32 KiB block plus the record being assembled) for any file size.
 * `next()` returns records in file order and never throws on bad data: a corrupt chunk is recorded
 * in `damage` and the reader resynchronises at the next FULL/FIRST chunk of a later block, as Go
 * core's reader does. At the end of the data it returns null; if the file ends inside a record,
 * `truncatedTail` says where, and the next call to `next()` retries from that record, so a caller
 * can follow a file that is still being written by calling `next()` again later.
 * Not safe for concurrent use; after close() every method throws.
 */
export class TransactionLogReader {
  readonly path: string
  readonly damage: Damage[] = []
  #fd: number
  #fileSize: number
  #pos = HEADER_SIZE
  #block = new Uint8Array(BLOCK_SIZE)
  #blockIndex = -1
  #blockLen = 0
  #parts: Uint8Array[] = []
  #recordStart = -1
  #tail: TruncatedTail | null = null
  #closed = false

  private constructor(path: string, fd: number, size: number) {
    this.path = path
    this.#fd = fd
    this.#fileSize = size
  }

  /** Opens `path` and checks the W&B header. Throws ProtocolError for a file that is not a .wandb log. */
  static open(path: string): TransactionLogReader {
    const fd = openSync(path, 'r')
    try {
      const header = new Uint8Array(HEADER_SIZE)
      const n = readSync(fd, header, 0, HEADER_SIZE, 0)
      if (n < HEADER_SIZE || !hasValidHeader(header)) {
        throw new ProtocolError(`txlog: ${path} is not a .wandb transaction log (bad header)`)
      }
      return new TransactionLogReader(path, fd, fstatSync(fd).size)
    } catch (err) {
      closeSync(fd)
      throw err
    }
  }

  /** Offset where the next read starts: after the last record returned (a resume cursor). */
  get position(): number {
    return this.#recordStart >= 0 ? this.#recordStart : this.#pos
  }

  /** Size of the file as last seen by the reader. */
  get fileSize(): number {
    return this.#fileSize
  }

  /** Set when the last next() stopped inside an incomplete record at the end of the file. */
  get truncatedTail(): TruncatedTail | null {
    return this.#tail
  }

  /** Continue reading at `offset`, which must be a record start (a value of `position` or `LogRecord.end`). */
  seek(offset: number): void {
    this.#check()
    if (offset < HEADER_SIZE) throw new RangeError(`txlog: cannot seek to ${offset}`)
    this.#pos = offset
    this.#parts = []
    this.#recordStart = -1
    this.#tail = null
  }

  /** The next intact record, or null at the end of the available data. Never throws on bad data. */
  next(): LogRecord | null {
    this.#check()
    this.#tail = null
    for (;;) {
      const blockStart = Math.floor(this.#pos / BLOCK_SIZE) * BLOCK_SIZE
      const blockEnd = blockStart + BLOCK_SIZE
      if (blockEnd - this.#pos < CHUNK_HEADER_SIZE) {
        // Zero fill at the end of a block; the next chunk starts in the next block.
        if (!this.#available(blockEnd)) return this.#endOfData()
        this.#pos = blockEnd
        continue
      }
      if (!this.#available(this.#pos + CHUNK_HEADER_SIZE)) return this.#endOfData()
      const block = this.#loadBlock(blockStart)
      const at = this.#pos - blockStart
      const view = new DataView(block.buffer, block.byteOffset + at, CHUNK_HEADER_SIZE)
      const crc = view.getUint32(0, true)
      const length = view.getUint16(4, true)
      const type = block[at + 6]
      if (crc === 0 && length === 0 && type === 0) {
        this.#corrupt(blockEnd, 'zeroed block')
        continue
      }
      if (type < ChunkType.FULL || type > ChunkType.LAST) {
        this.#corrupt(blockEnd, `bad chunk type ${type}`)
        continue
      }
      const chunkEnd = this.#pos + CHUNK_HEADER_SIZE + length
      if (chunkEnd > blockEnd) {
        this.#corrupt(blockEnd, 'chunk crosses block boundary')
        continue
      }
      if (!this.#available(chunkEnd)) return this.#endOfData()
      const full = this.#loadBlock(blockStart)
      const payload = full.subarray(at + CHUNK_HEADER_SIZE, at + CHUNK_HEADER_SIZE + length)
      if (chunkCrc(type, payload) !== crc) {
        this.#corrupt(blockEnd, 'checksum mismatch')
        continue
      }
      const chunkStart = this.#pos
      this.#pos = chunkEnd
      switch (type) {
        case ChunkType.FULL:
          this.#dropPartial(chunkStart, 'record cut short by a new record')
          return {offset: chunkStart, end: chunkEnd, data: payload.slice()}
        case ChunkType.FIRST:
          this.#dropPartial(chunkStart, 'record cut short by a new record')
          this.#recordStart = chunkStart
          this.#parts = [payload.slice()]
          break
        case ChunkType.MIDDLE:
        case ChunkType.LAST:
          if (this.#recordStart < 0) {
            this.#addDamage(chunkStart, chunkEnd - chunkStart, 'piece of a lost record')
            break
          }
          this.#parts.push(payload.slice())
          if (type === ChunkType.LAST) {
            const record = {offset: this.#recordStart, end: chunkEnd, data: concat(this.#parts)}
            this.#parts = []
            this.#recordStart = -1
            return record
          }
          break
      }
    }
  }

  /** Releases the file. Idempotent. */
  close(): void {
    if (this.#closed) return
    closeSync(this.#fd)
    this.#closed = true
  }

  [Symbol.dispose](): void {
    this.close()
  }

  /** True if the file holds at least `end` bytes (re-checking its size if needed). */
  #available(end: number): boolean {
    if (end <= this.#fileSize) return true
    this.#fileSize = fstatSync(this.#fd).size
    return end <= this.#fileSize
  }

  #loadBlock(blockStart: number): Uint8Array {
    const index = blockStart / BLOCK_SIZE
    const want = Math.min(BLOCK_SIZE, this.#fileSize - blockStart)
    if (this.#blockIndex !== index || this.#blockLen < want) {
      let got = 0
      while (got < want) {
        const n = readSync(this.#fd, this.#block, got, want - got, blockStart + got)
        if (n === 0) break
        got += n
      }
      this.#blockIndex = index
      this.#blockLen = got
    }
    return this.#block
  }

  #endOfData(): null {
    const start = this.#recordStart >= 0 ? this.#recordStart : this.#pos
    if (this.#fileSize > start) this.#tail = {offset: start, bytes: this.#fileSize - start}
    // Retry the incomplete record from its start next time (the file may have grown).
    this.#pos = start
    this.#parts = []
    this.#recordStart = -1
    return null
  }

  #corrupt(blockEnd: number, reason: string): void {
    const from = this.#recordStart >= 0 ? this.#recordStart : this.#pos
    const to = Math.min(blockEnd, Math.max(this.#fileSize, this.#pos))
    this.#addDamage(from, to - from, reason)
    this.#parts = []
    this.#recordStart = -1
    this.#pos = blockEnd
  }

  #dropPartial(at: number, reason: string): void {
    if (this.#recordStart < 0) return
    this.#addDamage(this.#recordStart, at - this.#recordStart, reason)
    this.#parts = []
    this.#recordStart = -1
  }

  #addDamage(offset: number, bytes: number, reason: string): void {
    if (bytes <= 0) return
    const last = this.damage[this.damage.length - 1]
    if (last && offset <= last.offset + last.bytes) {
      last.bytes = Math.max(last.bytes, offset + bytes - last.offset)
      return
    }
    this.damage.push({offset, bytes, reason})
  }

  #check(): void {
    if (this.#closed) throw new Error('txlog: reader is closed')
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]
  let n = 0
  for (const p of parts) n += p.length
  const out = new Uint8Array(n)
  let o = 0
  for (const p of parts) {
    out.set(p, o)
    o += p.length
  }
  return out
}

import {closeSync, fsyncSync, openSync, writeSync} from 'node:fs'
import {WandbError} from '../errors.ts'
import {BLOCK_SIZE, CHUNK_HEADER_SIZE, ChunkType, HEADER, chunkCrc} from './format.ts'

/**
 * Bytes kept in memory before they are written without an explicit flush: one block, so every
 * complete 32 KiB block reaches the file as soon as it fills (what Go core leaves after a SIGKILL);
 * the partial block waits for flush(), which the stream's writer calls within its durability bound.
 */
const WRITE_BUFFER_BYTES = BLOCK_SIZE

export interface WriterOptions {
  /** fsync on every flush() (default false: the OS decides, as Go core does). */
  fsync?: boolean
}

/**
 * Appends records to a new `.wandb` file.
 *
 * `open` creates the file exclusively (it fails if the file exists, as Go core's O_EXCL does) and
 * writes the header at once, so a reader can open the file immediately. Records are buffered in
 * memory and reach the file when a block fills, on flush() and on close(). Not safe for
 * concurrent use; write() after close() throws.
 */
export class TransactionLogWriter {
  readonly path: string
  #fd: number
  #offset = HEADER.length // logical file offset of the next byte
  #buffer = new Uint8Array(WRITE_BUFFER_BYTES + BLOCK_SIZE)
  #buffered = 0
  #closed = false
  #lastRecordOffset = -1
  readonly #fsync: boolean

  private constructor(path: string, fd: number, options: WriterOptions) {
    this.path = path
    this.#fd = fd
    this.#fsync = options.fsync ?? false
  }

  /** Creates `path` (must not exist) and writes the header. Throws WandbError on failure. */
  static open(path: string, options: WriterOptions = {}): TransactionLogWriter {
    let fd: number
    try {
      fd = openSync(path, 'wx', 0o666)
    } catch (err) {
      throw new WandbError(`txlog: cannot create ${path}: ${(err as Error).message}`, {cause: err})
    }
    writeSync(fd, HEADER)
    return new TransactionLogWriter(path, fd, options)
  }

  /** File offset of the first chunk header of the last record written (-1 before any). */
  get lastRecordOffset(): number {
    return this.#lastRecordOffset
  }

  /** Logical size of the log: header plus every byte written so far, flushed or not. */
  get size(): number {
    return this.#offset
  }

  /** Bytes appended but not yet handed to the OS (at most about one block). */
  get unflushed(): number {
    return this.#buffered
  }

  /** Appends one record (its serialized protobuf bytes), split into chunks as the format requires. */
  write(record: Uint8Array): void {
    if (this.#closed) throw new WandbError('txlog: write after close')
    let left = BLOCK_SIZE - (this.#offset % BLOCK_SIZE)
    if (left < CHUNK_HEADER_SIZE) {
      this.#put(new Uint8Array(left)) // zero-fill the block tail
      left = BLOCK_SIZE
    }
    this.#lastRecordOffset = this.#offset
    let pos = 0
    let first = true
    // A record that starts with exactly 7 bytes left gets a zero-length FIRST chunk (as Go and Python do).
    for (;;) {
      left = BLOCK_SIZE - (this.#offset % BLOCK_SIZE)
      if (left < CHUNK_HEADER_SIZE) {
        this.#put(new Uint8Array(left))
        left = BLOCK_SIZE
      }
      const room = left - CHUNK_HEADER_SIZE
      const n = Math.min(room, record.length - pos)
      const end = pos + n === record.length
      const type = first ? (end ? ChunkType.FULL : ChunkType.FIRST) : end ? ChunkType.LAST : ChunkType.MIDDLE
      this.#chunk(type, record.subarray(pos, pos + n))
      pos += n
      first = false
      if (end) break
    }
    // A block completed since the last drain (always so once a block's worth is buffered): write it now, as Go core does.
    const unwrittenFrom = this.#offset - this.#buffered
    if (Math.floor(unwrittenFrom / BLOCK_SIZE) !== Math.floor(this.#offset / BLOCK_SIZE)) this.#drain()
  }

  /** Writes buffered bytes to the file (and fsyncs if configured). */
  flush(): void {
    if (this.#closed) return
    this.#drain()
    if (this.#fsync) fsyncSync(this.#fd)
  }

  /** Flushes and closes the file. Idempotent. The final block is not padded. */
  close(): void {
    if (this.#closed) return
    this.#drain()
    if (this.#fsync) fsyncSync(this.#fd)
    closeSync(this.#fd)
    this.#closed = true
  }

  #chunk(type: number, payload: Uint8Array): void {
    const header = new Uint8Array(CHUNK_HEADER_SIZE)
    const view = new DataView(header.buffer)
    view.setUint32(0, chunkCrc(type, payload), true)
    view.setUint16(4, payload.length, true)
    header[6] = type
    this.#put(header)
    this.#put(payload)
  }

  #put(bytes: Uint8Array): void {
    if (this.#buffered + bytes.length > this.#buffer.length) this.#drain()
    if (bytes.length > this.#buffer.length) {
      writeSync(this.#fd, bytes)
    } else {
      this.#buffer.set(bytes, this.#buffered)
      this.#buffered += bytes.length
    }
    this.#offset += bytes.length
  }

  #drain(): void {
    let done = 0
    while (done < this.#buffered) done += writeSync(this.#fd, this.#buffer, done, this.#buffered - done)
    this.#buffered = 0
  }
}

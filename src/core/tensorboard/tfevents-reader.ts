/**
 * Reads the records of a log directory's tfevents files in order, following files that are still
 * being written and the rotation to the next file (Go core: tfeventreader.go).
 *
 * - Files are taken in the order of `nextTFEventsFile`. The reader moves to the next file only when
 *   the current one is exhausted (no unread bytes) AND the next file already existed before the
 *   last read of the current one: a writer starts a new file only after finishing the previous.
 * - A record cut short at the end of a file (still being written) is left for a later call.
 * - A checksum mismatch is first taken for a torn write (mmap writers) and retried on later calls;
 *   once it has lasted `corruptionGraceMs`, or at once on a `final` call (the run is ending), the
 *   record is corrupt: a bad data checksum skips the record, a bad length checksum gives up the
 *   rest of that file (where the next record starts is unknown). Both are logged as errors.
 *   (Go core retries 30 s and then stops reading the whole directory.)
 *
 * Not safe for concurrent use; `close()` releases the open file.
 */
import {closeSync, fstatSync, openSync, readSync} from 'node:fs'
import {join} from 'node:path'
import {errorMessage} from '../errors.ts'
import type {Logger} from '../observability/index.ts'
import type {Clock} from '../runtime/index.ts'
import {FRAME_HEADER_BYTES, readFrame} from './tfrecord.ts'
import {nextTFEventsFile, type TFEventsFileFilter} from './tfevents-files.ts'

/** How long a checksum mismatch may last before the record counts as corrupt (Go: 30 s). */
export const DEFAULT_CORRUPTION_GRACE_MS = 30_000
/** The least the reader asks the file for at once (Go: 1 MiB), to keep reads and reopenings few. */
const READ_CHUNK_BYTES = 1024 * 1024

export interface TFEventsReaderOptions {
  /** Absolute path of the log directory. */
  logDir: string
  filter: TFEventsFileFilter
  logger: Logger
  clock: Clock
  corruptionGraceMs?: number
}

/** One intact record and where it came from. */
export interface TFRecordRead {
  data: Uint8Array
  /** Absolute path of the file. */
  file: string
  /** Byte offset of the record's frame in the file. */
  offset: number
}

export class TFEventsReader {
  readonly #o: TFEventsReaderOptions
  readonly #graceMs: number
  /** Key (path relative to the log directory) of the file being read; '' before the first. */
  #key = ''
  #fd: number | undefined
  /** Unconsumed bytes of the current file, starting at file offset #bufferStart. */
  #buffer: Uint8Array = new Uint8Array(0)
  #bufferStart = 0
  /** The rest of the current file cannot be framed (a corrupt length): treat it as exhausted. */
  #abandoned = false
  #mismatchSince: number | undefined

  constructor(o: TFEventsReaderOptions) {
    this.#o = o
    this.#graceMs = o.corruptionGraceMs ?? DEFAULT_CORRUPTION_GRACE_MS
  }

  /**
   * The next intact record, or undefined when there is none yet (call again later). Each file the
   * reader starts on is passed to `onNewFile` (absolute path) first. With `final`, checksum
   * mismatches are not retried. Never throws: I/O problems are logged and read as "nothing yet".
   */
  next(onNewFile: (path: string) => void, o: {final?: boolean} = {}): TFRecordRead | undefined {
    let mismatch = false
    try {
      for (;;) {
        if (!this.#ensure(FRAME_HEADER_BYTES, onNewFile)) return undefined
        let frame = readFrame(this.#buffer)
        while (frame.kind === 'incomplete' && frame.needed !== undefined) {
          if (!this.#ensure(frame.needed, onNewFile)) return undefined
          frame = readFrame(this.#buffer)
        }
        if (frame.kind === 'incomplete') return undefined
        const file = join(this.#o.logDir, this.#key)
        const offset = this.#bufferStart
        if (frame.kind === 'record') {
          this.#consume(frame.size)
          return {data: frame.data, file, offset}
        }
        const now = this.#o.clock.now()
        this.#mismatchSince ??= now
        if (!o.final && now - this.#mismatchSince < this.#graceMs) {
          mismatch = true
          if (now === this.#mismatchSince) {
            this.#o.logger.warn('tensorboard: unexpected checksum, will retry', {file, offset, expected: frame.expected, computed: frame.computed})
          }
          this.#rewind()
          return undefined
        }
        this.#mismatchSince = undefined
        if (frame.kind === 'corrupt-data') {
          this.#o.logger.error('tensorboard: skipping a corrupt record (data checksum mismatch)', {file, offset, size: frame.size})
          this.#consume(frame.size)
        } else {
          this.#o.logger.error('tensorboard: giving up the rest of a corrupt file (length checksum mismatch)', {file, offset})
          this.#abandoned = true
          this.#buffer = new Uint8Array(0)
        }
      }
    } finally {
      if (!mismatch) this.#mismatchSince = undefined
    }
  }

  /** Closes the open file, if any. The reader may be used again afterwards (it reopens). */
  close(): void {
    if (this.#fd === undefined) return
    try {
      closeSync(this.#fd)
    } catch {
      // already closed or gone: nothing to release
    }
    this.#fd = undefined
  }

  /** Tries to have at least `count` unconsumed bytes; moves to the next file when allowed. */
  #ensure(count: number, onNewFile: (path: string) => void): boolean {
    if (this.#buffer.length >= count) return true
    if (this.#key === '') {
      const first = this.#nextFile()
      if (first === undefined) return false
      this.#setFile(first, onNewFile)
    }
    for (;;) {
      // Look for the next file BEFORE reading: once it exists, the current file is complete.
      const next = this.#nextFile()
      const read = this.#readCurrent(count)
      if (read === 'enough') return true
      if (read === 'failed') return false
      if (next === undefined) return false
      if (this.#buffer.length > 0) {
        this.#o.logger.warn('tensorboard: maybe incomplete event', {file: join(this.#o.logDir, this.#key), offset: this.#bufferStart})
        return false
      }
      this.#setFile(next, onNewFile)
    }
  }

  #nextFile(): string | undefined {
    try {
      return nextTFEventsFile(this.#o.logDir, this.#key, this.#o.filter)
    } catch (err) {
      this.#o.logger.warn('tensorboard: cannot list the log directory', {logDir: this.#o.logDir, error: errorMessage(err)})
      return undefined
    }
  }

  #setFile(key: string, onNewFile: (path: string) => void): void {
    this.close()
    this.#key = key
    this.#buffer = new Uint8Array(0)
    this.#bufferStart = 0
    this.#abandoned = false
    this.#mismatchSince = undefined
    onNewFile(join(this.#o.logDir, key))
  }

  /** Appends file bytes to the buffer until it holds `count` bytes or the file ends. */
  #readCurrent(count: number): 'enough' | 'eof' | 'failed' {
    if (this.#abandoned) return 'eof'
    const path = join(this.#o.logDir, this.#key)
    try {
      this.#fd ??= openSync(path, 'r')
      let fileOffset = this.#bufferStart + this.#buffer.length
      while (this.#buffer.length < count) {
        const available = fstatSync(this.#fd).size - fileOffset
        if (available <= 0) return 'eof'
        const chunk = new Uint8Array(Math.min(available, Math.max(count - this.#buffer.length, READ_CHUNK_BYTES)))
        const n = readSync(this.#fd, chunk, 0, chunk.length, fileOffset)
        if (n === 0) return 'eof'
        fileOffset += n
        this.#append(chunk.subarray(0, n))
      }
      return 'enough'
    } catch (err) {
      this.#o.logger.warn('tensorboard: error reading the current tfevents file', {file: path, error: errorMessage(err)})
      this.close()
      return 'failed'
    }
  }

  #append(bytes: Uint8Array): void {
    if (this.#buffer.length === 0) {
      this.#buffer = bytes
      return
    }
    const joined = new Uint8Array(this.#buffer.length + bytes.length)
    joined.set(this.#buffer)
    joined.set(bytes, this.#buffer.length)
    this.#buffer = joined
  }

  #consume(size: number): void {
    this.#buffer = this.#buffer.subarray(size)
    this.#bufferStart += size
  }

  /** Forgets the buffered bytes so that the next read takes them from the file again. */
  #rewind(): void {
    this.#buffer = new Uint8Array(0)
  }
}

/**
 * Writes the run's console lines (content only) to output.log, or to rotating multipart chunks.
 */
import {mkdirSync} from 'node:fs'
import {dirname, join} from 'node:path'
import type {Logger} from '../observability/index.ts'
import type {Clock} from '../runtime/index.ts'
import type {ConsoleLine} from './console-line.ts'
import {ConsoleFileError} from './errors.ts'
import {chunkPath} from './file-names.ts'
import {LineDebouncer} from './line-debouncer.ts'
import {LineFile} from './line-file.ts'

/** How often changes reach the disk: the file is uploaded only at the end (or per chunk). */
export const OUTPUT_FILE_PERIOD_MS = 5_000

export interface OutputFileWriterOptions {
  /** The run's files directory; paths below are relative to it. */
  filesDir: string
  /** `output.log` or `output_<label>.log` (see consoleFileName). */
  fileName: string
  /** Write `logs/<stem>_<time>_<ns><ext>` chunks instead of one file. */
  multipart: boolean
  /** Multipart: start a new chunk once about this many bytes were written (0: no size limit). */
  chunkMaxBytes: number
  /** Multipart: start a new chunk once a chunk is this old when written to (0: no age limit). */
  chunkMaxSeconds: number
  clock: Clock
  logger: Logger
  /** Called with the run-relative path of each finished file (a rotated chunk, or the last file at finish). */
  onFileReady: (runRelativePath: string) => void
}

interface Chunk {
  file: LineFile
  relPath: string
  startedAtMs: number
  /** Bytes written to it, counting rewrites again (an estimate, as in Go core). */
  bytes: number
  /** Global number of the chunk's line 0. */
  firstLine: number
}

/**
 * Files are created lazily, on the first batch that has a line for them. A multipart chunk is
 * rotated after a write that takes it past a limit: it is announced through `onFileReady` at once,
 * and lines from it that change afterwards are not written anywhere (the next chunk starts after
 * the highest line written so far). A chunk started within the same microsecond as the previous
 * one is dated 1 µs later, so a chunk never overwrites another. After an I/O error the writer
 * stops writing (logged once); whatever file it had is still announced at finish.
 */
export class OutputFileWriter {
  readonly #o: OutputFileWriterOptions
  readonly #debouncer: LineDebouncer
  #chunk: Chunk | undefined
  /** One past the highest global line number written so far. */
  #nextLine = 0
  #broken = false
  #finished = false
  /** Start time of the latest chunk, in whole microseconds: chunk names must never repeat. */
  #lastChunkMicros = Number.NEGATIVE_INFINITY

  constructor(options: OutputFileWriterOptions) {
    this.#o = options
    this.#debouncer = new LineDebouncer({
      periodMs: OUTPUT_FILE_PERIOD_MS,
      clock: options.clock,
      logger: options.logger,
      name: 'output file',
      flush: (batch) => this.#write(batch),
    })
  }

  /** Schedules line `lineNum` to be (re)written; debounced to once per 5 s. */
  updateLine(lineNum: number, line: ConsoleLine): void {
    this.#debouncer.put(lineNum, line)
  }

  /**
   * Writes all pending lines, closes the current file and announces it through `onFileReady`
   * (nothing is announced if no line was ever written). Later calls do nothing more.
   */
  async finish(): Promise<void> {
    await this.#debouncer.finish()
    if (this.#finished) return
    this.#finished = true
    const chunk = this.#chunk
    this.#chunk = undefined
    if (chunk) this.#announce(chunk.relPath)
  }

  /** Writes pending lines to disk synchronously and stops; announces nothing. Idempotent. */
  abandon(): void {
    this.#write(this.#debouncer.drain())
    this.#debouncer.cancel()
    this.#finished = true
    this.#chunk = undefined
  }

  #write(batch: ReadonlyMap<number, ConsoleLine>): void {
    if (this.#broken || this.#finished || batch.size === 0) return
    let highest = this.#nextLine - 1
    for (const n of batch.keys()) highest = Math.max(highest, n)
    const firstLine = this.#chunk?.firstLine ?? this.#nextLine
    const local = new Map<number, string>()
    let bytes = 0
    for (const [n, line] of batch) {
      if (n < firstLine) continue
      const content = line.content
      local.set(n - firstLine, content)
      bytes += Buffer.byteLength(content, 'utf8') + 1
    }
    this.#nextLine = highest + 1
    if (local.size === 0) return
    let chunk: Chunk
    try {
      chunk = this.#chunk ??= this.#createChunk(firstLine)
      chunk.file.update(local)
    } catch (err) {
      this.#broken = true
      this.#o.logger.captureError('console: writing the console log file failed', err)
      return
    }
    chunk.bytes += bytes
    if (this.#shouldRotate(chunk)) {
      this.#chunk = undefined
      this.#announce(chunk.relPath)
    }
  }

  #announce(relPath: string): void {
    try {
      this.#o.onFileReady(relPath)
    } catch (err) {
      this.#o.logger.captureError('console: onFileReady failed', err, {path: relPath})
    }
  }

  #createChunk(firstLine: number): Chunk {
    this.#lastChunkMicros = Math.max(Math.round(this.#o.clock.now() * 1000), this.#lastChunkMicros + 1)
    const startedAtMs = this.#lastChunkMicros / 1000
    const relPath = this.#o.multipart ? chunkPath(this.#o.fileName, startedAtMs) : this.#o.fileName
    const path = join(this.#o.filesDir, ...relPath.split('/'))
    try {
      mkdirSync(dirname(path), {recursive: true})
    } catch (err) {
      throw new ConsoleFileError(`console: creating the directory of ${path} failed`, {cause: err})
    }
    return {file: LineFile.create(path), relPath, startedAtMs, bytes: 0, firstLine}
  }

  #shouldRotate(chunk: Chunk): boolean {
    if (!this.#o.multipart) return false
    if (this.#o.chunkMaxBytes > 0 && chunk.bytes >= this.#o.chunkMaxBytes) return true
    const maxMs = this.#o.chunkMaxSeconds * 1000
    return maxMs > 0 && this.#o.clock.now() - chunk.startedAtMs >= maxMs
  }
}

/**
 * A text file of `\n`-terminated lines whose last lines can be rewritten in place.
 */
import {closeSync, fstatSync, ftruncateSync, openSync, readSync, writeFileSync, writeSync} from 'node:fs'
import {ConsoleFileError} from './errors.ts'

const NEWLINE = 0x0a
const READ_BLOCK = 8 * 1024

/**
 * The file always ends with `\n` unless it is empty, and holds `lineCount` lines. An update
 * rewrites the file from its first changed line to the end: unchanged lines after it are read
 * back from the file's tail and written again, lines past the end are appended, and gaps are
 * filled with empty lines. That is cheap because changes land near the end (only the newest
 * console lines can change).
 *
 * The file is opened and closed on every update (few open handles, friendly to network
 * filesystems). Synchronous; throws ConsoleFileError. One owner per file.
 */
export class LineFile {
  readonly path: string
  #lineCount = 0

  private constructor(path: string) {
    this.path = path
  }

  /** Creates `path` empty (truncating any existing file); the directory must exist. */
  static create(path: string): LineFile {
    try {
      writeFileSync(path, '', {mode: 0o644})
    } catch (err) {
      throw new ConsoleFileError(`console: creating ${path} failed`, {cause: err})
    }
    return new LineFile(path)
  }

  /** Number of lines in the file. */
  get lineCount(): number {
    return this.#lineCount
  }

  /**
   * Sets each given line (0-based number → text without `\n`); lines between the old end and a
   * new line become empty. No-op for an empty map.
   */
  update(lines: ReadonlyMap<number, string>): void {
    if (lines.size === 0) return
    let first = Number.POSITIVE_INFINITY
    let last = Number.NEGATIVE_INFINITY
    for (const n of lines.keys()) {
      first = Math.min(first, n)
      last = Math.max(last, n)
    }
    let fd: number
    try {
      fd = openSync(this.path, 'r+')
    } catch (err) {
      throw new ConsoleFileError(`console: opening ${this.path} failed`, {cause: err})
    }
    try {
      const start = Math.min(first, this.#lineCount)
      const {offset, old} = this.#readTail(fd, start)
      const end = Math.max(this.#lineCount, last + 1)
      const out: string[] = []
      for (let n = start; n < end; n++) out.push(`${lines.get(n) ?? old[n - start] ?? ''}\n`)
      const bytes = Buffer.from(out.join(''), 'utf8')
      writeAll(fd, bytes, offset)
      ftruncateSync(fd, offset + bytes.length)
      this.#lineCount = end
    } catch (err) {
      throw err instanceof ConsoleFileError ? err : new ConsoleFileError(`console: rewriting ${this.path} failed`, {cause: err})
    } finally {
      closeSync(fd)
    }
  }

  /** The byte offset where line `from` starts, and the lines from there to the end. */
  #readTail(fd: number, from: number): {offset: number; old: string[]} {
    const size = fstatSync(fd).size
    const wanted = this.#lineCount - from
    if (wanted === 0) return {offset: size, old: []}
    // Line `from` starts after the newline ending line `from - 1`, the (wanted + 1)-th from the end.
    const blocks: Buffer[] = []
    let pos = size
    let seen = 0
    let offset = 0
    search: while (pos > 0) {
      const len = Math.min(READ_BLOCK, pos)
      pos -= len
      const block = Buffer.alloc(len)
      readAll(fd, block, pos)
      blocks.unshift(block)
      for (let i = len - 1; i >= 0; i--) {
        if (block[i] !== NEWLINE) continue
        if (++seen === wanted + 1) {
          offset = pos + i + 1
          break search
        }
      }
    }
    const tail = Buffer.concat(blocks).subarray(offset - pos)
    const old = tail.toString('utf8').split('\n')
    old.pop() // the empty string after the final newline
    if (old.length !== wanted) {
      throw new ConsoleFileError(`console: ${this.path} has ${old.length} lines after line ${from}, expected ${wanted}`)
    }
    return {offset, old}
  }
}

function writeAll(fd: number, bytes: Buffer, position: number): void {
  let done = 0
  while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done, position + done)
}

function readAll(fd: number, into: Buffer, position: number): void {
  let done = 0
  while (done < into.length) {
    const n = readSync(fd, into, done, into.length - done, position + done)
    if (n === 0) throw new ConsoleFileError(`console: unexpected end of file at ${position + done}`)
    done += n
  }
}

import {describe, expect, test} from 'bun:test'
import {readdirSync, readFileSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import {ConsoleLine, OutputFileWriter} from '../../../src/core/console/index.ts'
import type {OutputFileWriterOptions} from '../../../src/core/console/index.ts'
import {recordingLogger, tempDir} from './helpers.ts'
import {ManualClock, settle} from '../../fakes/manual-clock.ts'

const line = (text: string) => new ConsoleLine({prefix: 'ERROR ', label: 'l', createdAtMs: 0}, 4096, text)

function writer(filesDir: string, options: Partial<OutputFileWriterOptions> = {}) {
  const clock = new ManualClock(new Date(2024, 0, 2, 3, 4, 5).getTime())
  const ready: string[] = []
  const {logger, entries} = recordingLogger()
  const w = new OutputFileWriter({
    filesDir,
    fileName: 'output.log',
    multipart: false,
    chunkMaxBytes: 0,
    chunkMaxSeconds: 0,
    clock,
    logger,
    onFileReady: (p) => ready.push(p),
    ...options,
  })
  return {w, clock, ready, entries}
}

const read = (dir: string, rel: string) => readFileSync(join(dir, rel), 'utf8')
const chunks = (dir: string) => readdirSync(join(dir, 'logs')).sort()

describe('OutputFileWriter, single file', () => {
  test('writes content only and announces output.log once at finish', async () => {
    using dir = tempDir()
    const {w, ready} = writer(dir.path)
    w.updateLine(0, line('first'))
    w.updateLine(1, line('second'))
    await w.finish()
    await w.finish()
    expect(read(dir.path, 'output.log')).toBe('first\nsecond\n')
    expect(ready).toEqual(['output.log'])
  })

  test('writes the first batch at once and later ones every 5 seconds, rewriting changed lines', async () => {
    using dir = tempDir()
    const {w, clock} = writer(dir.path)
    const bar = line('  0%')
    w.updateLine(0, bar)
    await settle()
    expect(read(dir.path, 'output.log')).toBe('  0%\n')
    for (const c of '50%') bar.putChar(c, [...'50%'].indexOf(c) + 1)
    w.updateLine(0, bar)
    w.updateLine(1, line('next'))
    await clock.advance(4999)
    expect(read(dir.path, 'output.log')).toBe('  0%\n')
    await clock.advance(1)
    expect(read(dir.path, 'output.log')).toBe(' 50%\nnext\n')
    await w.finish()
  })

  test('uses the given file name and creates the files directory', async () => {
    using dir = tempDir()
    const filesDir = join(dir.path, 'run', 'files')
    const {w, ready} = writer(filesDir, {fileName: 'output_rank0.log'})
    w.updateLine(0, line('x'))
    await w.finish()
    expect(read(filesDir, 'output_rank0.log')).toBe('x\n')
    expect(ready).toEqual(['output_rank0.log'])
  })

  test('creates no file and announces nothing without output', async () => {
    using dir = tempDir()
    const {w, ready} = writer(dir.path)
    await w.finish()
    expect(readdirSync(dir.path)).toEqual([])
    expect(ready).toEqual([])
  })

  test('after a write error it stops writing, logs once, and still announces the file', async () => {
    using dir = tempDir()
    const {w, clock, ready, entries} = writer(dir.path)
    w.updateLine(0, line('a'))
    await settle()
    rmSync(join(dir.path, 'output.log'))
    w.updateLine(1, line('b'))
    await clock.advance(5000)
    w.updateLine(2, line('c'))
    await w.finish()
    expect(entries.filter((e) => e.level === 'ERROR')).toMatchObject([{msg: 'console: writing the console log file failed'}])
    expect(ready).toEqual(['output.log'])
  })

  test('abandon writes pending lines to disk and announces nothing', async () => {
    using dir = tempDir()
    const {w, clock, ready} = writer(dir.path)
    w.updateLine(0, line('a'))
    await settle()
    w.updateLine(1, line('b'))
    w.abandon()
    w.abandon()
    expect(read(dir.path, 'output.log')).toBe('a\nb\n')
    expect(clock.sleeping).toBe(0)
    await w.finish()
    expect(ready).toEqual([])
  })
})

describe('OutputFileWriter, multipart', () => {
  test('names chunks logs/<stem>_<local time>_<nanoseconds>.log and uploads the last one at finish', async () => {
    using dir = tempDir()
    const {w, ready} = writer(dir.path, {multipart: true, fileName: 'output_rank0.log', chunkMaxBytes: 1 << 30})
    w.updateLine(0, line('line1'))
    w.updateLine(1, line('line2'))
    await w.finish()
    expect(chunks(dir.path)).toEqual(['output_rank0_20240102_030405_000000000.log'])
    expect(ready).toEqual(['logs/output_rank0_20240102_030405_000000000.log'])
    expect(read(dir.path, ready[0])).toBe('line1\nline2\n')
  })

  test('rotates after a write that reaches the byte limit, announcing the full chunk at once', async () => {
    using dir = tempDir()
    const {w, clock, ready} = writer(dir.path, {multipart: true, chunkMaxBytes: 100})
    w.updateLine(0, line('a'.repeat(30)))
    w.updateLine(1, line('b'.repeat(30)))
    await settle()
    expect(ready).toEqual([])
    w.updateLine(2, line('c'.repeat(30)))
    w.updateLine(3, line('d'.repeat(30)))
    await clock.advance(5000)
    expect(ready).toHaveLength(1)
    w.updateLine(4, line('e'))
    await clock.advance(5000)
    await w.finish()
    expect(ready).toHaveLength(2)
    expect(ready.map((p) => read(dir.path, p))).toEqual([`${'a'.repeat(30)}\n${'b'.repeat(30)}\n${'c'.repeat(30)}\n${'d'.repeat(30)}\n`, 'e\n'])
    expect(chunks(dir.path)).toHaveLength(2)
  })

  test('rotates on a write once the chunk is older than the age limit', async () => {
    using dir = tempDir()
    const {w, clock, ready} = writer(dir.path, {multipart: true, chunkMaxSeconds: 300})
    w.updateLine(0, line('first batch'))
    await settle()
    await clock.advance(300_000)
    expect(ready).toEqual([])
    w.updateLine(1, line('second batch'))
    await settle()
    expect(ready).toHaveLength(1)
    w.updateLine(2, line('more data'))
    await clock.advance(5000)
    await w.finish()
    expect(ready.map((p) => read(dir.path, p))).toEqual(['first batch\nsecond batch\n', 'more data\n'])
    expect(ready[1]).toBe('logs/output_20240102_030910_000000000.log')
  })

  test('changes to lines of a rotated chunk are dropped', async () => {
    using dir = tempDir()
    const {w, clock, ready} = writer(dir.path, {multipart: true, chunkMaxBytes: 100})
    for (const [n, c] of [
      [0, 'a'],
      [1, 'b'],
      [2, 'c'],
      [3, 'd'],
    ] as const)
      w.updateLine(n, line(c.repeat(30)))
    await settle()
    expect(ready).toHaveLength(1)
    w.updateLine(1, line('modified line 1'))
    await clock.advance(5000)
    expect(ready).toHaveLength(1)
    expect(readdirSync(join(dir.path, 'logs'))).toHaveLength(1)
    w.updateLine(1, line('modified again'))
    w.updateLine(4, line('new line 4'))
    await clock.advance(5000)
    await w.finish()
    expect(ready).toHaveLength(2)
    expect(read(dir.path, ready[1])).toBe('new line 4\n')
  })

  test('a chunk started in the same millisecond as the previous one gets a later name', async () => {
    using dir = tempDir()
    const {w, ready} = writer(dir.path, {multipart: true, chunkMaxBytes: 1})
    w.updateLine(0, line('a'))
    await settle()
    w.updateLine(1, line('b'))
    await w.finish()
    expect(ready).toEqual(['logs/output_20240102_030405_000000000.log', 'logs/output_20240102_030405_000001000.log'])
    expect(ready.map((p) => read(dir.path, p))).toEqual(['a\n', 'b\n'])
  })

  test('with no limits everything goes into one chunk', async () => {
    using dir = tempDir()
    const {w, clock, ready} = writer(dir.path, {multipart: true})
    for (let i = 0; i < 50; i++) {
      w.updateLine(i, line('x'.repeat(1000)))
      await clock.advance(60_000)
    }
    await w.finish()
    expect(ready).toHaveLength(1)
    expect(read(dir.path, ready[0]).length).toBe(50 * 1001)
  })
})

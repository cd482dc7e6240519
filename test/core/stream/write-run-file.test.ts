/** A run file the sender cannot write is an undelivered outcome of the run, not just a log line. */
import {describe, expect, test} from 'bun:test'
import {mkdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {LocalFileError} from '../../../src/core/errors.ts'
import type {SenderContext} from '../../../src/core/stream/contexts.ts'
import {writeAndUpload} from '../../../src/core/stream/write-run-file.ts'
import {RecordingLogger, tempDir} from './helpers.ts'

function context(filesDir: string) {
  const uploaded: string[] = []
  const s = {settings: {filesDir}, logger: new RecordingLogger(), backgroundOutcomes: [], runFiles: {uploadNow: (name: string) => uploaded.push(name)}}
  return {s: s as unknown as SenderContext, uploaded}
}

describe('writeAndUpload', () => {
  test('a written file is uploaded and leaves no outcome', () => {
    const dir = tempDir()
    const {s, uploaded} = context(dir.path)
    writeAndUpload(s, 'config.yaml', 'a: 1\n')
    expect(readFileSync(join(dir.path, 'config.yaml'), 'utf8')).toBe('a: 1\n')
    expect(uploaded).toEqual(['config.yaml'])
    expect(s.backgroundOutcomes).toEqual([])
    dir.dispose()
  })

  test('a file that cannot be written is abandoned with its errno, and nothing is uploaded', () => {
    const dir = tempDir()
    // a directory where the file should go: the write fails with EISDIR, as ENOSPC or EROFS would
    mkdirSync(join(dir.path, 'wandb-summary.json'))
    const {s, uploaded} = context(dir.path)
    writeAndUpload(s, 'wandb-summary.json', '{}')
    expect(uploaded).toEqual([])
    expect(s.backgroundOutcomes).toHaveLength(1)
    const [outcome] = s.backgroundOutcomes
    expect(outcome.status).toBe('abandoned')
    expect(outcome.error).toBeInstanceOf(LocalFileError)
    expect((outcome.error?.cause as {code?: string} | undefined)?.code).toBe('EISDIR')
    dir.dispose()
  })
})

import {describe, expect, test} from 'bun:test'
import {LocalIoError} from '../../src/sync/index.ts'
import {LocalIoWatch} from '../../src/sync/local-io.ts'
import {RecordingLogger} from '../fakes/recording-logger.ts'

const enospc = Object.assign(new Error('ENOSPC: no space left on device, write'), {code: 'ENOSPC'})

describe('LocalIoWatch', () => {
  test('a sender write that failed for lack of space is remembered as exit 8, and still logged', () => {
    const inner = new RecordingLogger()
    const watch = new LocalIoWatch(inner)
    watch.with({file: 'x'}).captureError('sender: cannot write config.yaml', new Error('wrapped', {cause: enospc}))
    expect(watch.failure).toBeInstanceOf(LocalIoError)
    expect(watch.failure?.exitCode).toBe(8)
    expect(watch.failure?.userText).toMatch(/^Could not write config\.yaml: no space left on the device \(ENOSPC\)/)
    expect(inner.find('error', 'sender: cannot write').length).toBe(1)
  })

  test('other errors and a full artifact cache do not fail the sync', () => {
    const watch = new LocalIoWatch(new RecordingLogger())
    watch.captureError('filestream: fatal error', new Error('HTTP 500'))
    watch.captureError('artifacts: cannot add a file to the cache', enospc)
    expect(watch.failure).toBeUndefined()
  })
})

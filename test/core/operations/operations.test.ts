import {describe, expect, test} from 'bun:test'
import {Operations, currentOperation, type Operation, errorFromWbResponse, errorRetryStatus, httpRetryStatus, shortBytes, withOperation} from '../../../src/core/operations/index.ts'

describe('Operations', () => {
  test('stats list unfinished operations in start order, at most 10, with the total count', () => {
    let now = 1000
    const ops = new Operations(() => now)
    const started = Array.from({length: 12}, (_, i) => ops.start(`op ${i}`))
    started[1].finish()
    now = 3500
    const stats = ops.stats()
    expect(stats.total_operations).toBe(11n)
    expect(stats.operations.map((o) => o.desc)).toEqual(['op 0', 'op 2', 'op 3', 'op 4', 'op 5', 'op 6', 'op 7', 'op 8', 'op 9', 'op 10'])
    expect(stats.operations[0].runtime_seconds).toBe(2.5)
  })

  test('subtasks nest under their parent, at most 10 reported, and vanish when finished', () => {
    const ops = new Operations(() => 0)
    const root = ops.start('uploading artifact a')
    const subs = Array.from({length: 11}, (_, i) => root.subtask(`f${i}`))
    subs[0].finish()
    subs[0].finish()
    const proto = ops.stats().operations[0]
    expect(proto.subtasks.map((s) => s.desc)).toEqual(['f1', 'f2', 'f3', 'f4', 'f5', 'f6', 'f7', 'f8', 'f9', 'f10'])
    expect(ops.stats().total_operations).toBe(1n)
    root.finish()
    expect(ops.stats().operations).toEqual([])
    expect(ops.size).toBe(0)
  })

  test('progress texts are bytes of total, bytes done, or units of total', () => {
    const op = new Operations().start('x')
    op.setBytesOfTotal(1536, 2 * 1024 * 1024)
    expect(op.progress).toBe('1.5KB/2.0MB')
    op.setBytesDone(12)
    expect(op.progress).toBe('12B')
    op.setUnitsOfTotal(3, 5, 'files')
    expect(op.progress).toBe('3/5 files')
  })

  test('error status is set while retrying and cleared after', () => {
    const op = new Operations().start('x')
    op.markRetryingHttp(503, 'Service Unavailable', {errors: [{message: 'busy'}]})
    expect(op.errorStatus).toBe('retrying HTTP 503: busy')
    expect(op.toProto(Date.now()).error_status).toBe('retrying HTTP 503: busy')
    op.clearError()
    expect(op.errorStatus).toBe('')
  })

  test('track finishes the operation when the work rejects, and the work runs with it current', async () => {
    const ops = new Operations()
    let seen: string | undefined
    await expect(
      ops.track('saving job artifact', async () => {
        await Promise.resolve()
        seen = (currentOperation() as Operation | undefined)?.desc
        throw new Error('boom')
      }),
    ).rejects.toThrow('boom')
    expect(seen).toBe('saving job artifact')
    expect(ops.size).toBe(0)
  })

  test('the current operation follows each async chain separately', async () => {
    const ops = new Operations()
    const a = ops.start('a')
    const b = ops.start('b')
    const probe = async () => {
      await new Promise((r) => setTimeout(r, 1))
      return (currentOperation() as Operation | undefined)?.desc
    }
    const [ra, rb, none] = await Promise.all([withOperation(a, probe), b.run(probe), withOperation(undefined, probe)])
    expect([ra, rb, none]).toEqual(['a', 'b', undefined])
    expect(currentOperation()).toBeUndefined()
  })
})

describe('shortBytes', () => {
  test('formats like Go core: B below 1 KiB, one decimal for KB and MB, two for GB', () => {
    expect(shortBytes(0)).toBe('0B')
    expect(shortBytes(1023)).toBe('1023B')
    expect(shortBytes(1024)).toBe('1.0KB')
    expect(shortBytes(1024 * 1024 - 1)).toBe('1024.0KB')
    expect(shortBytes(5 * 1024 * 1024 + 300 * 1024)).toBe('5.3MB')
    expect(shortBytes(1024 ** 3)).toBe('1.00GB')
    expect(shortBytes(3.5 * 1024 ** 4)).toBe('3584.00GB')
  })

  test('exact halves round to even as Go does', () => {
    expect(shortBytes(1280)).toBe('1.2KB') // 1.25
    expect(shortBytes(1792)).toBe('1.8KB') // 1.75
    expect(shortBytes(Math.round(1.125 * 1024 ** 3))).toBe('1.12GB')
  })

  test('refuses what is not a byte count', () => {
    expect(() => shortBytes(-1)).toThrow('not a byte count')
    expect(() => shortBytes(Number.NaN)).toThrow('not a byte count')
  })
})

describe('retry status texts', () => {
  test('the W&B error of a body: error string, error object, errors list', () => {
    expect(errorFromWbResponse({error: 'no'})).toBe('no')
    expect(errorFromWbResponse({error: {message: 'nope'}})).toBe('nope')
    expect(errorFromWbResponse('{"errors": [{"message": "a"}, "b", {"x": 1}]}')).toBe('a; b')
    expect(errorFromWbResponse('<html>bad gateway</html>')).toBe('')
    expect(errorFromWbResponse([1, 2])).toBe('')
    expect(errorFromWbResponse(undefined)).toBe('')
  })

  test('an HTTP retry names the server message, else the status line', () => {
    expect(httpRetryStatus(503, 'Service Unavailable', {errors: [{message: 'injected fault: HTTP 503'}]})).toBe('retrying HTTP 503: injected fault: HTTP 503')
    expect(httpRetryStatus(503, 'Service Unavailable', 'upstream down')).toBe('retrying HTTP 503 Service Unavailable')
    expect(httpRetryStatus(429, '', '')).toBe('retrying HTTP 429 Too Many Requests')
    expect(httpRetryStatus(599, '', '')).toBe('retrying HTTP 599')
  })

  test('a retry without a response names the error, never a signed URL query', () => {
    const err = new Error('Request failed due to a network error: PUT https://bucket/x?X-Amz-Signature=secret', {cause: new Error('Unable to connect')})
    expect(errorRetryStatus(err)).toBe('retrying: Unable to connect')
    expect(errorRetryStatus(new Error('timed out: PUT https://bucket/x?sig=secret'))).toBe('retrying: timed out: PUT https://bucket/x?…')
  })
})

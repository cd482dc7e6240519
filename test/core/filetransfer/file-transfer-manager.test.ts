import {afterEach, beforeEach, describe, expect, test} from 'bun:test'
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {FILE_TRANSFER_POLICY, HttpClient, basicAuthorization, type RetryPolicy} from '../../../src/core/api/index.ts'
import {HttpError} from '../../../src/core/errors.ts'
import {FileTransferClosedError, FileTransferManager, LocalFileError, parseUploadHeaders, summarizeDeliveries} from '../../../src/core/filetransfer/index.ts'
import {nullLogger} from '../../../src/core/observability/index.ts'
import {Deferred} from '../../../src/core/runtime/index.ts'
import {FakeUploadServer} from '../../fakes/fake-upload-server.ts'

const FAST: RetryPolicy = {...FILE_TRANSFER_POLICY, maxRetries: 2, waitMinMs: 5, waitMaxMs: 10}
const KEY = 'k'.repeat(40)

let dir: string
let server: FakeUploadServer | undefined
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ftm-'))
})
afterEach(() => {
  server?.stop()
  server = undefined
  rmSync(dir, {recursive: true, force: true})
})

function setup(hooks: ConstructorParameters<typeof FakeUploadServer>[0] = {}, opts: {concurrency?: number; signal?: AbortSignal} = {}) {
  server = new FakeUploadServer(hooks)
  // The storage URLs are under the base URL, so only `auth: false` keeps credentials off them.
  const http = new HttpClient({baseUrl: server.url, authorization: () => basicAuthorization(KEY), logger: nullLogger})
  const ftm = new FileTransferManager({http, policy: FAST, ...opts})
  return {s: server, ftm}
}

function file(name: string, content: string | Uint8Array): string {
  const p = join(dir, name)
  writeFileSync(p, content)
  return p
}

describe('FileTransferManager uploads', () => {
  test('an upload PUTs the file bytes without Authorization and with an explicit content-type', async () => {
    const {s, ftm} = setup()
    const path = file('config.json', '{"a": 1}')
    const delivery = await ftm.upload({path, url: s.storageUrl('config.json'), headers: {'X-Signed': 'yes'}, kind: 'wandb'})
    expect(delivery).toEqual({status: 'delivered'})
    expect(new TextDecoder().decode(s.stored.get('config.json'))).toBe('{"a": 1}')
    const put = s.puts[0]
    expect(put.headers.get('authorization')).toBeNull()
    expect(put.headers.get('content-type')).toBe('application/octet-stream')
    expect(put.headers.get('x-signed')).toBe('yes')
    expect(ftm.stats.snapshot()).toEqual({uploadedBytes: 8, totalBytes: 8, counts: {wandb: 1, media: 0, artifact: 0, other: 0}})
  })

  test('the signed content-type is sent as given', async () => {
    const {s, ftm} = setup()
    const path = file('a.txt', 'x')
    await ftm.upload({path, url: s.storageUrl('a.txt'), headers: {'Content-Type': 'text/plain'}})
    expect(s.puts[0].headers.get('content-type')).toBe('text/plain')
  })

  test('an empty file is uploaded with an empty body', async () => {
    const {s, ftm} = setup()
    const delivery = await ftm.upload({path: file('empty.log', ''), url: s.storageUrl('empty.log')})
    expect(delivery.status).toBe('delivered')
    expect(s.puts[0].body.length).toBe(0)
    expect(s.puts[0].headers.get('content-length')).toBe('0')
  })

  test('offset and size upload one part of the file', async () => {
    const {s, ftm} = setup()
    const path = file('big.bin', '0123456789')
    expect((await ftm.upload({path, url: s.storageUrl('part'), offset: 3, size: 4})).status).toBe('delivered')
    expect(new TextDecoder().decode(s.stored.get('part'))).toBe('3456')
    const bad = await ftm.upload({path, url: s.storageUrl('part2'), offset: 8, size: 4})
    expect(bad.status).toBe('abandoned')
    expect(bad.error).toBeInstanceOf(LocalFileError)
  })

  test('at most `concurrency` uploads run at once', async () => {
    const gate = new Deferred<void>()
    const {s, ftm} = setup({put: async () => (await gate.promise, undefined)}, {concurrency: 3})
    const outcomes = Array.from({length: 8}, (_, i) => ftm.upload({path: file(`f${i}`, `data ${i}`), url: s.storageUrl(`f${i}`)}))
    await s.waitFor(() => s.activePuts === 3, 'three PUTs in flight')
    expect(ftm.pending).toBe(8)
    expect([ftm.active, ftm.queued]).toEqual([3, 5])
    gate.resolve()
    const all = await Promise.all(outcomes)
    expect(all.every((d) => d.status === 'delivered')).toBe(true)
    expect(s.maxActivePuts).toBe(3)
    expect(s.stored.size).toBe(8)
  })

  test('a 5xx is retried with the whole body again and then delivered', async () => {
    const {s, ftm} = setup({put: (_name, n) => (n === 1 ? new Response('busy', {status: 503}) : undefined)})
    const delivery = await ftm.upload({path: file('r.bin', 'retry me'), url: s.storageUrl('r.bin')})
    expect(delivery.status).toBe('delivered')
    expect(s.puts.map((p) => new TextDecoder().decode(p.body))).toEqual(['retry me', 'retry me'])
  })

  test('a 403 from storage is rejected at once, without retries', async () => {
    const {s, ftm} = setup({put: () => new Response('expired', {status: 403})})
    const delivery = await ftm.upload({path: file('x', 'x'), url: s.storageUrl('x')})
    expect(delivery.status).toBe('rejected')
    expect((delivery.error as HttpError).status).toBe(403)
    expect(s.puts.length).toBe(1)
    expect(ftm.stats.snapshot().totalBytes).toBe(0)
  })

  test('a 5xx that never ends is abandoned after the retries', async () => {
    const {s, ftm} = setup({put: () => new Response('down', {status: 500})})
    const delivery = await ftm.upload({path: file('x', 'x'), url: s.storageUrl('x')})
    expect(delivery.status).toBe('abandoned')
    expect(s.puts.length).toBe(FAST.maxRetries + 1)
  })

  test('a missing local file is abandoned with a LocalFileError', async () => {
    const {s, ftm} = setup()
    const delivery = await ftm.upload({path: join(dir, 'nope'), url: s.storageUrl('nope')})
    expect(delivery.status).toBe('abandoned')
    expect(delivery.error).toBeInstanceOf(LocalFileError)
    expect(s.puts.length).toBe(0)
  })

  test('close waits for running uploads and later ones are abandoned', async () => {
    const gate = new Deferred<void>()
    const {s, ftm} = setup({put: async () => (await gate.promise, undefined)})
    const first = ftm.upload({path: file('a', 'a'), url: s.storageUrl('a')})
    await s.waitFor(() => s.activePuts === 1, 'the PUT')
    let closed = false
    const closing = ftm.close().then(() => (closed = true))
    const late = await ftm.upload({path: file('b', 'b'), url: s.storageUrl('b')})
    expect(late.status).toBe('abandoned')
    expect(late.error).toBeInstanceOf(FileTransferClosedError)
    expect(closed).toBe(false)
    gate.resolve()
    await closing
    expect((await first).status).toBe('delivered')
    await ftm.close()
  })

  test('aborting the signal abandons the transfers in flight', async () => {
    const ctl = new AbortController()
    const gate = new Deferred<void>()
    const {s, ftm} = setup({put: async () => (await gate.promise, undefined)}, {signal: ctl.signal})
    const p = ftm.upload({path: file('a', 'a'), url: s.storageUrl('a')})
    await s.waitFor(() => s.activePuts === 1, 'the PUT')
    ctl.abort(new Error('finish timeout'))
    const delivery = await p
    expect(delivery.status).toBe('abandoned')
    expect(delivery.error?.message).toBe('finish timeout')
    expect((await ftm.upload({path: file('b', 'b'), url: s.storageUrl('b')})).error).toBeInstanceOf(FileTransferClosedError)
    gate.resolve()
  })
})

describe('FileTransferManager downloads', () => {
  test('a download lands at the path, creating folders, with no temporary file left', async () => {
    const {s, ftm} = setup()
    s.stored.set('model.bin', new TextEncoder().encode('weights'))
    const target = join(dir, 'deep', 'er', 'model.bin')
    expect(await ftm.download({url: s.storageUrl('model.bin'), path: target})).toEqual({status: 'delivered'})
    expect(readFileSync(target, 'utf8')).toBe('weights')
    expect(readdirSync(join(dir, 'deep', 'er'))).toEqual(['model.bin'])
  })

  test('a 404 is rejected and leaves no file behind', async () => {
    const {s, ftm} = setup()
    const target = join(dir, 'absent.bin')
    const delivery = await ftm.download({url: s.storageUrl('absent.bin'), path: target})
    expect(delivery.status).toBe('rejected')
    expect(existsSync(target)).toBe(false)
    expect(readdirSync(dir)).toEqual([])
  })
})

describe('upload headers and summaries', () => {
  test('"Name: value" strings split at the first colon; entries without one are reported', () => {
    expect(parseUploadHeaders(['Content-Type: application/json', 'x-amz-meta: a:b ', 'broken'])).toEqual({
      headers: {'Content-Type': 'application/json', 'x-amz-meta': 'a:b'},
      malformed: ['broken'],
    })
  })

  test('summaries count outcomes and list the failures', () => {
    const err = new Error('x')
    const s = summarizeDeliveries([
      ['a', {status: 'delivered'}],
      ['b', {status: 'rejected', error: err}],
      ['c', {status: 'abandoned', error: err}],
    ])
    expect([s.delivered, s.rejected, s.abandoned]).toEqual([1, 1, 1])
    expect(s.failures.map((f) => f.what)).toEqual(['b', 'c'])
  })
})

import {afterEach, beforeEach, describe, expect, test} from 'bun:test'
import {existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {FakeWandbApi} from './fake-wandb-api.ts'
import {BASIC_AUTH, errorOf, openSession} from './helpers.ts'

let fake: FakeWandbApi
let other: FakeWandbApi | undefined
let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wbapi-transfer-'))
})
afterEach(() => {
  fake?.stop()
  other?.stop()
  other = undefined
  rmSync(dir, {recursive: true, force: true})
})

const upload = (path: string, url: string, headers: Record<string, string> = {}) => ({
  oneofKind: 'upload_file_request' as const,
  upload_file_request: {path, url, headers},
})
const download = (path: string, url: string) => ({
  oneofKind: 'download_file_request' as const,
  download_file_request: {path, url, size: 0n},
})

describe('upload_file_request and download_file_request', () => {
  test('a file round-trips through the server byte for byte', async () => {
    fake = new FakeWandbApi()
    const s = openSession(fake, {x_extra_http_headers: {value: {'User-Agent': 'W&B Public Client 0.31.0'}}})
    const bytes = new Uint8Array(300_000).map((_, i) => (i * 7) % 256)
    writeFileSync(join(dir, 'in.bin'), bytes)
    const up = await s.call(upload(join(dir, 'in.bin'), `${fake.url}/files/blob`, {'Content-Type': 'image/png', 'X-Signed': 'yes'}))
    expect(up?.response.oneofKind).toBe('upload_file_response')
    const put = fake.to('/files/blob')[0]
    expect(put.method).toBe('PUT')
    expect(put.headers.get('content-type')).toBe('image/png')
    expect(put.headers.get('x-signed')).toBe('yes')
    expect(put.headers.get('user-agent')).toBe('W&B Public Client 0.31.0')
    const down = await s.call(download(join(dir, 'out', 'nested', 'copy.bin'), `${fake.url}/files/blob`))
    expect(down?.response.oneofKind).toBe('download_file_response')
    expect(new Uint8Array(readFileSync(join(dir, 'out', 'nested', 'copy.bin')))).toEqual(bytes)
  })

  test('credentials go to URLs under the base URL and never to other hosts', async () => {
    fake = new FakeWandbApi()
    other = new FakeWandbApi()
    const s = openSession(fake)
    writeFileSync(join(dir, 'f.txt'), 'hello')
    await s.call(upload(join(dir, 'f.txt'), `${fake.url}/files/a`))
    await s.call(upload(join(dir, 'f.txt'), `${other.url}/files/a?X-Amz-Signature=abc`))
    await s.call(download(join(dir, 'a1'), `${fake.url}/files/a`))
    await s.call(download(join(dir, 'a2'), `${other.url}/files/a`))
    const mine = fake.requests.filter((r) => r.path === '/files/a')
    const theirs = other.requests.filter((r) => r.path === '/files/a')
    expect(mine.map((r) => r.headers.get('authorization'))).toEqual([BASIC_AUTH, BASIC_AUTH])
    expect(theirs.map((r) => r.headers.get('authorization'))).toEqual([null, null])
    expect(readFileSync(join(dir, 'a2'), 'utf8')).toBe('hello')
  })

  test('an upload without a content-type header is sent as application/octet-stream; an empty file as an empty body', async () => {
    fake = new FakeWandbApi()
    const s = openSession(fake)
    writeFileSync(join(dir, 'x.json'), '{}')
    writeFileSync(join(dir, 'empty'), '')
    await s.call(upload(join(dir, 'x.json'), `${fake.url}/files/x`))
    expect((await s.call(upload(join(dir, 'empty'), `${fake.url}/files/empty`)))?.response.oneofKind).toBe('upload_file_response')
    expect(fake.to('/files/x')[0].headers.get('content-type')).toBe('application/octet-stream')
    expect(fake.stored.get('empty')).toEqual(new Uint8Array(0))
  })

  test('a missing file or a directory is an error and nothing is sent', async () => {
    fake = new FakeWandbApi()
    const s = openSession(fake)
    expect(errorOf(await s.call(upload(join(dir, 'missing'), `${fake.url}/files/m`)))?.message).toStartWith('file transfer: upload: ')
    expect(errorOf(await s.call(upload(dir, `${fake.url}/files/d`)))?.message).toBe(`file transfer: upload: cannot upload directory ${dir}`)
    expect(fake.requests.filter((r) => r.path.startsWith('/files/'))).toHaveLength(0)
  })

  test('a failed download reports the status and body, and leaves no file behind', async () => {
    fake = new FakeWandbApi()
    const err = errorOf(await openSession(fake).call(download(join(dir, 'gone.bin'), `${fake.url}/files/nothing`)))
    expect(err?.http_status).toBe(404)
    expect(err?.message).toMatch(/^file transfer: download: failed to download: status: 404( Not Found)?: body: no such file$/)
    expect(existsSync(join(dir, 'gone.bin'))).toBe(false)
    expect(readdirSync(dir)).toEqual([])
  })

  test('an upload the server refuses reports its status', async () => {
    fake = new FakeWandbApi({route: (r) => (r.method === 'PUT' ? new Response('expired', {status: 403}) : undefined)})
    writeFileSync(join(dir, 'f'), 'x')
    const err = errorOf(await openSession(fake).call(upload(join(dir, 'f'), `${fake.url}/files/f`)))
    expect(err?.http_status).toBe(403)
    expect(err?.message).toContain('file transfer: upload: failed to upload: status: 403')
    expect(err?.message).toEndWith('body: expired')
  })

  test('a cancelled download stops at once and leaves no partial file', async () => {
    fake = new FakeWandbApi({
      route: (r) => {
        if (r.path !== '/files/slow') return undefined
        const stream = new ReadableStream({
          start(c) {
            c.enqueue(new Uint8Array(1000))
          },
        })
        return new Response(stream)
      },
    })
    const ctl = new AbortController()
    const pending = openSession(fake).call(download(join(dir, 'slow.bin'), `${fake.url}/files/slow`), ctl.signal)
    await Bun.sleep(100)
    ctl.abort()
    expect(errorOf(await pending)?.message).toContain('cancelled')
    await Bun.sleep(100)
    expect(readdirSync(dir)).toEqual([])
  })
})

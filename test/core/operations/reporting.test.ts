/**
 * The operations the upload paths report while they work, observed from the server's side: each
 * hook of the fake server looks at the operations at the moment a request arrives.
 */
import {afterEach, describe, expect, test} from 'bun:test'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {FILE_STREAM_POLICY, FILE_TRANSFER_POLICY, GRAPHQL_POLICY, GraphQLClient, HttpClient, basicAuthorization, type RetryPolicy} from '../../../src/core/api/index.ts'
import {HttpFileStream, uploadDescription} from '../../../src/core/filestream/index.ts'
import {FileTransferManager} from '../../../src/core/filetransfer/index.ts'
import {nullLogger} from '../../../src/core/observability/index.ts'
import {Operations} from '../../../src/core/operations/index.ts'
import {FilesItem_PolicyType} from '../../../src/core/proto.ts'
import {RunFilesUploader} from '../../../src/core/runfiles/index.ts'
import {FakeUploadServer, type FakeUploadServerHooks} from '../../fakes/fake-upload-server.ts'
import {ManualClock} from '../../fakes/manual-clock.ts'

const KEY = 'k'.repeat(40)
const FAST_FS: RetryPolicy = {...FILE_STREAM_POLICY, maxRetries: 3, waitMinMs: 5, waitMaxMs: 10, timeoutMs: 5000}
const FAST_PUT: RetryPolicy = {...FILE_TRANSFER_POLICY, maxRetries: 3, waitMinMs: 5, waitMaxMs: 10}
const FAST_GQL: RetryPolicy = {...GRAPHQL_POLICY, maxRetries: 1, waitMinMs: 5, waitMaxMs: 10}

const cleanups: Array<() => void> = []
afterEach(() => {
  for (const c of cleanups.splice(0)) c()
})

/** Flattened [desc, progress, error_status] of every reported operation, subtasks after their parent. */
function snapshot(ops: Operations): Array<[string, string, string]> {
  const out: Array<[string, string, string]> = []
  const walk = (list: ReturnType<Operations['stats']>['operations']) => {
    for (const o of list) {
      out.push([o.desc, o.progress, o.error_status])
      walk(o.subtasks)
    }
  }
  walk(ops.stats().operations)
  return out
}

function server(hooks: FakeUploadServerHooks) {
  const s = new FakeUploadServer(hooks)
  cleanups.push(() => s.stop())
  const http = new HttpClient({baseUrl: s.url, authorization: () => basicAuthorization(KEY), logger: nullLogger})
  return {s, http}
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ops-'))
  cleanups.push(() => rmSync(dir, {recursive: true, force: true}))
  return dir
}

describe('file_stream operations', () => {
  test('describe what a request carries, as Go core does', () => {
    expect(uploadDescription({})).toBe('uploading data')
    expect(uploadDescription({files: {'wandb-events.jsonl': {offset: 0, content: ['{}']}}, uploaded: ['a']})).toBe('uploading data')
    expect(
      uploadDescription({
        files: {
          'wandb-history.jsonl': {offset: 5, content: ['a', 'b', 'c']},
          'wandb-summary.json': {offset: 0, content: ['{}']},
          'output.log': {offset: 10, content: ['x']},
        },
      }),
    ).toBe('uploading history steps 5-7, summary, console lines 10-10')
    expect(uploadDescription({files: {'wandb-summary.json': {offset: 0, content: ['{}']}}, complete: true, exitcode: 0})).toBe('uploading summary')
  })

  test('a request in flight is an operation that shows its retries and ends with the request', async () => {
    const ops = new Operations()
    const seen: Array<Array<[string, string, string]>> = []
    const {http} = server({
      fileStream: (_body, n) => {
        seen.push(snapshot(ops))
        return n <= 2 ? Response.json({error: 'overloaded'}, {status: 503}) : undefined
      },
    })
    const fs = new HttpFileStream({http, clock: new ManualClock(), policy: FAST_FS, operations: ops})
    fs.start({entity: 'e', project: 'p', runId: 'r'})
    fs.streamUpdate({history: ['{"_step":0}', '{"_step":1}']})
    expect((await fs.finishWithExit(0)).status).toBe('delivered')
    const desc = 'uploading history steps 0-1'
    // one request (the exit rides along), seen by the server three times
    expect(seen).toEqual([[[desc, '', '']], [[desc, '', 'retrying HTTP 503: overloaded']], [[desc, '', 'retrying HTTP 503: overloaded']]])
    expect(ops.size).toBe(0)
  })
})

describe('file transfer operations', () => {
  test("an upload's operation shows done of total bytes and the storage's retries, cleared when it ends", async () => {
    const ops = new Operations()
    const seen: Array<Array<[string, string, string]>> = []
    const {s, http} = server({
      put: (_name, n) => {
        seen.push(snapshot(ops))
        return n === 1 ? new Response('slow down', {status: 503, statusText: 'Service Unavailable'}) : undefined
      },
    })
    const dir = tempDir()
    writeFileSync(join(dir, 'f.bin'), new Uint8Array(3 * 1024))
    const transfers = new FileTransferManager({http, policy: FAST_PUT})
    const op = ops.start('uploading f.bin')
    const delivery = await transfers.upload({path: join(dir, 'f.bin'), url: s.storageUrl('f.bin'), operation: op})
    expect(delivery.status).toBe('delivered')
    expect(seen).toEqual([[['uploading f.bin', '0B/3.0KB', '']], [['uploading f.bin', '0B/3.0KB', 'retrying HTTP 503 Service Unavailable']]])
    expect([op.progress, op.errorStatus]).toEqual(['3.0KB/3.0KB', ''])
    await transfers.close()
  })

  test('a download counts the bytes written as they arrive', async () => {
    const ops = new Operations()
    const {s, http} = server({})
    s.stored.set('d.bin', new Uint8Array(2048 + 512))
    const dir = tempDir()
    const transfers = new FileTransferManager({http, policy: FAST_PUT})
    const op = ops.start('downloading d.bin')
    const delivery = await transfers.download({url: s.storageUrl('d.bin'), path: join(dir, 'd.bin'), operation: op})
    expect(delivery.status).toBe('delivered')
    expect(op.progress).toBe('2.5KB/2.5KB')
    expect(Bun.file(join(dir, 'd.bin')).size).toBe(2560)
    await transfers.close()
  })
})

describe('run file operations', () => {
  test('each saved file shows as "uploading <run path>" while it is sent, and a GraphQL retry shows on the caller', async () => {
    const ops = new Operations()
    const seen: Array<Array<[string, string, string]>> = []
    const {s, http} = server({put: () => void seen.push(snapshot(ops))})
    const dir = tempDir()
    writeFileSync(join(dir, 'config.yaml'), 'a: 1\n')
    const transfers = new FileTransferManager({http, policy: FAST_PUT})
    const uploader = new RunFilesUploader({
      filesDir: dir,
      entity: () => 'e',
      project: () => 'p',
      runId: () => 'r',
      graphql: new GraphQLClient(http),
      transfers,
      clock: new ManualClock(),
      logger: nullLogger,
      graphqlPolicy: FAST_GQL,
      operations: ops,
    })
    uploader.process({files: [{path: 'config.yaml', policy: FilesItem_PolicyType.NOW, type: 0}]} as never)
    const summary = await uploader.finish()
    expect(summary.allDelivered).toBe(true)
    expect(s.puts.map((p) => p.name)).toEqual(['config.yaml'])
    expect(seen).toEqual([[['uploading config.yaml', '0B/5B', '']]])
    expect(ops.size).toBe(0)
  })

  test('an unchanged file uploads once, so it shows no second operation', async () => {
    const ops = new Operations()
    const starts: string[] = []
    const original = ops.start.bind(ops)
    ops.start = (desc: string) => {
      starts.push(desc)
      return original(desc)
    }
    const {http} = server({})
    const dir = tempDir()
    writeFileSync(join(dir, 'a.txt'), 'same')
    const transfers = new FileTransferManager({http, policy: FAST_PUT})
    const uploader = new RunFilesUploader({
      filesDir: dir,
      entity: () => 'e',
      project: () => 'p',
      runId: () => 'r',
      graphql: new GraphQLClient(http),
      transfers,
      clock: new ManualClock(),
      logger: nullLogger,
      graphqlPolicy: FAST_GQL,
      operations: ops,
      batchDelayMs: 0,
    })
    uploader.uploadNow('a.txt')
    uploader.uploadAtEnd('a.txt')
    uploader.uploadRemaining()
    await uploader.finish()
    expect(starts).toEqual(['uploading a.txt'])
  })
})

describe('HTTP retry status', () => {
  test('a request outside any operation retries as before and reports nothing', async () => {
    const ops = new Operations()
    let calls = 0
    const {s, http} = server({put: () => (++calls === 1 ? new Response('', {status: 503}) : undefined)})
    const res = await http.send({method: 'PUT', url: s.storageUrl('x'), body: 'x', policy: FAST_PUT, auth: false})
    expect(res.status).toBe(200)
    expect(calls).toBe(2)
    expect(ops.stats().operations).toEqual([])
  })

  test('a request that fails for good leaves no error status behind', async () => {
    const ops = new Operations()
    const op = ops.start('uploading x')
    const {s, http} = server({put: () => new Response('{"error": "down"}', {status: 502, headers: {'content-type': 'application/json'}})})
    const policy = {...FAST_PUT, maxRetries: 1}
    await expect(op.run(() => http.send({method: 'PUT', url: s.storageUrl('x'), body: 'x', policy, auth: false}))).rejects.toThrow()
    expect(s.puts.length).toBe(2)
    expect(op.errorStatus).toBe('')
  })
})

import {afterEach, describe, expect, test} from 'bun:test'
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {FILE_TRANSFER_POLICY, GRAPHQL_POLICY, GraphQLClient, HttpClient, basicAuthorization, type RetryPolicy} from '../../../src/core/api/index.ts'
import {FileTransferManager} from '../../../src/core/filetransfer/index.ts'
import {nullLogger} from '../../../src/core/observability/index.ts'
import {FilesItem_FileType, FilesItem_PolicyType, type FilesRecord} from '../../../src/core/proto.ts'
import {CreateRunFilesError, RunFilesUploader, RunNotReadyError, fileB64Md5, type RunFilesUploaderOptions} from '../../../src/core/runfiles/index.ts'
import {FakeUploadServer, type FakeUploadServerHooks} from '../../fakes/fake-upload-server.ts'
import {ManualClock} from '../../fakes/manual-clock.ts'

const KEY = 'k'.repeat(40)
const FAST_GQL: RetryPolicy = {...GRAPHQL_POLICY, maxRetries: 1, waitMinMs: 5, waitMaxMs: 10}
const FAST_PUT: RetryPolicy = {...FILE_TRANSFER_POLICY, maxRetries: 1, waitMinMs: 5, waitMaxMs: 10}
const {NOW, END, LIVE} = FilesItem_PolicyType

const cleanups: Array<() => void> = []
afterEach(() => {
  for (const c of cleanups.splice(0)) c()
})

function setup(hooks: FakeUploadServerHooks = {}, opts: Partial<RunFilesUploaderOptions> & {concurrency?: number} = {}) {
  const s = new FakeUploadServer(hooks)
  const dir = mkdtempSync(join(tmpdir(), 'runfiles-'))
  cleanups.push(
    () => s.stop(),
    () => rmSync(dir, {recursive: true, force: true}),
  )
  const http = new HttpClient({baseUrl: s.url, authorization: () => basicAuthorization(KEY), logger: nullLogger})
  const transfers = new FileTransferManager({http, policy: FAST_PUT, concurrency: opts.concurrency})
  const clock = new ManualClock()
  const uploaded: string[] = []
  const uploader = new RunFilesUploader({
    filesDir: dir,
    entity: () => 'ent',
    project: () => 'proj',
    runId: () => 'run1',
    graphql: new GraphQLClient(http),
    transfers,
    clock,
    logger: nullLogger,
    graphqlPolicy: FAST_GQL,
    onUploaded: (paths) => uploaded.push(...paths),
    ...opts,
  })
  const write = (runPath: string, content: string) => {
    const p = join(dir, runPath)
    mkdirSync(dirname(p), {recursive: true})
    writeFileSync(p, content)
  }
  const text = (name: string) => new TextDecoder().decode(s.stored.get(name))
  const createCalls = () => s.graphql.filter((g) => g.operationName === 'CreateRunFiles')
  return {s, dir, uploader, transfers, clock, uploaded, write, text, createCalls}
}

function record(...files: Array<[string, FilesItem_PolicyType, FilesItem_FileType?]>): FilesRecord {
  return {files: files.map(([path, policy, type]) => ({path, policy, type: type ?? FilesItem_FileType.OTHER}))}
}

describe('RunFilesUploader batching and upload', () => {
  test('now files go in one CreateRunFiles call after the 5 s batch delay, PUT without Authorization', async () => {
    const {s, uploader, clock, uploaded, write, text, createCalls} = setup()
    write('a.txt', 'alpha')
    write('media/images/x.png', 'png!')
    uploader.process(record(['a.txt', NOW], ['media/images/x.png', NOW]))
    uploader.uploadNow('wandb-metadata.json')
    write('wandb-metadata.json', '{}')
    await clock.whenSleeping()
    await clock.advance(4_999)
    expect(createCalls().length).toBe(0)
    await clock.advance(1)
    await s.waitFor(() => s.stored.size === 3, 'three stored files')
    expect(createCalls().length).toBe(1)
    const call = createCalls()[0]
    expect(call.variables).toMatchObject({entity: 'ent', project: 'proj', run: 'run1'})
    expect([...call.variables.files].sort()).toEqual(['a.txt', 'media/images/x.png', 'wandb-metadata.json'])
    expect(call.query).toContain('createRunFiles(input: {entityName: $entity, projectName: $project, runName: $run, files: $files})')
    expect(call.headers.get('authorization')).toBe(basicAuthorization(KEY))
    expect(s.puts.every((p) => p.headers.get('authorization') === null)).toBe(true)
    expect([text('a.txt'), text('media/images/x.png')]).toEqual(['alpha', 'png!'])
    const summary = await uploader.finish()
    expect(summary.allDelivered).toBe(true)
    expect([...uploaded].sort()).toEqual(['a.txt', 'media/images/x.png', 'wandb-metadata.json'])
  })

  test('finish sends the pending batch at once and resolves every outcome', async () => {
    const {uploader, write, createCalls} = setup()
    write('config.yaml', 'a: 1')
    uploader.uploadNow('config.yaml')
    const summary = await uploader.finish()
    expect(createCalls().length).toBe(1)
    expect(summary.outcomes).toEqual(new Map([['config.yaml', {status: 'delivered'}]]))
    expect(summary.summary.delivered).toBe(1)
    expect(uploader.finish()).toBe(uploader.finish())
  })

  test('end files wait for uploadRemaining', async () => {
    const {s, uploader, clock, write, text} = setup()
    write('model.ckpt', 'weights')
    uploader.process(record(['model.ckpt', END]))
    await clock.advance(10_000)
    expect(s.graphql.length).toBe(0)
    uploader.uploadRemaining()
    await uploader.finish()
    expect(text('model.ckpt')).toBe('weights')
  })

  test('an unchanged file is not PUT again, a changed one is', async () => {
    const {s, uploader, clock, write, createCalls} = setup()
    write('config.yaml', 'v: 1')
    uploader.uploadNow('config.yaml')
    await clock.advance(5_000)
    await s.waitFor(() => s.puts.length === 1, 'first PUT')
    uploader.uploadNow('config.yaml')
    await clock.advance(5_000)
    await s.waitFor(() => createCalls().length === 2, 'second CreateRunFiles')
    const summary = await uploader.finish()
    expect(s.puts.length).toBe(1)
    expect(summary.allDelivered).toBe(true)

    const b = setup()
    b.write('wandb-summary.json', '{"a":1}')
    b.uploader.uploadNow('wandb-summary.json')
    await b.clock.advance(5_000)
    await b.s.waitFor(() => b.s.puts.length === 1, 'first PUT')
    b.write('wandb-summary.json', '{"a":2}')
    b.uploader.uploadNow('wandb-summary.json')
    await b.uploader.finish()
    expect(b.s.puts.length).toBe(2)
    expect(b.text('wandb-summary.json')).toBe('{"a":2}')
  })

  test('live files upload now, again when they change, and not again at the end if unchanged', async () => {
    const {s, uploader, clock, uploaded, write, text} = setup()
    write('progress.txt', 'v1')
    uploader.process(record(['progress.txt', LIVE]))
    await clock.advance(5_000)
    await s.waitFor(() => s.puts.length === 1, 'first PUT')
    expect(text('progress.txt')).toBe('v1')
    write('progress.txt', 'version 2')
    await clock.advance(500)
    await clock.advance(5_000)
    await s.waitFor(() => s.puts.length === 2, 'second PUT')
    expect(text('progress.txt')).toBe('version 2')
    uploader.uploadRemaining()
    const summary = await uploader.finish()
    expect(s.puts.length).toBe(2)
    expect(uploaded).toEqual(['progress.txt', 'progress.txt'])
    expect(summary.outcomes.get('progress.txt')).toEqual({status: 'delivered'})
  })

  test('missing files are skipped and the others still upload', async () => {
    const {uploader, write, createCalls} = setup()
    write('here.txt', 'x')
    uploader.process(record(['here.txt', NOW], ['gone.txt', NOW]))
    const summary = await uploader.finish()
    expect(createCalls()[0].variables.files).toEqual(['here.txt'])
    expect(summary.skipped).toEqual(new Map([['gone.txt', 'missing']]))
    expect(summary.allDelivered).toBe(true)
  })

  test('ignore_globs match the whole run path like Go filepath.Match', async () => {
    const {uploader, write, createCalls} = setup({}, {ignoreGlobs: ['*.log', 'media/*.png']})
    for (const p of ['debug.log', 'media/a.png', 'media/sub/b.png', 'keep.txt']) write(p, p)
    uploader.process(record(['debug.log', NOW], ['media/a.png', NOW], ['media/sub/b.png', NOW], ['keep.txt', NOW]))
    const summary = await uploader.finish()
    expect([...createCalls()[0].variables.files].sort()).toEqual(['keep.txt', 'media/sub/b.png'])
    expect(summary.skipped.get('debug.log')).toBe('ignored')
    expect(summary.skipped.get('media/a.png')).toBe('ignored')
  })

  test('paths outside the files directory are refused', async () => {
    const {uploader, s} = setup()
    uploader.process(record(['../escape.txt', NOW], ['/etc/passwd', NOW]))
    const summary = await uploader.finish()
    expect(s.graphql.length).toBe(0)
    expect([...summary.skipped.values()]).toEqual(['invalid-path', 'invalid-path'])
  })

  test('upload headers are parsed and entries are matched by name, not by position', async () => {
    const {uploader, write, text, s} = setup({
      createRunFiles: (names, _n, self) =>
        Response.json({
          data: {
            createRunFiles: {
              runID: 'x',
              uploadHeaders: ['Content-Type: text/plain', 'X-Meta:  m '],
              files: [...names].reverse().map((name) => ({name, uploadUrl: self.storageUrl(name)})),
            },
          },
        }),
    })
    write('one.txt', 'first')
    write('two.txt', 'second')
    uploader.process(record(['one.txt', NOW], ['two.txt', NOW]))
    await uploader.finish()
    expect([text('one.txt'), text('two.txt')]).toEqual(['first', 'second'])
    expect(s.puts[0].headers.get('content-type')).toBe('text/plain')
    expect(s.puts[0].headers.get('x-meta')).toBe('m')
  })

  test("upload concurrency stays within the transfer manager's limit", async () => {
    const {s, uploader, write} = setup({}, {concurrency: 2})
    for (let i = 0; i < 6; i++) write(`f${i}.txt`, `content ${i}`)
    uploader.process(record(...Array.from({length: 6}, (_, i): [string, FilesItem_PolicyType] => [`f${i}.txt`, NOW])))
    const summary = await uploader.finish()
    expect(summary.summary.delivered).toBe(6)
    expect(s.maxActivePuts).toBeLessThanOrEqual(2)
  })

  test('file kinds feed the transfer statistics', async () => {
    const {uploader, write, transfers} = setup()
    for (const p of ['wandb-metadata.json', 'media/t.table.json', 'art.bin', 'user.txt']) write(p, '12345')
    uploader.process(record(['media/t.table.json', NOW], ['art.bin', NOW, FilesItem_FileType.ARTIFACT], ['user.txt', NOW]))
    uploader.uploadNow('wandb-metadata.json')
    await uploader.finish()
    expect(transfers.stats.snapshot()).toEqual({uploadedBytes: 20, totalBytes: 20, counts: {wandb: 1, media: 1, artifact: 1, other: 1}})
  })

  test('calls after finish are ignored', async () => {
    const {uploader, write, s} = setup()
    await uploader.finish()
    write('late.txt', 'x')
    uploader.uploadNow('late.txt')
    uploader.process(record(['late.txt', NOW]))
    uploader.uploadRemaining()
    expect(s.graphql.length).toBe(0)
  })
})

describe('RunFilesUploader failures become outcomes', () => {
  test('a refused CreateRunFiles rejects every file of the batch', async () => {
    const {uploader, write} = setup({createRunFiles: () => new Response('{"errors":["no"]}', {status: 400})})
    write('a', 'a')
    write('b', 'b')
    uploader.process(record(['a', NOW], ['b', NOW]))
    const summary = await uploader.finish()
    expect(summary.allDelivered).toBe(false)
    expect(summary.summary.rejected).toBe(2)
  })

  test('CreateRunFiles that keeps failing abandons the files', async () => {
    const {uploader, write, createCalls} = setup({createRunFiles: () => new Response('down', {status: 503})})
    write('a', 'a')
    uploader.uploadNow('a')
    const summary = await uploader.finish()
    expect(summary.outcomes.get('a')?.status).toBe('abandoned')
    expect(createCalls().length).toBe(FAST_GQL.maxRetries + 1)
  })

  test('a wrong number of entries rejects the batch; a null URL rejects only its file', async () => {
    const short = setup({createRunFiles: () => Response.json({data: {createRunFiles: {runID: 'x', uploadHeaders: [], files: []}}})})
    short.write('a', 'a')
    short.uploader.uploadNow('a')
    const s1 = await short.uploader.finish()
    expect(s1.outcomes.get('a')?.status).toBe('rejected')
    expect(s1.outcomes.get('a')?.error).toBeInstanceOf(CreateRunFilesError)

    const nullUrl = setup({
      createRunFiles: (names, _n, self) =>
        Response.json({data: {createRunFiles: {runID: 'x', uploadHeaders: [], files: names.map((name) => ({name, uploadUrl: name === 'b' ? null : self.storageUrl(name)}))}}}),
    })
    nullUrl.write('a', 'a')
    nullUrl.write('b', 'b')
    nullUrl.uploader.process(record(['a', NOW], ['b', NOW]))
    const s2 = await nullUrl.uploader.finish()
    expect(s2.outcomes.get('a')).toEqual({status: 'delivered'})
    expect(s2.outcomes.get('b')?.status).toBe('rejected')
    expect(s2.summary.failures.map((f) => f.what)).toEqual(['b'])
  })

  test('a refused PUT is rejected and not reported as uploaded', async () => {
    const {uploader, write, uploaded} = setup({put: () => new Response('expired', {status: 403})})
    write('a', 'a')
    uploader.uploadNow('a')
    const summary = await uploader.finish()
    expect(summary.outcomes.get('a')?.status).toBe('rejected')
    expect(uploaded).toEqual([])
  })

  test('files requested before the run is known are abandoned', async () => {
    const {uploader, write, s} = setup({}, {entity: () => undefined})
    write('a', 'a')
    uploader.uploadNow('a')
    const summary = await uploader.finish()
    expect(summary.outcomes.get('a')?.error).toBeInstanceOf(RunNotReadyError)
    expect(summary.outcomes.get('a')?.status).toBe('abandoned')
    expect(s.graphql.length).toBe(0)
  })
})

test('fileB64Md5 is the base64 MD5 of the bytes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'md5-'))
  try {
    writeFileSync(join(dir, 'f'), 'hello')
    expect(await fileB64Md5(join(dir, 'f'))).toBe('XUFAKrxLKna5cZ2REBfFkg==')
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
})

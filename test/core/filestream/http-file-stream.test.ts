import {afterEach, describe, expect, test} from 'bun:test'
import {FILE_STREAM_POLICY, HttpClient, basicAuthorization, type RetryPolicy} from '../../../src/core/api/index.ts'
import {HttpError} from '../../../src/core/errors.ts'
import {FATAL_ERROR_TEXT, FileStreamFatalError, FileStreamNotStartedError, HttpFileStream, type FileStreamOffsets, type FileStreamOptions} from '../../../src/core/filestream/index.ts'
import {nullLogger} from '../../../src/core/observability/index.ts'
import {Deferred} from '../../../src/core/runtime/index.ts'
import {FakeUploadServer, type FakeUploadServerHooks} from '../../fakes/fake-upload-server.ts'
import {ManualClock} from '../../fakes/manual-clock.ts'

const FAST: RetryPolicy = {...FILE_STREAM_POLICY, maxRetries: 2, waitMinMs: 5, waitMaxMs: 10, timeoutMs: 5000}
const KEY = 'k'.repeat(40)
const HISTORY = 'wandb-history.jsonl'

const cleanups: Array<() => void> = []
afterEach(() => {
  for (const c of cleanups.splice(0)) c()
})

function setup(hooks: FakeUploadServerHooks = {}, opts: Partial<FileStreamOptions> & {offsets?: Partial<FileStreamOffsets>; noStart?: boolean} = {}) {
  const s = new FakeUploadServer(hooks)
  const abort = new AbortController()
  cleanups.push(
    () => abort.abort(new Error('test over')),
    () => s.stop(),
  )
  const http = new HttpClient({baseUrl: s.url, authorization: () => basicAuthorization(KEY), logger: nullLogger})
  const clock = new ManualClock()
  const printed = {warnings: [] as string[], errors: [] as string[]}
  const printer = {warn: (t: string) => printed.warnings.push(t), error: (t: string) => printed.errors.push(t)}
  const fs = new HttpFileStream({http, clock, policy: FAST, printer, signal: abort.signal, ...opts})
  const start = () => fs.start({entity: 'ent', project: 'proj', runId: 'run1', offsets: opts.offsets})
  if (!opts.noStart) start()
  const requests = (n: number) => s.waitFor(() => s.fileStreamRequests.length >= n, `${n} file_stream request(s)`)
  return {s, fs, clock, printed, requests, start, bodies: () => s.fileStreamRequests.map((r) => r.body)}
}

describe('HttpFileStream flush', () => {
  test('flush sends at once, skipping the transmit interval, and resolves after the server accepted it', async () => {
    const {fs, clock, requests, bodies} = setup()
    fs.streamUpdate({history: ['{"step":0}']})
    await requests(1)
    fs.streamUpdate({history: ['{"step":1}']})
    await clock.whenSleeping()
    let flushed = false
    const done = fs.flush().then(() => (flushed = true))
    await requests(2)
    await done
    expect(flushed).toBe(true)
    expect(bodies()[1]).toEqual({files: {[HISTORY]: {offset: 1, content: ['{"step":1}']}}})
  })

  test('flush with nothing pending resolves at once, also when updates were merged away', async () => {
    const {fs, requests} = setup()
    fs.streamUpdate({summary: '{"a":1}'})
    await requests(1)
    await fs.flush()
    fs.streamUpdate({summary: '{"a":1}'}) // same summary: nothing new to send
    await fs.flush()
  })

  test('flush resolves when the stream dies', async () => {
    const {fs, requests} = setup({fileStream: () => new Response('bad', {status: 400})})
    fs.streamUpdate({history: ['{"x":1}']})
    const done = fs.flush()
    await requests(1)
    await done
  })
})

describe('HttpFileStream transmission', () => {
  test("posts JSON with credentials to the run's file_stream URL", async () => {
    const {s, fs, requests} = setup({}, {headers: {'X-WANDB-ASYNC-CLIENT-ID': 'c1'}})
    fs.streamUpdate({history: ['{"a":1}']})
    await requests(1)
    const r = s.fileStreamRequests[0]
    expect(r.path).toBe('/files/ent/proj/run1/file_stream')
    expect(r.headers.get('authorization')).toBe(basicAuthorization(KEY))
    expect(r.headers.get('content-type')).toBe('application/json')
    expect(r.headers.get('x-wandb-async-client-id')).toBe('c1')
    expect(r.body).toEqual({files: {[HISTORY]: {offset: 0, content: ['{"a":1}']}}})
  })

  test('the first request goes at once and the next waits for the transmit interval', async () => {
    const {fs, clock, requests, bodies} = setup()
    fs.streamUpdate({history: ['{"step":0}']})
    await requests(1)
    fs.streamUpdate({history: ['{"step":1}']})
    await clock.whenSleeping()
    await clock.advance(14_999)
    expect(bodies().length).toBe(1)
    await clock.advance(1)
    await requests(2)
    expect(bodies()[1]).toEqual({files: {[HISTORY]: {offset: 1, content: ['{"step":1}']}}})
  })

  test('updates arriving while a request is in flight are merged into the next request', async () => {
    const gate = new Deferred<void>()
    const {fs, requests, bodies} = setup({fileStream: async (_b, n) => (n === 1 ? (await gate.promise, undefined) : undefined)}, {transmitIntervalMs: 0})
    fs.streamUpdate({history: ['h0']})
    await requests(1)
    fs.streamUpdate({history: ['h1'], events: ['e0']})
    fs.streamUpdate({history: ['h2'], uploaded: ['a.txt']})
    fs.streamUpdate({history: ['h3'], uploaded: ['b.txt', 'a.txt']})
    gate.resolve()
    await requests(2)
    expect(bodies()[1]).toEqual({
      files: {[HISTORY]: {offset: 1, content: ['h1', 'h2', 'h3']}, 'wandb-events.jsonl': {offset: 0, content: ['e0']}},
      uploaded: ['a.txt', 'b.txt'],
    })
    expect(await fs.finishWithoutExit()).toEqual({status: 'delivered'})
    expect(bodies().length).toBe(2)
  })

  test('a retried request re-sends the same offsets and the server keeps no duplicates', async () => {
    const {s, fs, bodies} = setup({fileStream: (_b, n) => (n === 1 ? new Response('oops', {status: 500}) : undefined)})
    fs.streamUpdate({history: ['l0', 'l1']})
    fs.streamUpdate({history: ['l2']})
    expect(await fs.finishWithExit(0)).toEqual({status: 'delivered'})
    expect(s.fileStreamRequests.map((r) => r.status)).toEqual([500, 200])
    expect(bodies()[0]).toEqual(bodies()[1])
    expect(s.files[HISTORY]).toEqual(['l0', 'l1', 'l2'])
  })

  test('offsets continue from the start offsets, console lines shifted by the output offset', async () => {
    const {s, fs} = setup({}, {offsets: {history: 5, events: 2, summary: 1, output: 10}})
    fs.streamUpdate({history: ['h'], events: ['e'], summary: '{"s":1}', console: [{offset: 3, lines: ['c3', 'c4']}]})
    await fs.finishWithoutExit()
    expect(s.fileStreamRequests[0].body.files).toEqual({
      [HISTORY]: {offset: 5, content: ['h']},
      'wandb-events.jsonl': {offset: 2, content: ['e']},
      'wandb-summary.json': {offset: 1, content: ['{"s":1}']},
      'output.log': {offset: 13, content: ['c3', 'c4']},
    })
  })

  test('a heartbeat {} goes out after the heartbeat period with nothing to send', async () => {
    const {fs, clock, requests, bodies} = setup({}, {heartbeatPeriodMs: 30_000})
    await clock.whenSleeping()
    await clock.advance(29_999)
    expect(bodies().length).toBe(0)
    await clock.advance(1)
    await requests(1)
    expect(bodies()).toEqual([{}])
    fs.streamUpdate({history: ['x']})
    await requests(2)
    await clock.whenSleeping()
    await clock.advance(30_000)
    await requests(3)
    expect(bodies()[2]).toEqual({})
  })

  test('preempting is sent at once, regardless of the transmit interval', async () => {
    const {fs, clock, requests, bodies} = setup()
    fs.streamUpdate({history: ['x']})
    await requests(1)
    await clock.whenSleeping()
    fs.streamUpdate({preempting: true})
    await requests(2)
    expect(bodies()[1]).toEqual({preempting: true})
  })

  test('the summary is sent only when it changed, always at the same offset', async () => {
    const {fs, clock, requests, bodies} = setup({}, {offsets: {summary: 3}})
    fs.streamUpdate({summary: '{"loss":1}'})
    await requests(1)
    fs.streamUpdate({summary: '{"loss":1}', history: ['h0']})
    await clock.whenSleeping()
    await clock.advance(15_000)
    await requests(2)
    fs.streamUpdate({summary: '{"loss":0.5}'})
    fs.streamUpdate({summary: '{"loss":1}'})
    fs.streamUpdate({summary: '{"loss":0.25}'})
    await fs.finishWithoutExit()
    expect(bodies()).toEqual([
      {files: {'wandb-summary.json': {offset: 3, content: ['{"loss":1}']}}},
      {files: {[HISTORY]: {offset: 0, content: ['h0']}}},
      {files: {'wandb-summary.json': {offset: 3, content: ['{"loss":0.25}']}}},
    ])
  })

  test('a summary given as a function is serialized once per request, latest state only', async () => {
    const {fs, clock, requests, bodies} = setup({})
    let loss = 1
    let calls = 0
    const summary = () => {
      calls++
      return `{"loss":${loss}}`
    }
    fs.streamUpdate({summary, history: ['h0']})
    await requests(1)
    await clock.whenSleeping()
    for (let step = 1; step <= 50; step++) {
      loss = 1 / (step + 1)
      fs.streamUpdate({summary, history: [`h${step}`]})
    }
    expect(calls).toBe(1) // nothing serialized while the loop waits for its transmit slot
    await clock.advance(15_000)
    await requests(2)
    await fs.finishWithoutExit()
    expect(calls).toBe(2)
    expect(bodies()[1].files!['wandb-summary.json']).toEqual({offset: 0, content: [`{"loss":${1 / 51}}`]})
    expect(bodies()[1].files![HISTORY].content).toHaveLength(50)
  })

  test('console lines: later values replace earlier ones, and separate runs go in separate requests', async () => {
    const {fs, bodies, start} = setup({}, {noStart: true})
    fs.streamUpdate({
      console: [
        {offset: 0, lines: ['a', 'b']},
        {offset: 5, lines: ['f']},
      ],
    })
    fs.streamUpdate({console: [{offset: 1, lines: ['b2', 'c']}]})
    start()
    await fs.finishWithExit(0)
    expect(bodies()).toEqual([{files: {'output.log': {offset: 0, content: ['a', 'b2', 'c']}}}, {files: {'output.log': {offset: 5, content: ['f']}}, complete: true, exitcode: 0}])
  })

  test('the 10 MiB cap splits data across requests, and complete comes only with the last', async () => {
    const {s, fs, bodies, start} = setup({}, {noStart: true})
    const lines = Array.from({length: 12}, (_, i) => String(i).padEnd(1024 * 1024, 'y'))
    fs.streamUpdate({history: lines})
    start()
    expect(await fs.finishWithExit(0)).toEqual({status: 'delivered'})
    const chunks = bodies().map((b) => b.files?.[HISTORY])
    expect(chunks.map((c) => [c?.offset, c?.content.length])).toEqual([
      [0, 10],
      [10, 2],
    ])
    expect(bodies()[0].complete).toBeUndefined()
    expect(bodies()[1]).toMatchObject({complete: true, exitcode: 0})
    expect(s.files[HISTORY]).toEqual(lines)
  })

  test('complete with exitcode 0 is sent last, after the queued data', async () => {
    const {fs, requests, bodies} = setup()
    fs.streamUpdate({history: ['h0']})
    await requests(1)
    fs.streamUpdate({history: ['h1'], uploaded: ['config.yaml']})
    expect(await fs.finishWithExit(0)).toEqual({status: 'delivered'})
    const last = bodies().at(-1)!
    expect(last).toEqual({files: {[HISTORY]: {offset: 1, content: ['h1']}}, uploaded: ['config.yaml'], complete: true, exitcode: 0})
    expect(JSON.stringify(last)).toContain('"exitcode":0')
    fs.streamUpdate({history: ['late']})
    expect(bodies().length).toBe(2)
  })

  test('finishing with nothing queued still sends complete, and finishing twice returns the same outcome', async () => {
    const {fs, bodies} = setup()
    const first = fs.finishWithExit(3)
    expect(fs.finishWithoutExit()).toBe(first)
    expect(await first).toEqual({status: 'delivered'})
    expect(bodies()).toEqual([{complete: true, exitcode: 3}])
  })

  test('updates given before start are sent once started; finishing unstarted is abandoned', async () => {
    const a = setup({}, {noStart: true})
    a.fs.streamUpdate({history: ['early']})
    a.start()
    await a.requests(1)
    expect(a.bodies()[0].files?.[HISTORY]?.content).toEqual(['early'])

    const b = setup({}, {noStart: true})
    b.fs.streamUpdate({history: ['never']})
    const outcome = await b.fs.finishWithExit(0)
    expect(outcome.status).toBe('abandoned')
    expect(outcome.error).toBeInstanceOf(FileStreamNotStartedError)
  })
})

describe('HttpFileStream server answers', () => {
  test('"stopped": true is reported by isStopped', async () => {
    const {fs, requests} = setup({fileStream: () => Response.json({exitcode: null, limits: {}, stopped: true})})
    expect(fs.isStopped()).toBe(false)
    fs.streamUpdate({history: ['x']})
    await requests(1)
    await fs.finishWithoutExit()
    expect(fs.isStopped()).toBe(true)
  })

  test('a 400 kills the stream: one message to the user, later data dropped, outcome rejected', async () => {
    const fatal: FileStreamFatalError[] = []
    const {fs, printed, bodies, requests} = setup({fileStream: () => new Response('bad', {status: 400})}, {onFatal: (e) => fatal.push(e)})
    fs.streamUpdate({history: ['x']})
    await requests(1)
    const outcome = await fs.finishWithExit(0)
    fs.streamUpdate({history: ['y']})
    expect(outcome.status).toBe('rejected')
    expect(outcome.error).toBeInstanceOf(FileStreamFatalError)
    expect((outcome.error!.cause as HttpError).status).toBe(400)
    expect(bodies().length).toBe(1)
    expect(printed.errors).toEqual([FATAL_ERROR_TEXT])
    expect(fatal.length).toBe(1)
    expect(fs.isStopped()).toBe(false)
  })

  test('retries running out abandon the stream, and stop the run with stop_on_fatal_error', async () => {
    const {fs, bodies} = setup({fileStream: () => new Response('down', {status: 503})}, {stopOnFatalError: true})
    fs.streamUpdate({history: ['x']})
    const outcome = await fs.finishWithExit(1)
    expect(outcome.status).toBe('abandoned')
    expect(bodies().length).toBe(FAST.maxRetries + 1)
    expect(fs.isStopped()).toBe(true)
  })

  test('Retry-After is honoured before the retry', async () => {
    const times: number[] = []
    const {fs} = setup({
      fileStream: (_b, n) => {
        times.push(performance.now())
        return n === 1 ? new Response('slow down', {status: 429, headers: {'retry-after': '1'}}) : undefined
      },
    })
    fs.streamUpdate({history: ['x']})
    expect(await fs.finishWithExit(0)).toEqual({status: 'delivered'})
    expect(times[1] - times[0]).toBeGreaterThanOrEqual(950)
  })

  test('aborting the signal abandons the stream', async () => {
    const gate = new Deferred<void>()
    const abort = new AbortController()
    const {fs, requests} = setup({fileStream: async () => (await gate.promise, undefined)}, {signal: abort.signal})
    fs.streamUpdate({history: ['x']})
    await requests(1)
    abort.abort(new Error('finish timeout'))
    const outcome = await fs.finishWithExit(0)
    expect(outcome.status).toBe('abandoned')
    gate.resolve()
  })

  test('history lines over the line limit are dropped with one warning a minute', async () => {
    const {fs, printed, bodies} = setup({}, {settings: {maxLineBytes: 10}})
    fs.streamUpdate({history: ['{"ok":1}', `{"big":"${'z'.repeat(20)}"}`, `{"big":"${'z'.repeat(30)}"}`]})
    await fs.finishWithoutExit()
    expect(bodies()[0].files?.[HISTORY]?.content).toEqual(['{"ok":1}'])
    expect(printed.warnings.length).toBe(1)
    expect(printed.warnings[0]).toContain('Skipped uploading run.log() data that exceeded size limit')
  })
})

/**
 * Flow control inside a real run pipeline (createStream) against the local backend: while the
 * sender is held up by a slow server, history goes to the .wandb file instead of piling up in
 * memory, and every row still reaches the server, in order.
 */
import {afterAll, afterEach, beforeAll, beforeEach, expect, test} from 'bun:test'
import {mkdirSync} from 'node:fs'
import {join} from 'node:path'
import {LogLevel} from '../../../src/core/observability/index.ts'
import {HistoryItem, Record, Request, Settings, type ServerResponse} from '../../../src/core/proto.ts'
import {Deferred} from '../../../src/core/runtime/index.ts'
import {CapturingResponder} from '../../../src/core/server/index.ts'
import {createStream} from '../../../src/core/stream/index.ts'
import {TransactionLogReader} from '../../../src/core/txlog/index.ts'
import {startBackend, type Backend} from '../../backend/index.ts'
import {RecordingLogger, tempDir} from './helpers.ts'

let backend: Backend
let dir: ReturnType<typeof tempDir>
beforeAll(async () => {
  backend = await startBackend({quiet: true})
})
afterAll(async () => {
  await backend.stop()
})
beforeEach(async () => {
  await backend.reset()
  dir = tempDir()
})
afterEach(() => dir.dispose())

const STEPS = 2000

test(`${STEPS} history steps logged while the server is slow are offloaded to the log and all reach the backend in order`, async () => {
  const runId = 'fc1'
  const runDir = join(dir.path, `run-${runId}`)
  mkdirSync(join(runDir, 'files'), {recursive: true})
  const syncFile = join(runDir, `run-${runId}.wandb`)
  const settings = Settings.create({
    api_key: {value: backend.apiKey},
    base_url: {value: backend.url},
    entity: {value: 'nexus'},
    project: {value: 'flow'},
    run_id: {value: runId},
    sync_dir: {value: runDir},
    sync_file: {value: syncFile},
    console: {value: 'off'},
    x_disable_stats: {value: true},
    silent: {value: true},
  })
  // The sender's first step, the run's UpsertBucket, is held until the test lets it go; file_stream
  // posts are slow throughout.
  await backend.addFault({match: {path: '^/files/'}, action: 'delay', delayMs: 200})
  const upsertHeld = new Deferred<void>()
  let held = false
  const gatedFetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new globalThis.Request(input, init)
    if (!held && req.url.endsWith('/graphql') && (await req.clone().text()).includes('mutation UpsertBucket')) {
      held = true
      await upsertHeld.promise
    }
    return fetch(req)
  }) as typeof fetch
  const logger = new RecordingLogger()
  const stream = createStream(settings, runId, {logger, logLevel: LogLevel.INFO, print: () => {}, fetch: gatedFetch, flowControlMemoryBytes: 8 * 1024})

  const runAnswer = new CapturingResponder()
  await stream.handle(Record.create({record_type: {oneofKind: 'run', run: {run_id: runId, entity: 'nexus', project: 'flow'} as never}}), runAnswer)
  await ask(stream, request({oneofKind: 'run_start', run_start: {}}))
  for (let i = 0; i < STEPS; i++) {
    await stream.handle(request({oneofKind: 'partial_history', partial_history: {item: [HistoryItem.create({key: 'i', value_json: String(i)})]} as never}))
  }
  // The handler answers history_step after every step before it went on to the writer.
  const step = await ask(stream, request({oneofKind: 'history_step', history_step: {}}))
  expect(JSON.stringify(step, (_, v) => (typeof v === 'bigint' ? Number(v) : v))).toContain(`"step":${STEPS}`)
  // Everything is queued behind the run's UpsertBucket, and most of it now waits in the log only.
  expect(runAnswer.responded).toBe(false)
  expect(logger.find('info', 'flowcontrol: backed up')).toHaveLength(1)
  upsertHeld.resolve()
  await stream.finishAndClose(0)
  expect(held).toBe(true)
  const answer = (await runAnswer.answer).server_response_type
  expect(answer.oneofKind === 'result_communicate' && answer.result_communicate.result_type.oneofKind === 'run_result' && !answer.result_communicate.result_type.run_result.error).toBe(true)

  // flow control read everything back
  expect(logger.find('info', 'flowcontrol: caught up').length).toBeGreaterThanOrEqual(1)
  expect(logger.find('error', '')).toEqual([])
  const [run] = await backend.inspectRuns()
  expect(run.state).toBe('finished')
  expect(run.history.map((row) => row.i)).toEqual(Array.from({length: STEPS}, (_, i) => i))
  expect(run.history.map((row) => row._step)).toEqual(Array.from({length: STEPS}, (_, i) => i))
  // the log holds every step too (what offloaded records were read back from)
  using reader = TransactionLogReader.open(syncFile)
  let histories = 0
  for (let r = reader.next(); r; r = reader.next()) if (Record.fromBinary(r.data).record_type.oneofKind === 'history') histories++
  expect(histories).toBe(STEPS)
}, 30_000)

const request = (r: Request['request_type']) => Record.create({record_type: {oneofKind: 'request', request: Request.create({request_type: r})}})
async function ask(stream: {handle(r: Record, responder: CapturingResponder): Promise<void>}, record: Record): Promise<ServerResponse> {
  const responder = new CapturingResponder()
  await stream.handle(record, responder)
  return responder.answer
}

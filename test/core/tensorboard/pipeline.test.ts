/**
 * TensorBoard sync inside a run's real pipeline (createStream, offline): a tbrecord starts the
 * sync, the exit waits until it drained, and the rows it made come before the exit in the
 * transaction log with `_step` continuing the run's own history.
 */
import {afterEach, beforeEach, expect, test} from 'bun:test'
import {mkdirSync} from 'node:fs'
import {join} from 'node:path'
import {LogLevel, nullLogger} from '../../../src/core/observability/index.ts'
import {FilesItem_PolicyType, HistoryItem, Record, Request, Settings} from '../../../src/core/proto.ts'
import {CapturingResponder} from '../../../src/core/server/index.ts'
import {createStream, type Stream} from '../../../src/core/stream/index.ts'
import {TransactionLogReader} from '../../../src/core/txlog/index.ts'
import {tempDir} from './helpers.ts'
import {appendEvents} from './tfevents-writer.ts'

let dir: ReturnType<typeof tempDir>
beforeEach(() => {
  dir = tempDir()
})
afterEach(() => dir.dispose())

function openOfflineStream(runId: string): Stream {
  const runDir = join(dir.path, `run-${runId}`)
  mkdirSync(join(runDir, 'files'), {recursive: true})
  const settings = Settings.create({
    run_id: {value: runId},
    sync_dir: {value: runDir},
    sync_file: {value: join(runDir, `run-${runId}.wandb`)},
    console: {value: 'off'},
    x_disable_stats: {value: true},
    _offline: {value: true},
    silent: {value: true},
    host: {value: 'pipelinehost'},
    x_start_time: {value: 1_700_000_000.5},
  })
  return createStream(settings, runId, {logger: nullLogger, logLevel: LogLevel.INFO, print: () => {}})
}

async function ask(stream: Stream, record: Record): Promise<void> {
  const responder = new CapturingResponder()
  await stream.handle(record, responder)
  await responder.answer
}
const rec = (r: Record['record_type']) => Record.create({record_type: r})
const request = (r: Request['request_type']) => rec({oneofKind: 'request', request: Request.create({request_type: r})})

test('the exit waits for the TensorBoard rows, which follow the run’s own history', async () => {
  const events = join(dir.path, 'tb/train/events.out.tfevents.1700000001.pipelinehost.7.0')
  appendEvents(events, ...[0, 1, 2].map((step) => ({wallTime: 1_700_000_010 + step, step, values: [{tag: 'loss', simple: 1 / (step + 1)}]})))
  const stream = openOfflineStream('tb1')
  await ask(stream, rec({oneofKind: 'run', run: {run_id: 'tb1'} as never}))
  await ask(stream, request({oneofKind: 'run_start', run_start: {}}))
  await stream.handle(request({oneofKind: 'partial_history', partial_history: {item: [HistoryItem.create({key: 'mine', value_json: '1'})], action: {flush: true}}}))
  await stream.handle(
    rec({oneofKind: 'tbrecord', tbrecord: {log_dir: join(dir.path, 'tb/train'), root_dir: join(dir.path, 'tb'), save: true, save_path: '', ignore_hostname: false, ignore_timestamp: false}}),
  )
  await ask(stream, rec({oneofKind: 'exit', exit: {exit_code: 0, runtime: 0, not_complete: false}}))
  await stream.close()

  const reader = TransactionLogReader.open(join(dir.path, 'run-tb1', 'run-tb1.wandb'))
  const saved: Record[] = []
  for (let r = reader.next(); r; r = reader.next()) saved.push(Record.fromBinary(r.data))
  reader.close()
  const steps = saved.flatMap((r) => {
    if (r.record_type.oneofKind !== 'history') return []
    const item = (key: string) => (r.record_type.oneofKind === 'history' ? r.record_type.history.item.find((i) => (i.nested_key[0] ?? i.key) === key)?.value_json : undefined)
    return [{step: item('_step'), mine: item('mine'), loss: item('train/loss'), global: item('global_step')}]
  })
  expect(steps).toEqual([
    {step: '0', mine: '1', loss: undefined, global: undefined},
    {step: '1', mine: undefined, loss: '1', global: '0'},
    {step: '2', mine: undefined, loss: '0.5', global: '1'},
    {step: '3', mine: undefined, loss: '0.33333334', global: '2'},
  ])
  const kinds = saved.map((r) => r.record_type.oneofKind)
  expect(kinds.lastIndexOf('history')).toBeLessThan(kinds.indexOf('exit'))
  expect(kinds).toContain('tbrecord')
  const files = saved.flatMap((r) => (r.record_type.oneofKind === 'files' ? r.record_type.files.files : []))
  expect(files.map((f) => [f.path, f.policy])).toEqual([['train/events.out.tfevents.1700000001.pipelinehost.7.0', FilesItem_PolicyType.END]])
})

test('a run that never announces a log directory exits as before', async () => {
  const stream = openOfflineStream('tb2')
  await ask(stream, rec({oneofKind: 'run', run: {run_id: 'tb2'} as never}))
  await ask(stream, rec({oneofKind: 'exit', exit: {exit_code: 0, runtime: 0, not_complete: false}}))
  await stream.close()
})

/**
 * TensorBoardSync: following log directories during a run (polling on the Clock), draining them at
 * finish, the file filter, saving tfevents files, and namespaces from the root directory.
 */
import {afterEach, beforeEach, describe, expect, test} from 'bun:test'
import {existsSync, readlinkSync} from 'node:fs'
import {join} from 'node:path'
import {FilesItem_PolicyType, TBRecord, type Record} from '../../../src/core/proto.ts'
import {DEFAULT_POLL_INTERVAL_MS, TensorBoardSync} from '../../../src/core/tensorboard/index.ts'
import {ManualClock} from '../../fakes/manual-clock.ts'
import {kindOf, RecordingLogger, rowOf, tempDir} from './helpers.ts'
import {appendEvents} from './tfevents-writer.ts'

const HOST = 'testhost'
const START = 1_700_000_000
let dir: ReturnType<typeof tempDir>
let logger: RecordingLogger
let clock: ManualClock
let records: Record[]
let sync: TensorBoardSync
beforeEach(() => {
  dir = tempDir()
  logger = new RecordingLogger()
  clock = new ManualClock()
  records = []
  sync = new TensorBoardSync({
    settings: {filesDir: join(dir.path, 'files'), startTime: START + 0.75, host: HOST},
    logger,
    clock,
    cwd: dir.path,
    emit: async (r) => void records.push(r),
  })
})
afterEach(async () => {
  await sync.finish()
  dir.dispose()
})

const file = (logDir: string, time = START, host = HOST) => join(dir.path, logDir, `events.out.tfevents.${time}.${host}.1.0`)
const scalar = (step: number, tag = 'loss', value = step) => ({wallTime: START + step, step, values: [{tag, simple: value}]})
const rows = () => records.filter((r) => kindOf(r) === 'partial_history').map(rowOf)
const savedFiles = () => records.flatMap((r) => (r.record_type.oneofKind === 'files' ? r.record_type.files.files : []))
/** Lets the watchers run until they wait for the next poll. */
const idle = () => clock.whenSleeping(1).then(() => clock.advance(0))

describe('following a log directory', () => {
  test('emits a row per step as soon as the next step shows the previous one is complete', async () => {
    appendEvents(file('tb/train'), scalar(0), scalar(1))
    sync.handle(TBRecord.create({log_dir: 'tb/train', root_dir: 'tb'}))
    await idle()
    expect(rows()).toEqual([{'train/loss': 0, global_step: 0, _timestamp: START}])
    appendEvents(file('tb/train'), scalar(2))
    await clock.advance(DEFAULT_POLL_INTERVAL_MS - 1)
    expect(rows()).toHaveLength(1)
    await clock.advance(1)
    await idle()
    expect(rows().map((r) => r.global_step)).toEqual([0, 1])
  })

  test('consecutive events of one step make one row with the last wall time', async () => {
    appendEvents(file('tb'), scalar(3, 'a', 1), {wallTime: START + 9, step: 3, values: [{tag: 'b', simple: 2}]}, scalar(4))
    sync.handle(TBRecord.create({log_dir: 'tb', namespace: ''}))
    await sync.finish()
    expect(rows()).toEqual([
      {a: 1, b: 2, global_step: 3, _timestamp: START + 9},
      {loss: 4, global_step: 4, _timestamp: START + 4},
    ])
  })

  test('finish reads what is left without waiting for a poll, emits the last row, and stops', async () => {
    appendEvents(file('tb/train'), scalar(0))
    sync.handle(TBRecord.create({log_dir: 'tb/train', root_dir: 'tb'}))
    await idle()
    appendEvents(file('tb/train'), scalar(1), scalar(2))
    await sync.finish()
    expect(rows().map((r) => r.global_step)).toEqual([0, 1, 2])
    expect(clock.sleeping).toBe(0)
    sync.handle(TBRecord.create({log_dir: 'tb/other'}))
    expect(logger.at('warn')).toContain('tensorboard: log directory announced after the run finished; ignored')
  })

  test('a log directory created after the tbrecord is read once it appears', async () => {
    sync.handle(TBRecord.create({log_dir: 'tb/later', root_dir: 'tb'}))
    await idle()
    appendEvents(file('tb/later'), scalar(5))
    await sync.finish()
    expect(rows()).toEqual([{'later/loss': 5, global_step: 5, _timestamp: START + 5}])
  })
})

describe('which files are read', () => {
  test('only files of this host from the run start on, unless the tbrecord says to ignore those', async () => {
    appendEvents(file('a', START - 1), scalar(1, 'old'))
    appendEvents(file('a', START, 'elsewhere'), scalar(1, 'foreign'))
    appendEvents(file('a', START), scalar(1, 'ours'))
    sync.handle(TBRecord.create({log_dir: 'a', namespace: ''}))
    await sync.finish()
    expect(
      rows()
        .flatMap((r) => Object.keys(r))
        .filter((k) => !k.startsWith('_') && k !== 'global_step'),
    ).toEqual(['ours'])
  })

  test('ignore_timestamp and ignore_hostname widen the filter', async () => {
    appendEvents(file('a', START - 1), scalar(1, 'old'))
    appendEvents(file('b', START, 'elsewhere'), scalar(1, 'foreign'))
    sync.handle(TBRecord.create({log_dir: 'a', namespace: '', ignore_timestamp: true}))
    sync.handle(TBRecord.create({log_dir: 'b', namespace: '', ignore_hostname: true}))
    await sync.finish()
    expect(
      rows()
        .flatMap((r) => Object.keys(r))
        .filter((k) => k === 'old' || k === 'foreign')
        .sort(),
    ).toEqual(['foreign', 'old'])
  })

  test('cloud log directories are not read', async () => {
    sync.handle(TBRecord.create({log_dir: 's3://bucket/logs'}))
    expect(sync.active).toBe(false)
    expect(logger.at('warn')).toContain('tensorboard: cloud log directories are not supported; ignored')
  })
})

describe('saving tfevents files', () => {
  test('with save, each file read is linked under its path below the root and uploaded at the end', async () => {
    appendEvents(file('tb/train'), scalar(0))
    appendEvents(join(dir.path, 'tb/train/sub', `events.out.tfevents.${START}.${HOST}.2.0`), scalar(1))
    sync.handle(TBRecord.create({log_dir: 'tb/train', root_dir: 'tb', save: true}))
    await sync.finish()
    const name = `events.out.tfevents.${START}.${HOST}.1.0`
    expect(savedFiles().map((f) => [f.path, f.policy])).toEqual([
      [`train/${name}`, FilesItem_PolicyType.END],
      [`train/sub/events.out.tfevents.${START}.${HOST}.2.0`, FilesItem_PolicyType.END],
    ])
    expect(readlinkSync(join(dir.path, 'files/train', name))).toBe(file('tb/train'))
    expect(records.filter((r) => r.record_type.oneofKind === 'files').every((r) => !r.control?.local)).toBe(true)
  })

  test('save_path puts the files under that prefix by name; without save nothing is linked', async () => {
    appendEvents(file('tb/a'), scalar(0))
    appendEvents(file('tb/b'), scalar(0))
    sync.handle(TBRecord.create({log_dir: 'tb/a', root_dir: 'tb', save: true, save_path: 'logs'}))
    sync.handle(TBRecord.create({log_dir: 'tb/b', root_dir: 'tb', save: false}))
    await sync.finish()
    expect(savedFiles().map((f) => f.path)).toEqual([`logs/events.out.tfevents.${START}.${HOST}.1.0`])
    expect(existsSync(join(dir.path, 'files/b'))).toBe(false)
  })
})

describe('namespaces', () => {
  test('tbrecord.namespace wins over the root directory', async () => {
    appendEvents(file('tb/train'), scalar(0))
    sync.handle(TBRecord.create({log_dir: 'tb/train', root_dir: 'tb', namespace: 'custom'}))
    await sync.finish()
    expect(Object.keys(rows()[0])).toContain('custom/loss')
  })

  test('without a root, two log directories give the common root and their names as namespaces', async () => {
    appendEvents(file('tb/train'), scalar(0))
    appendEvents(file('tb/validation'), scalar(0))
    sync.handle(TBRecord.create({log_dir: 'tb/train', save: true}))
    await clock.advance(1_000)
    expect(records).toEqual([]) // waiting for a second directory to guess the root
    sync.handle(TBRecord.create({log_dir: 'tb/validation', save: true}))
    await sync.finish()
    expect(
      rows()
        .flatMap((r) => Object.keys(r))
        .filter((k) => k.endsWith('loss'))
        .sort(),
    ).toEqual(['train/loss', 'validation/loss'])
    expect(
      savedFiles()
        .map((f) => f.path.split('/')[0])
        .sort(),
    ).toEqual(['train', 'validation'])
  })

  test('a single log directory without a root waits 10 s, then has no namespace and saves relative to the working directory', async () => {
    appendEvents(file('runs/x'), scalar(0))
    sync.handle(TBRecord.create({log_dir: 'runs/x', save: true}))
    await clock.advance(9_999)
    expect(savedFiles()).toEqual([])
    await clock.advance(1)
    await idle()
    expect(savedFiles()).toHaveLength(1) // reading started; the step's row waits for the next step or the end
    await sync.finish()
    expect(rows()).toEqual([{loss: 0, global_step: 0, _timestamp: START}])
    expect(savedFiles().map((f) => f.path)).toEqual([`runs/x/events.out.tfevents.${START}.${HOST}.1.0`])
    expect(logger.at('warn')).toContain('tensorboard: no root directory; using the working directory')
  })

  test('finishing before the guess times out settles it at once (no more directories can come)', async () => {
    appendEvents(file('runs/x'), scalar(0))
    sync.handle(TBRecord.create({log_dir: 'runs/x'}))
    await sync.finish()
    expect(rows()).toEqual([{loss: 0, global_step: 0, _timestamp: START}])
  })
})

/**
 * Conversion of TF events to W&B data: against what Go wandb-core 0.31.0 made of the PyTorch
 * SummaryWriter fixture (fixtures/go-fixture-golden.json), and case by case for each plugin.
 */
import {afterEach, beforeEach, describe, expect, test} from 'bun:test'
import {createHash} from 'node:crypto'
import {readFileSync, readlinkSync} from 'node:fs'
import {join} from 'node:path'
import {FilesItem_FileType, FilesItem_PolicyType, TBRecord, type Record} from '../../../src/core/proto.ts'
import {DataType, decodeEvent, goStringFromBytes, StepEmitter, TensorBoardSync, TFEventConverter, type TFEvent} from '../../../src/core/tensorboard/index.ts'
import {ManualClock} from '../../fakes/manual-clock.ts'
import golden from './fixtures/go-fixture-golden.json'
import {extractFixture, kindOf, RecordingLogger, rowOf, tempDir} from './helpers.ts'
import {eventBytes, png, type ValueSpec} from './tfevents-writer.ts'

let dir: ReturnType<typeof tempDir>
let logger: RecordingLogger
beforeEach(() => {
  dir = tempDir()
  logger = new RecordingLogger()
})
afterEach(() => dir.dispose())

function counterIds(): (length: number) => string {
  let n = 0
  return (length) => String(++n).padStart(length, '0')
}

const MEDIA = /media\/(images|table)\/[a-z0-9]{32}/g

describe('the PyTorch SummaryWriter fixture', () => {
  async function syncFixture(): Promise<{records: Record[]; filesDir: string}> {
    extractFixture(dir.path)
    const filesDir = join(dir.path, 'files')
    const records: Record[] = []
    const clock = new ManualClock()
    const sync = new TensorBoardSync({
      settings: {filesDir, startTime: 0, host: ''},
      logger,
      clock,
      cwd: dir.path,
      randomId: counterIds(),
      emit: async (r) => void records.push(r),
    })
    sync.handle(TBRecord.create({log_dir: 'tb/run1', root_dir: 'tb', save: true}))
    await sync.finish()
    return {records, filesDir}
  }

  test('gives the history rows Go core gives (scalars, add_scalars sub-runs, rebinned histograms, images, PR curves)', async () => {
    const {records, filesDir} = await syncFixture()
    const rows = records.filter((r) => kindOf(r) === 'partial_history').map(rowOf)
    const tables: unknown[] = []
    for (const row of rows) {
      for (const value of Object.values(row)) {
        const v = value as {_type?: string; path: string; sha256: string; size: number}
        if (v?._type !== 'table-file') continue
        const content = readFileSync(join(filesDir, v.path))
        expect(v.sha256).toBe(goStringFromBytes(createHash('sha256').update(content).digest()))
        expect(v.size).toBe(content.length)
        tables.push(JSON.parse(content.toString()))
        v.sha256 = '<sha256>'
      }
    }
    const normalized = JSON.parse(JSON.stringify(rows).replace(MEDIA, 'media/$1/<id>'))
    expect(normalized).toEqual(golden.rows)
    expect(tables).toEqual(golden.tables)
  })

  test('text and hparams summaries add nothing, as in Go core', async () => {
    const {records} = await syncFixture()
    const keys = new Set(records.filter((r) => kindOf(r) === 'partial_history').flatMap((r) => Object.keys(rowOf(r))))
    expect([...keys].filter((k) => k.includes('text') || k.includes('_hparams_'))).toEqual([])
    expect(keys.has('run1/hparam/final')).toBe(true) // a plain simple_value written next to the hparams
  })

  test('PR curves add the chart configs Go core adds to _wandb.visualize', async () => {
    const {records} = await syncFixture()
    const visualize: {[key: string]: unknown} = {}
    for (const r of records) {
      if (r.record_type.oneofKind !== 'config') continue
      for (const item of r.record_type.config.update) {
        expect(item.nested_key.slice(0, 2)).toEqual(['_wandb', 'visualize'])
        visualize[item.nested_key[2]] = JSON.parse(item.value_json)
      }
    }
    expect(visualize).toEqual(golden.visualize)
  })

  test('media files are uploaded now as media, and each tfevents file at the end from its place under the root', async () => {
    const {records, filesDir} = await syncFixture()
    const files = records.filter((r) => r.record_type.oneofKind === 'files').flatMap((r) => (r.record_type.oneofKind === 'files' ? r.record_type.files.files : []))
    const media = files.filter((f) => f.policy === FilesItem_PolicyType.NOW)
    expect(media.every((f) => f.type === FilesItem_FileType.MEDIA && /^media\/(images|table)\//.test(f.path))).toBe(true)
    expect(media).toHaveLength(8)
    expect(files.filter((f) => f.policy === FilesItem_PolicyType.END).map((f) => f.path)).toEqual([
      'run1/1795746194.5062907/events.out.tfevents.1795746194.vm.416.3',
      'run1/events.out.tfevents.1795746194.vm.416.0',
      'run1/multi_a/events.out.tfevents.1795746194.vm.416.1',
      'run1/multi_b/events.out.tfevents.1795746194.vm.416.2',
    ])
    expect(readlinkSync(join(filesDir, 'run1/events.out.tfevents.1795746194.vm.416.0'))).toBe(join(dir.path, 'tb/run1/events.out.tfevents.1795746194.vm.416.0'))
    expect(records.filter((r) => r.record_type.oneofKind === 'files' && r.record_type.files.files[0].policy === FilesItem_PolicyType.NOW).every((r) => r.control?.local)).toBe(true)
  })
})

describe('TFEventConverter', () => {
  function convert(values: ValueSpec[], o: {namespace?: string; step?: number} = {}): {records: Record[]; row: {[key: string]: unknown} | undefined} {
    const emitter = new StepEmitter({filesDir: join(dir.path, 'files'), randomId: counterIds()})
    const converter = new TFEventConverter({namespace: o.namespace ?? '', logger})
    converter.convert(emitter, decodeEvent(eventBytes({wallTime: 1700000000.25, step: o.step ?? 7, values})))
    const records = emitter.records()
    const history = records.find((r) => kindOf(r) === 'partial_history')
    return {records, row: history && rowOf(history)}
  }
  const f32 = (x: number) => new Uint8Array(new Float32Array([x]).buffer)
  const f64 = (x: number) => new Uint8Array(new Float64Array([x]).buffer)

  test('scalars keep float32 shortest digits for simple_value and float64 digits for tensors', () => {
    const {row, records} = convert([
      {tag: 'simple', simple: 1 / 3},
      {tag: 'f', plugin: 'scalars', tensor: {dtype: DataType.DT_FLOAT, shape: [], floats: [1 / 3]}},
      {tag: 'd', plugin: 'scalars', tensor: {dtype: DataType.DT_DOUBLE, shape: [], content: f64(0.1 + 0.2)}},
      {tag: 'i', plugin: 'scalars', tensor: {dtype: DataType.DT_INT32, shape: [1], ints: [-5]}},
      {tag: 'l', plugin: 'scalars', tensor: {dtype: DataType.DT_INT64, shape: [], int64s: [123456789012n]}},
      {tag: 'fc', plugin: 'scalars', tensor: {dtype: DataType.DT_FLOAT, shape: [], content: f32(0.1)}},
    ])
    expect(row).toEqual({simple: 0.33333334, f: 0.3333333432674408, d: 0.30000000000000004, i: -5, l: 123456789012, fc: 0.10000000149011612, global_step: 7, _timestamp: 1700000000.25})
    const items =
      records[0].record_type.oneofKind === 'request' && records[0].record_type.request.request_type.oneofKind === 'partial_history'
        ? records[0].record_type.request.request_type.partial_history.item
        : []
    expect(items.map((i) => i.value_json)).toEqual(['0.33333334', '0.3333333432674408', '0.30000000000000004', '-5', '1.23456789012e+11', '0.10000000149011612', '7', '1.70000000025e+09'])
    expect(items.slice(0, -1).every((i) => i.nested_key.length === 1 && i.key === '')).toBe(true)
    expect(items.at(-1)!.key).toBe('_timestamp')
  })

  test('keys get the namespace, global_step does not', () => {
    expect(convert([{tag: 'loss', simple: 2}], {namespace: 'train'}).row).toEqual({'train/loss': 2, global_step: 7, _timestamp: 1700000000.25})
  })

  test('the plugin named with a tag first value applies to its later values', () => {
    const emitter = new StepEmitter({filesDir: dir.path})
    const converter = new TFEventConverter({namespace: '', logger})
    const event = (values: ValueSpec[]): TFEvent => decodeEvent(eventBytes({wallTime: 1, step: 1, values}))
    converter.convert(emitter, event([{tag: 'a', plugin: 'scalars', tensor: {dtype: DataType.DT_FLOAT, shape: [], floats: [1]}}]))
    converter.convert(
      emitter,
      event([
        {tag: 'a', tensor: {dtype: DataType.DT_FLOAT, shape: [], floats: [2]}},
        {tag: 'b', tensor: {dtype: DataType.DT_FLOAT, shape: [], floats: [3]}},
      ]),
    )
    expect(rowOf(emitter.records()[0])).toEqual({a: 2, global_step: 1, _timestamp: 1})
  })

  test('text, hparams and unknown plugins are ignored; an empty tag is logged', () => {
    const {records} = convert([
      {tag: 'note/text_summary', plugin: 'text', tensor: {dtype: DataType.DT_STRING, shape: [1], strings: [new TextEncoder().encode('hi')]}},
      {tag: '_hparams_/experiment', plugin: 'hparams'},
      {tag: 'clip', plugin: 'audio', tensor: {dtype: DataType.DT_STRING, shape: [1], strings: [new Uint8Array(3)]}},
      {tag: '', simple: 1},
    ])
    expect(records).toEqual([])
    expect(logger.at('error')).toEqual(['tensorboard: invalid tag: empty key'])
  })

  test('a HistogramProto drops its empty (-inf) first bucket, or takes min as its left edge', () => {
    const {row} = convert([
      {tag: 'h1', histo: {min: -1, max: 2, limits: [-1, 0, 1, 2], counts: [0, 3, 5, 2]}},
      {tag: 'h2', histo: {min: -1.5, max: 2, limits: [-1, 0, 1], counts: [1, 3, 5]}},
      {tag: 'bad', histo: {min: 5, max: 6, limits: [-1, 0], counts: [1, 2]}},
    ])
    expect(row?.h1).toEqual({_type: 'histogram', bins: [-1, 0, 1, 2], values: [3, 5, 2]})
    expect(row?.h2).toEqual({_type: 'histogram', bins: [-1.5, -1, 0, 1], values: [1, 3, 5]})
    expect(row?.bad).toBeUndefined()
    expect(logger.at('error')).toEqual(['tensorboard: cannot convert a value: invalid histogram: min >= bucket_limit[0]'])
  })

  test('a histograms tensor of (left, right, count) rows becomes edges and counts', () => {
    const {row} = convert([
      {tag: 'h', plugin: 'histograms', tensor: {dtype: DataType.DT_DOUBLE, shape: [3, 3], doubles: [0, 1, 4, 1, 2, 6, 2, 3, 1]}},
      {tag: 'empty', plugin: 'histograms', tensor: {dtype: DataType.DT_DOUBLE, shape: [0, 3], doubles: []}},
    ])
    expect(row).toEqual({h: {_type: 'histogram', bins: [0, 1, 2, 3], values: [4, 6, 1]}, global_step: 7, _timestamp: 1700000000.25})
  })

  test('images from a string tensor are written as files and logged as images/separated', () => {
    const a = png(5, 2, 1)
    const b = png(5, 2, 2)
    const {row, records} = convert([
      {tag: 'pics', plugin: 'images', tensor: {dtype: DataType.DT_STRING, shape: [4], strings: [new TextEncoder().encode('5'), new TextEncoder().encode('2'), a, b]}},
      {tag: 'legacy', image: {width: 4, height: 3, data: png(4, 3)}},
    ])
    const names = ['media/images/00000000000000000000000000000001.png', 'media/images/00000000000000000000000000000002.png']
    expect(row?.pics).toEqual({_type: 'images/separated', count: 2, filenames: names, format: 'png', height: 2, width: 5})
    expect((row?.legacy as {filenames: string[]} | undefined)?.filenames).toEqual(['media/images/00000000000000000000000000000003.png'])
    expect(readFileSync(join(dir.path, 'files', names[1]))).toEqual(Buffer.from(b))
    expect(kindOf(records[0])).toBe('files')
  })

  test('an image whose header disagrees with the given size, or is not an image, is logged and skipped', () => {
    const {row} = convert([
      {tag: 'wrong', plugin: 'images', tensor: {dtype: DataType.DT_STRING, shape: [3], strings: [new TextEncoder().encode('9'), new TextEncoder().encode('2'), png(5, 2)]}},
      {tag: 'junk', image: {width: 1, height: 1, data: new Uint8Array([1, 2, 3])}},
      {tag: 'ok', simple: 1},
    ])
    expect(row).toEqual({ok: 1, global_step: 7, _timestamp: 1700000000.25})
    expect(logger.at('error')).toEqual(['tensorboard: failed to read image: expected dimensions (9, 2), but saw (5, 2)', 'tensorboard: failed to read image: image: unknown format'])
  })

  test('a PR curve becomes a recall/precision table file and a chart config, recorded in that order', () => {
    const rows = [
      [10, 8],
      [0, 2],
      [0, 0],
      [0, 0],
      [0.5, 0.8],
      [1, 0.25],
    ].flat()
    const {records, row} = convert([{tag: 'pr', plugin: 'pr_curves', tensor: {dtype: DataType.DT_FLOAT, shape: [6, 2], floats: rows}}], {namespace: 'ns'})
    expect(records.map(kindOf)).toEqual(['files', 'config', 'partial_history'])
    const path = 'media/table/00000000000000000000000000000001.table.json'
    const content = readFileSync(join(dir.path, 'files', path), 'utf8')
    expect(content).toBe('{"columns":["recall","precision"],"data":[[1,0.5],[0.25,0.800000011920929]]}')
    expect(row?.['ns/pr']).toEqual({
      _type: 'table-file',
      ncols: 2,
      nrows: 2,
      path,
      size: content.length,
      sha256: goStringFromBytes(createHash('sha256').update(content).digest()),
    })
    const config = records[1].record_type.oneofKind === 'config' ? records[1].record_type.config.update : []
    expect(config.map((c) => c.nested_key)).toEqual([['_wandb', 'visualize', 'ns/pr']])
    expect(JSON.parse(config[0].value_json).panel_config.stringSettings).toEqual({title: 'ns/pr Precision v. Recall'})
    expect(records.every((r) => r.control?.local === true)).toBe(true)
  })

  test('an event without summary values adds no row', () => {
    const emitter = new StepEmitter({filesDir: dir.path})
    new TFEventConverter({namespace: '', logger}).convert(emitter, decodeEvent(eventBytes({wallTime: 5, fileVersion: 'brain.Event:2'})))
    expect(emitter.records()).toEqual([])
  })
})

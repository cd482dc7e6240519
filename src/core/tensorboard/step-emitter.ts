/**
 * Collects what one TensorBoard step adds to the run (Go core: emitter.go) and turns it into
 * records: media files written into the run's files directory (uploaded now, as media), chart
 * configs (`_wandb.visualize.*`) and one history row, sent as a flushed partial_history request so
 * that it gets `_step` and `_runtime` like a `run.log()` row. Every record is local (never written
 * to the transaction log): replaying the log re-reads the tfevents files instead.
 */
import {createHash, randomBytes} from 'node:crypto'
import {existsSync, mkdirSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {WandbError} from '../errors.ts'
import {ConfigItem, Control, FilesItem, FilesItem_FileType, FilesItem_PolicyType, HistoryItem, Record} from '../proto.ts'
import {goFloatString} from '../runstate/index.ts'
import {chartConfigJson, chartConfigPath, type LineChart} from './chart.ts'
import {goFloat64Json, goStringFromBytes, simpleJsonString} from './go-json.ts'
import type {ImageConfig} from './image-config.ts'

/** A media file could not be written, or images of one value disagree on format or size. */
export class MediaError extends WandbError {
  override name = 'MediaError'
}

/** An encoded image and what its header says. */
export interface EncodedImage extends ImageConfig {
  data: Uint8Array
}

/** Where media files go and how they are named. */
export interface MediaOptions {
  /** The run's files directory. */
  filesDir: string
  /** Random file-name ids (Go: 32 lowercase alphanumerics); injectable for tests. */
  randomId?: (length: number) => string
}

const ID_CHARS = 'abcdefghijklmnopqrstuvwxyz1234567890'

/** 32-character ids from crypto-random bytes, drawn as Go core's randomid.GenerateUniqueID does. */
export function randomMediaId(length: number): string {
  return [...randomBytes(length)].map((b) => ID_CHARS[b % ID_CHARS.length]).join('')
}

export class StepEmitter {
  readonly #o: MediaOptions
  readonly #history: {path: string[]; json: string}[] = []
  readonly #config: {path: string[]; json: string}[] = []
  readonly #media: string[] = []
  #step: {path: string[]; value: bigint} | undefined
  #wallTime: number | undefined

  constructor(o: MediaOptions) {
    this.#o = o
  }

  /** The TensorBoard step, logged (unnamespaced) with the row if there is one. */
  setStep(path: string[], step: bigint): void {
    this.#step = {path, value: step}
  }

  /** The event's wall time: the row's `_timestamp`. */
  setWallTime(seconds: number): void {
    this.#wallTime = seconds
  }

  /** A history value (JSON) for the row. */
  history(path: string[], json: string): void {
    this.#history.push({path, json})
  }

  /** A chart over the table logged at `key`, saved in the run config. */
  chart(key: string, chart: LineChart): void {
    this.#config.push({path: chartConfigPath(key), json: chartConfigJson(chart)})
  }

  /**
   * Writes a table file `media/table/<id>.table.json` ({"columns":…,"data":…} as Go's simplejsonext
   * writes it, NaN/±Infinity as bare literals) and logs its table-file value. Throws MediaError.
   */
  table(path: string[], columns: string[], rows: number[][]): void {
    const text = `{"columns":[${columns.map(simpleJsonString).join(',')}],"data":[${rows.map((r) => `[${r.map(goFloat64Json).join(',')}]`).join(',')}]}`
    const content = new TextEncoder().encode(text)
    const runPath = this.#writeMedia('media/table', '.table.json', content)
    this.#history.push({
      path,
      json: JSON.stringify({
        _type: 'table-file',
        ncols: columns.length,
        nrows: rows.length,
        path: runPath,
        // Go core puts the raw digest bytes in a JSON string (invalid UTF-8 becomes U+FFFD).
        sha256: goStringFromBytes(createHash('sha256').update(content).digest()),
        size: content.length,
      }),
    })
  }

  /**
   * Writes each image as `media/images/<id>.<format>` and logs an images/separated value. All
   * images must share format and size (TensorBoard guarantees it); otherwise MediaError, and
   * nothing is written.
   */
  images(path: string[], images: EncodedImage[]): void {
    const [first] = images
    for (const img of images) {
      if (img.format !== first.format) throw new MediaError(`images have different formats, expected ${first.format}, but found ${img.format}`)
      if (img.width !== first.width) throw new MediaError(`images have different widths, expected ${first.width}, but found ${img.width}`)
      if (img.height !== first.height) throw new MediaError(`images have different heights, expected ${first.height}, but found ${img.height}`)
    }
    const filenames = images.map((img) => this.#writeMedia('media/images', `.${img.format}`, img.data))
    this.#history.push({
      path,
      json: JSON.stringify({_type: 'images/separated', count: filenames.length, filenames, format: first.format, height: first.height, width: first.width}),
    })
  }

  /** The step's records, in Go's order: media files, config, then the history row (each only if non-empty). */
  records(): Record[] {
    const local = Control.create({local: true})
    const out: Record[] = []
    if (this.#media.length > 0) {
      const files = this.#media.map((p) => FilesItem.create({path: p, policy: FilesItem_PolicyType.NOW, type: FilesItem_FileType.MEDIA}))
      out.push(Record.create({control: local, record_type: {oneofKind: 'files', files: {files}}}))
    }
    if (this.#config.length > 0) {
      const update = this.#config.map((c) => ConfigItem.create({nested_key: c.path, value_json: c.json}))
      out.push(Record.create({control: local, record_type: {oneofKind: 'config', config: {update, remove: []}}}))
    }
    if (this.#history.length > 0) {
      const item = this.#history.map((h) => HistoryItem.create({nested_key: h.path, value_json: h.json}))
      if (this.#step) item.push(HistoryItem.create({nested_key: this.#step.path, value_json: String(this.#step.value)}))
      if (this.#wallTime !== undefined) item.push(HistoryItem.create({key: '_timestamp', value_json: goFloatString(this.#wallTime)}))
      out.push(
        Record.create({
          control: local,
          record_type: {oneofKind: 'request', request: {request_type: {oneofKind: 'partial_history', partial_history: {item, action: {flush: true}}}}},
        }),
      )
    }
    return out
  }

  /** Writes a new media file; returns its run path. */
  #writeMedia(dir: string, extension: string, content: Uint8Array): string {
    const runPath = `${dir}/${(this.#o.randomId ?? randomMediaId)(32)}${extension}`
    const target = join(this.#o.filesDir, runPath)
    try {
      if (existsSync(target)) throw new MediaError(`file exists: ${target}`)
      mkdirSync(dirname(target), {recursive: true})
      writeFileSync(target, content, {flag: 'wx'})
    } catch (err) {
      if (err instanceof MediaError) throw err
      throw new MediaError(`cannot write ${target}`, {cause: err})
    }
    this.#media.push(runPath)
    return runPath
  }
}

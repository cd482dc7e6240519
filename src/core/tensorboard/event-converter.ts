/**
 * Turns the summary values of TF events into W&B data, as Go core does (tfeventconverter*.go).
 * Tags become history keys (prefixed `<namespace>/` when there is a namespace). How a value is read
 * depends on its plugin, remembered per tag because writers send the plugin name with a tag's
 * first value only:
 * - no plugin (legacy summaries): simple_value → scalar, histo → histogram, image → image;
 * - `scalars`: simple_value or a one-element float/double/int32/int64 tensor → number;
 * - `histograms`: a [k,3] tensor of (left, right, count) rows, or a HistogramProto → histogram
 *   (a HistogramProto's empty leftmost (-inf) bin is dropped; else its left edge is `min`);
 * - `images`: a string tensor [width, height, png…] or a Summary.Image → image files;
 * - `pr_curves`: the last two rows of the [6,n] tensor (precision, recall) → a
 *   recall/precision table file plus a line chart in the config;
 * - any other plugin (text, hparams, audio, …): ignored.
 * A value that cannot be converted is logged and skipped; the rest of the event is kept.
 */
import {WandbError, errorMessage} from '../errors.ts'
import type {Logger} from '../observability/index.ts'
import {goFloat32Json, goFloat64Json} from './go-json.ts'
import {histogramValueJson} from './histogram.ts'
import {decodeImageConfig} from './image-config.ts'
import type {EncodedImage, StepEmitter} from './step-emitter.ts'
import {Tensor} from './tensor.ts'
import type {HistogramProto, SummaryValue, TFEvent, TensorProto} from './tf-event.ts'

/** A summary value that cannot be converted (malformed histogram, image tensor…). */
export class ConversionError extends WandbError {
  override name = 'ConversionError'
}

/** The history key of the TensorBoard step (never namespaced). */
export const GLOBAL_STEP_KEY = 'global_step'

export class TFEventConverter {
  /** Prefix of every key ('' for none). */
  readonly namespace: string
  readonly #logger: Logger
  readonly #pluginByTag = new Map<string, string>()

  constructor(o: {namespace: string; logger: Logger}) {
    this.namespace = o.namespace
    this.#logger = o.logger
  }

  /** Adds the event's data to `emitter` (which collects one step). Call in file order. */
  convert(emitter: StepEmitter, event: TFEvent): void {
    emitter.setStep([GLOBAL_STEP_KEY], event.step)
    emitter.setWallTime(event.wallTime)
    for (const value of event.summary?.values ?? []) {
      if (value.tag === '') {
        this.#logger.error('tensorboard: invalid tag: empty key')
        continue
      }
      const tag = this.namespace === '' ? value.tag : `${this.namespace}/${value.tag}`
      try {
        this.#convertValue(emitter, tag, value)
      } catch (err) {
        this.#logger.error(`tensorboard: cannot convert a value: ${errorMessage(err)}`, {tag})
      }
    }
  }

  #convertValue(emitter: StepEmitter, tag: string, value: SummaryValue): void {
    switch (this.#plugin(tag, value)) {
      case '':
        if (value.simpleValue !== undefined) emitter.history([tag], goFloat32Json(value.simpleValue))
        else if (value.histo) this.#histogramProto(emitter, tag, value.histo)
        else if (value.image) this.#images(emitter, tag, value.image.width, value.image.height, [value.image.encodedImage])
        return
      case 'scalars':
        if (value.simpleValue !== undefined) emitter.history([tag], goFloat32Json(value.simpleValue))
        else if (value.tensor) emitter.history([tag], goFloat64Json(Tensor.fromProto(value.tensor).scalar()))
        else this.#logger.error('tensorboard: unexpected scalars value type', {tag})
        return
      case 'histograms':
        if (value.tensor) this.#histogramTensor(emitter, tag, value.tensor)
        else if (value.histo) this.#histogramProto(emitter, tag, value.histo)
        else this.#logger.error('tensorboard: expected histograms value to be a Tensor or HistogramProto', {tag})
        return
      case 'images':
        if (value.tensor) this.#imagesTensor(emitter, tag, value.tensor)
        else if (value.image) this.#images(emitter, tag, value.image.width, value.image.height, [value.image.encodedImage])
        else this.#logger.error("tensorboard: expected images summary to use 'image' or 'tensor' field", {tag})
        return
      case 'pr_curves':
        if (value.tensor) this.#prCurve(emitter, tag, value.tensor)
        else this.#logger.error('tensorboard: expected pr_curves value to be a Tensor', {tag})
        return
      default:
        return
    }
  }

  /** The value's plugin name, or the one last seen for the tag. */
  #plugin(tag: string, value: SummaryValue): string {
    if (value.pluginName !== '') {
      this.#pluginByTag.set(tag, value.pluginName)
      return value.pluginName
    }
    return this.#pluginByTag.get(tag) ?? ''
  }

  #histogramTensor(emitter: StepEmitter, tag: string, proto: TensorProto): void {
    const tensor = Tensor.fromProto(proto)
    const left = tensor.col(0)
    const right = tensor.col(1)
    const weights = tensor.col(2)
    if (weights.length === 0 || left.length === 0 || right.length === 0) return // a histogram of no data
    emitter.history([tag], histogramValueJson({edges: [...left, right[right.length - 1]], weights}))
  }

  #histogramProto(emitter: StepEmitter, tag: string, histo: HistogramProto): void {
    const limits = histo.bucketLimit
    let weights = histo.bucket
    if (limits.length === 0) throw new ConversionError('invalid histogram: empty bucket_limit')
    if (limits.length !== weights.length) throw new ConversionError('invalid histogram: len(bucket_limit) != len(bucket)')
    let edges: number[]
    if (weights[0] === 0) {
      // The leftmost bin is (-inf, limits[0]); when it is empty, keep only finite bins.
      edges = limits
      weights = weights.slice(1)
    } else if (histo.min < limits[0]) {
      edges = [histo.min, ...limits]
    } else {
      throw new ConversionError('invalid histogram: min >= bucket_limit[0]')
    }
    emitter.history([tag], histogramValueJson({edges, weights}))
  }

  #imagesTensor(emitter: StepEmitter, tag: string, tensor: TensorProto): void {
    const strings = tensor.stringVal
    if (strings.length < 3) throw new ConversionError(`expected images tensor string_val to have at least 3 values, but it has ${strings.length}`)
    const width = goAtoi(new TextDecoder().decode(strings[0]))
    const height = goAtoi(new TextDecoder().decode(strings[1]))
    if (width === undefined || height === undefined) throw new ConversionError("couldn't parse image dimensions")
    this.#images(emitter, tag, width, height, strings.slice(2))
  }

  #images(emitter: StepEmitter, tag: string, width: number, height: number, encoded: Uint8Array[]): void {
    const images: EncodedImage[] = []
    for (const data of encoded) {
      try {
        const config = decodeImageConfig(data)
        if (config.width !== width || config.height !== height) {
          throw new ConversionError(`expected dimensions (${width}, ${height}), but saw (${config.width}, ${config.height})`)
        }
        images.push({...config, data})
      } catch (err) {
        this.#logger.error(`tensorboard: failed to read image: ${errorMessage(err)}`, {tag})
      }
    }
    if (images.length > 0) emitter.images([tag], images)
  }

  #prCurve(emitter: StepEmitter, tag: string, proto: TensorProto): void {
    const tensor = Tensor.fromProto(proto)
    const precision = tensor.row(-2)
    const recall = tensor.row(-1)
    try {
      emitter.table(
        [tag],
        ['recall', 'precision'],
        recall.map((r, i) => [r, precision[i]]),
      )
    } catch (err) {
      this.#logger.error(`tensorboard: failed to emit pr_curves table: ${errorMessage(err)}`, {tag})
    }
    emitter.chart(tag, {title: `${tag} Precision v. Recall`, x: 'recall', y: 'precision', tableKey: tag})
  }
}

/** Go's strconv.Atoi: an optional sign and decimal digits, nothing else; undefined when invalid. */
function goAtoi(text: string): number | undefined {
  if (!/^[+-]?\d+$/.test(text)) return undefined
  const n = Number(text)
  return Number.isSafeInteger(n) ? n : undefined
}

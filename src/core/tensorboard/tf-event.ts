/**
 * The parts of TensorFlow's `Event` protobuf (tensorflow/core/util/event.proto, summary.proto,
 * tensor.proto, histogram.proto) that the TensorBoard sync reads, and their decoder. Fields not
 * listed are skipped; a malformed message throws ProtobufDecodeError.
 */
import {ProtoReader, readRepeated, WIRE_FIXED32, WIRE_FIXED64, WIRE_LENGTH_DELIMITED, WIRE_VARINT} from './proto-reader.ts'

/** tensorflow.DataType values the converter tells apart. */
export const DataType = {
  DT_FLOAT: 1,
  DT_DOUBLE: 2,
  DT_INT32: 3,
  DT_STRING: 7,
  DT_INT64: 9,
} as const

export interface TFEvent {
  wallTime: number
  step: bigint
  /** Present only for summary events (not for file_version, graph_def, session_log…). */
  summary: Summary | undefined
}

export interface Summary {
  values: SummaryValue[]
}

/** One tagged value of a summary; at most one of the value fields is set (a proto oneof). */
export interface SummaryValue {
  tag: string
  /** `metadata.plugin_data.plugin_name`; '' when absent (writers send it with a tag's first value only). */
  pluginName: string
  simpleValue?: number
  image?: SummaryImage
  histo?: HistogramProto
  tensor?: TensorProto
}

export interface SummaryImage {
  height: number
  width: number
  encodedImage: Uint8Array
}

export interface HistogramProto {
  min: number
  max: number
  bucketLimit: number[]
  bucket: number[]
}

export interface TensorProto {
  dtype: number
  /** Dimension sizes (-1 for unknown); empty for a scalar. */
  shape: number[]
  tensorContent: Uint8Array
  floatVal: number[]
  doubleVal: number[]
  intVal: number[]
  int64Val: bigint[]
  stringVal: Uint8Array[]
}

/** Decodes a serialized `tensorflow.Event`. */
export function decodeEvent(bytes: Uint8Array): TFEvent {
  const r = new ProtoReader(bytes)
  const event: TFEvent = {wallTime: 0, step: 0n, summary: undefined}
  while (!r.done) {
    const {number, wire} = r.field()
    if (number === 1 && wire === WIRE_FIXED64) event.wallTime = r.double()
    else if (number === 2 && wire === WIRE_VARINT) event.step = r.int64()
    else if (number === 5 && wire === WIRE_LENGTH_DELIMITED) event.summary = decodeSummary(r.bytes(), event.summary)
    else r.skip(wire)
  }
  return event
}

function decodeSummary(bytes: Uint8Array, into: Summary | undefined): Summary {
  const summary = into ?? {values: []}
  const r = new ProtoReader(bytes)
  while (!r.done) {
    const {number, wire} = r.field()
    if (number === 1 && wire === WIRE_LENGTH_DELIMITED) summary.values.push(decodeValue(r.bytes()))
    else r.skip(wire)
  }
  return summary
}

function decodeValue(bytes: Uint8Array): SummaryValue {
  const r = new ProtoReader(bytes)
  const value: SummaryValue = {tag: '', pluginName: ''}
  const setOneof = (v: Pick<SummaryValue, 'simpleValue' | 'image' | 'histo' | 'tensor'>) => {
    delete value.simpleValue
    delete value.image
    delete value.histo
    delete value.tensor
    Object.assign(value, v)
  }
  while (!r.done) {
    const {number, wire} = r.field()
    if (number === 1 && wire === WIRE_LENGTH_DELIMITED) value.tag = r.string()
    else if (number === 9 && wire === WIRE_LENGTH_DELIMITED) value.pluginName = decodePluginName(r.bytes(), value.pluginName)
    else if (number === 2 && wire === WIRE_FIXED32) setOneof({simpleValue: r.float()})
    else if (number === 4 && wire === WIRE_LENGTH_DELIMITED) setOneof({image: decodeImage(r.bytes())})
    else if (number === 5 && wire === WIRE_LENGTH_DELIMITED) setOneof({histo: decodeHistogram(r.bytes())})
    else if (number === 8 && wire === WIRE_LENGTH_DELIMITED) setOneof({tensor: decodeTensor(r.bytes())})
    else r.skip(wire)
  }
  return value
}

/** SummaryMetadata → plugin_data → plugin_name (a repeated message field merges: the last name set wins). */
function decodePluginName(bytes: Uint8Array, current: string): string {
  let name = current
  const r = new ProtoReader(bytes)
  while (!r.done) {
    const {number, wire} = r.field()
    if (number === 1 && wire === WIRE_LENGTH_DELIMITED) {
      const data = new ProtoReader(r.bytes())
      while (!data.done) {
        const f = data.field()
        if (f.number === 1 && f.wire === WIRE_LENGTH_DELIMITED) name = data.string()
        else data.skip(f.wire)
      }
    } else {
      r.skip(wire)
    }
  }
  return name
}

function decodeImage(bytes: Uint8Array): SummaryImage {
  const r = new ProtoReader(bytes)
  const image: SummaryImage = {height: 0, width: 0, encodedImage: new Uint8Array(0)}
  while (!r.done) {
    const {number, wire} = r.field()
    if (number === 1 && wire === WIRE_VARINT) image.height = r.int32()
    else if (number === 2 && wire === WIRE_VARINT) image.width = r.int32()
    else if (number === 4 && wire === WIRE_LENGTH_DELIMITED) image.encodedImage = r.bytes()
    else r.skip(wire)
  }
  return image
}

function decodeHistogram(bytes: Uint8Array): HistogramProto {
  const r = new ProtoReader(bytes)
  const histo: HistogramProto = {min: 0, max: 0, bucketLimit: [], bucket: []}
  const double = (x: ProtoReader) => x.double()
  while (!r.done) {
    const {number, wire} = r.field()
    if (number === 1 && wire === WIRE_FIXED64) histo.min = r.double()
    else if (number === 2 && wire === WIRE_FIXED64) histo.max = r.double()
    else if (number === 6) readRepeated(r, wire, WIRE_FIXED64, double, histo.bucketLimit)
    else if (number === 7) readRepeated(r, wire, WIRE_FIXED64, double, histo.bucket)
    else r.skip(wire)
  }
  return histo
}

function decodeTensor(bytes: Uint8Array): TensorProto {
  const r = new ProtoReader(bytes)
  const t: TensorProto = {dtype: 0, shape: [], tensorContent: new Uint8Array(0), floatVal: [], doubleVal: [], intVal: [], int64Val: [], stringVal: []}
  while (!r.done) {
    const {number, wire} = r.field()
    if (number === 1 && wire === WIRE_VARINT) t.dtype = r.int32()
    else if (number === 2 && wire === WIRE_LENGTH_DELIMITED) t.shape = decodeShape(r.bytes(), t.shape)
    else if (number === 4 && wire === WIRE_LENGTH_DELIMITED) t.tensorContent = r.bytes()
    else if (number === 5) readRepeated(r, wire, WIRE_FIXED32, (x) => x.float(), t.floatVal)
    else if (number === 6) readRepeated(r, wire, WIRE_FIXED64, (x) => x.double(), t.doubleVal)
    else if (number === 7) readRepeated(r, wire, WIRE_VARINT, (x) => x.int32(), t.intVal)
    else if (number === 8 && wire === WIRE_LENGTH_DELIMITED) t.stringVal.push(r.bytes())
    else if (number === 10) readRepeated(r, wire, WIRE_VARINT, (x) => x.int64(), t.int64Val)
    else r.skip(wire)
  }
  return t
}

/** TensorShapeProto: repeated Dim dim = 2 { int64 size = 1 }. A repeated occurrence appends dims. */
function decodeShape(bytes: Uint8Array, into: number[]): number[] {
  const dims = [...into]
  const r = new ProtoReader(bytes)
  while (!r.done) {
    const {number, wire} = r.field()
    if (number === 2 && wire === WIRE_LENGTH_DELIMITED) {
      const dim = new ProtoReader(r.bytes())
      let size = 0n
      while (!dim.done) {
        const f = dim.field()
        if (f.number === 1 && f.wire === WIRE_VARINT) size = dim.int64()
        else dim.skip(f.wire)
      }
      dims.push(Number(size))
    } else {
      r.skip(wire)
    }
  }
  return dims
}

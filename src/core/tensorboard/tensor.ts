/**
 * Numeric tensors from TensorProto values (Go core: tensor.go): row-major float64 data and a
 * shape. Only DT_FLOAT, DT_DOUBLE, DT_INT32 and DT_INT64 are supported, from either the typed
 * value field or `tensor_content` (raw bytes, read little-endian: TensorBoard reads them in the
 * writer's native order, little-endian on every platform TensorFlow ships for).
 */
import {WandbError} from '../errors.ts'
import {DataType, type TensorProto} from './tf-event.ts'

/** A tensor that cannot be read, or an access that does not fit its shape. */
export class TensorError extends WandbError {
  override name = 'TensorError'
}

export class Tensor {
  /** Values in row-major order. */
  readonly data: readonly number[]
  /** Size of each dimension; empty for a rank-0 tensor. */
  readonly shape: readonly number[]

  constructor(data: readonly number[], shape: readonly number[]) {
    this.data = data
    this.shape = shape
  }

  /** Converts a TensorProto; throws TensorError for unsupported dtypes and unknown or malformed shapes. */
  static fromProto(proto: TensorProto): Tensor {
    if (proto.shape.some((d) => d === -1)) throw new TensorError('tensor has unknown shape')
    const content = proto.tensorContent
    const view = new DataView(content.buffer, content.byteOffset, content.byteLength)
    const fromContent = (width: number, read: (offset: number) => number): number[] => {
      if (content.length % width !== 0) {
        throw new TensorError(`tensor content has ${content.length} bytes, which is not a multiple of ${width}`)
      }
      const out: number[] = []
      for (let i = 0; i < content.length; i += width) out.push(read(i))
      return out
    }
    const pick = (direct: readonly number[], width: number, read: (offset: number) => number) => new Tensor(content.length === 0 ? [...direct] : fromContent(width, read), proto.shape)
    switch (proto.dtype) {
      case DataType.DT_FLOAT:
        return pick(proto.floatVal, 4, (i) => view.getFloat32(i, true))
      case DataType.DT_DOUBLE:
        return pick(proto.doubleVal, 8, (i) => view.getFloat64(i, true))
      case DataType.DT_INT32:
        return pick(proto.intVal, 4, (i) => view.getInt32(i, true))
      case DataType.DT_INT64:
        return pick(proto.int64Val.map(Number), 8, (i) => Number(view.getBigInt64(i, true)))
      default:
        throw new TensorError(`unsupported tensor dtype: ${proto.dtype}`)
    }
  }

  /** Row `i` of a rank-2 tensor; a negative index counts from the end. */
  row(i: number): number[] {
    if (this.shape.length !== 2) throw new TensorError(`expected rank-2 tensor, but rank is ${this.shape.length}`)
    const index = i < 0 ? i + this.shape[0] : i
    const rowLength = this.shape[1]
    const start = index * rowLength
    const end = (index + 1) * rowLength
    if (start < 0 || start >= this.data.length || end < start || end > this.data.length) {
      throw new TensorError(`row index out of bounds: ${index}`)
    }
    return this.data.slice(start, end)
  }

  /** Column `i` of a rank-2 tensor; a negative index counts from the end. */
  col(i: number): number[] {
    if (this.shape.length !== 2) throw new TensorError(`expected rank-2 tensor, but rank is ${this.shape.length}`)
    const index = i < 0 ? i + this.shape[1] : i
    const [rows, cols] = this.shape
    if (index < 0 || cols * (rows - 1) + index >= this.data.length) throw new TensorError(`col index out of bounds: ${index}`)
    const column: number[] = []
    for (let r = 0; r < rows; r++) column.push(this.data[r * cols + index])
    return column
  }

  /** The only value of a one-element tensor (whatever its shape). */
  scalar(): number {
    if (this.data.length !== 1) throw new TensorError(`tensor has ${this.data.length} elements, not 1`)
    return this.data[0]
  }
}

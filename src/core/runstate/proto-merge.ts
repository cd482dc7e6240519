/**
 * Go's proto.Merge for protobuf-ts messages, used to accumulate the TelemetryRecords the SDK
 * re-sends: every populated field of the source is merged into the destination.
 * - scalars and enums overwrite (so a false / 0 / "" in the source never clears a value);
 * - sub-messages merge recursively (copied when the destination has none);
 * - repeated fields are appended to, map entries overwrite by key;
 * - a oneof takes the source's case: merged when both hold the same message case, else replaced.
 */
import type {IMessageType} from '@protobuf-ts/runtime'
import {TelemetryRecord} from '../proto.ts'
import {fieldValue, isPopulated, setFieldValue} from './proto-fields.ts'

/** Merges `from` into `into` (mutating it) with proto.Merge semantics (see the module comment). */
export function protoMerge<T extends object>(type: IMessageType<T>, into: T, from: T): void {
  for (const field of type.fields) {
    if (!isPopulated(from, field)) continue
    const source = fieldValue(from, field)
    if (field.kind === 'map') {
      const target = (into as Record<string, Record<string, unknown>>)[field.localName]
      // clone must be called on its message type (an unbound clone loses `this`)
      const valueType = field.V.kind === 'message' ? field.V.T() : undefined
      const copyValue = valueType ? (v: unknown) => valueType.clone(v as never) : (v: unknown) => v
      for (const [k, v] of Object.entries(source as Record<string, unknown>)) target[k] = copyValue(v as never)
    } else if (field.repeat) {
      const target = fieldValue(into, field) as unknown[]
      const items = source as unknown[]
      target.push(...(field.kind === 'message' ? items.map((m) => field.T().clone(m as object)) : items))
    } else if (field.kind === 'message') {
      const target = fieldValue(into, field)
      if (target === undefined) setFieldValue(into, field, field.T().clone(source as object))
      else protoMerge(field.T(), target as object, source as object)
    } else {
      setFieldValue(into, field, source instanceof Uint8Array ? source.slice() : source)
    }
  }
}

/** Merges a newly received TelemetryRecord into the accumulated one (mutating `into`). */
export function mergeTelemetry(into: TelemetryRecord, from: TelemetryRecord): void {
  protoMerge(TelemetryRecord, into, from)
}

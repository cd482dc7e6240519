/**
 * Go core's ProtoEncodeToDict: a message as a dict keyed by field numbers (as strings), used for
 * `_wandb.t` (TelemetryRecord) and the entries of `_wandb.m` (MetricRecord).
 *
 * Only populated fields are encoded, and fields whose names start with "_" are skipped:
 * - int32 and string scalars as their values, enums as their numbers;
 * - a sub-message whose fields are all bools as the list of the numbers of its true fields (an
 *   empty list when none is true);
 * - any other sub-message as a dict of its populated string fields by number;
 * - everything else (bools, 64-bit integers, floats, bytes, repeated and map fields) is left out.
 * Keys come in field-number order (Go's are unordered).
 */
import {ScalarType, type FieldInfo, type IMessageType} from '@protobuf-ts/runtime'
import {fieldValue, isPopulated} from './proto-fields.ts'

/** Encodes `message` of type `type` as described in the module comment. */
export function protoEncodeToDict<T extends object>(type: IMessageType<T>, message: T): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const field of [...type.fields].sort((a, b) => a.no - b.no)) {
    if (field.name.startsWith('_') || field.repeat || field.kind === 'map') continue
    if (!isPopulated(message, field)) continue
    const key = String(field.no)
    const value = fieldValue(message, field)
    if (field.kind === 'scalar') {
      if (field.T === ScalarType.INT32 || field.T === ScalarType.STRING) out[key] = value
    } else if (field.kind === 'enum') {
      out[key] = value
    } else if (field.kind === 'message') {
      out[key] = encodeSubMessage(field.T(), value as object)
    }
  }
  return out
}

function encodeSubMessage(type: IMessageType<object>, message: object): unknown {
  const fields = [...type.fields].sort((a, b) => a.no - b.no)
  if (fields.every(isBoolField)) {
    return fields.filter((f) => isPopulated(message, f)).map((f) => f.no)
  }
  const out: Record<string, unknown> = {}
  for (const f of fields) {
    if (f.kind === 'scalar' && f.T === ScalarType.STRING && !f.repeat && isPopulated(message, f)) {
      out[String(f.no)] = fieldValue(message, f)
    }
  }
  return out
}

function isBoolField(field: FieldInfo): boolean {
  return field.kind === 'scalar' && field.T === ScalarType.BOOL
}

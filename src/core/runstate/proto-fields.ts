/**
 * Generic access to the fields of protobuf-ts messages through their reflection info, for the
 * Go-compatible encodings and merges that walk messages field by field.
 *
 * "Populated" follows Go's protoreflect: a message field is populated when set; a proto3 scalar or
 * enum without explicit presence when it is not its zero value ("" / 0 / 0n / false / empty bytes);
 * an `optional` scalar when set; a repeated or map field when non-empty; a oneof member when it is
 * the selected case.
 */
import type {FieldInfo} from '@protobuf-ts/runtime'

type Fields = Record<string, unknown>

/** The value of `field` in `message` (a oneof member only when it is the selected case). */
export function fieldValue(message: object, field: FieldInfo): unknown {
  const m = message as Fields
  if (field.oneof) {
    const group = m[field.oneof] as {oneofKind: string | undefined} & Fields
    return group.oneofKind === field.localName ? group[field.localName] : undefined
  }
  return m[field.localName]
}

/** Sets `field` in `message` (selecting the case of a oneof member). */
export function setFieldValue(message: object, field: FieldInfo, value: unknown): void {
  const m = message as Fields
  if (field.oneof) m[field.oneof] = {oneofKind: field.localName, [field.localName]: value}
  else m[field.localName] = value
}

/** True when `field` is populated in `message` (see the module comment). */
export function isPopulated(message: object, field: FieldInfo): boolean {
  const value = fieldValue(message, field)
  if (value === undefined) return false
  if (field.oneof) return true
  if (field.kind === 'map') return Object.keys(value as object).length > 0
  if (field.repeat) return (value as unknown[]).length > 0
  if (field.kind === 'message') return true
  if (field.kind === 'scalar' && field.opt) return true
  return !isZeroScalar(value)
}

function isZeroScalar(value: unknown): boolean {
  if (value instanceof Uint8Array) return value.length === 0
  return value === '' || value === 0 || value === 0n || value === false
}

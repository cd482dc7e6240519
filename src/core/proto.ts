/**
 * The single import point for the generated protobuf types (proto/gen, never edited by hand).
 * Field names are the proto's snake_case names; int64 fields are bigint; oneofs are
 * `{oneofKind: 'name', name: value}`.
 */
export * from '../../proto/gen/wandb_base.ts'
export * from '../../proto/gen/wandb_internal.ts'
export * from '../../proto/gen/wandb_server.ts'
export * from '../../proto/gen/wandb_settings.ts'
export * from '../../proto/gen/wandb_telemetry.ts'
export * from '../../proto/gen/wandb_sync.ts'
export * from '../../proto/gen/wandb_api.ts'
export * from '../../proto/gen/wandb_sweep_scheduler.ts'
export {Timestamp} from '../../proto/gen/google/protobuf/timestamp.ts'
export {
  BoolValue,
  DoubleValue,
  Int32Value,
  Int64Value,
  StringValue,
  UInt64Value,
} from '../../proto/gen/google/protobuf/wrappers.ts'

/**
 * A message of `type` with `fields` set, without copying them. `type.create(partial)` deep-merges
 * the partial through reflection, which on the per-step path (history and summary items) cost more
 * than encoding them; the objects given here become the message's own.
 */
export function build<T extends object>(type: {create(): T}, fields: Partial<T>): T {
  return Object.assign(type.create(), fields)
}

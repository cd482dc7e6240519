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
export {Timestamp} from '../../proto/gen/google/protobuf/timestamp.ts'
export {
  BoolValue, DoubleValue, Int32Value, Int64Value, StringValue, UInt64Value,
} from '../../proto/gen/google/protobuf/wrappers.ts'

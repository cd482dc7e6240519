/**
 * Every message type generated into proto/gen, by protobuf full name, found by scanning the exports
 * of the generated modules (so a message added to the schema needs no edit here).
 */
import {MessageType} from '@protobuf-ts/runtime'
import * as empty from '../../proto/gen/google/protobuf/empty.ts'
import * as struct from '../../proto/gen/google/protobuf/struct.ts'
import * as timestamp from '../../proto/gen/google/protobuf/timestamp.ts'
import * as wrappers from '../../proto/gen/google/protobuf/wrappers.ts'
import * as api from '../../proto/gen/wandb_api.ts'
import * as base from '../../proto/gen/wandb_base.ts'
import * as internal from '../../proto/gen/wandb_internal.ts'
import * as otel from '../../proto/gen/wandb_otel.ts'
import * as server from '../../proto/gen/wandb_server.ts'
import * as settings from '../../proto/gen/wandb_settings.ts'
import * as sweepScheduler from '../../proto/gen/wandb_sweep_scheduler.ts'
import * as sync from '../../proto/gen/wandb_sync.ts'
import * as telemetry from '../../proto/gen/wandb_telemetry.ts'

/** A generated message type whose message shape this code does not know statically. */
export type AnyMessageType = MessageType<object>

const MODULES: readonly object[] = [empty, struct, timestamp, wrappers, api, base, internal, otel, server, settings, sweepScheduler, sync, telemetry]

function scan(): Map<string, AnyMessageType> {
  const types = new Map<string, AnyMessageType>()
  for (const mod of MODULES) {
    for (const value of Object.values(mod)) {
      if (value instanceof MessageType) types.set(value.typeName, value as AnyMessageType)
    }
  }
  return types
}

/** Generated message types by full name (e.g. "wandb_internal.Record"). */
export const MESSAGE_TYPES: ReadonlyMap<string, AnyMessageType> = scan()

/** The generated type for a full name; throws naming the type when proto/gen has none. */
export function messageType(fullName: string): AnyMessageType {
  const type = MESSAGE_TYPES.get(fullName)
  if (!type) throw new Error(`proto/gen has no message type ${fullName}`)
  return type
}

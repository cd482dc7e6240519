import {EnvironmentRecord} from '../core/proto.ts'

/**
 * Merges environment records with protobuf merge semantics, as Go's `proto.Merge` does: set
 * scalars of later records win, zero values never overwrite, repeated fields append, map entries
 * merge by key, sub-messages merge field by field. (Implemented by decoding the concatenated
 * binary encodings, which the protobuf spec defines as a merge.)
 */
export function mergeEnvironment(records: EnvironmentRecord[]): EnvironmentRecord {
  const parts = records.map((r) => EnvironmentRecord.toBinary(r))
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    bytes.set(p, at)
    at += p.length
  }
  return EnvironmentRecord.fromBinary(bytes)
}

/**
 * The text of `wandb-metadata.json`: the protojson form of the merged records (json_names such as
 * `startedAt`, `codePath`, `cpu_count`, `gpu`, `gpu_nvidia`; 64-bit integers as strings; zero and
 * empty fields omitted; timestamps in RFC 3339), indented by 2 spaces like Go core's
 * `protojson.MarshalOptions{Indent: "  "}`.
 */
export function environmentToMetadataJson(records: EnvironmentRecord[]): string {
  return JSON.stringify(EnvironmentRecord.toJson(mergeEnvironment(records)), null, 2)
}

/**
 * Artifact manifests (version 1): built from the SDK's ArtifactManifest proto (or the gzipped
 * JSON-lines file it sends for very large manifests), encoded byte for byte as wandb-core uploads
 * them, and parsed back when downloading (network-protocol.md §5.1).
 */
import {rm} from 'node:fs/promises'
import type {ArtifactManifest} from '../proto.ts'
import {compareCodePoints} from './digests.ts'
import {ManifestError} from './errors.ts'
import {goJson, goJsonNumber, goJsonString} from './go-json.ts'

/** One file of an artifact. Optional fields are absent rather than empty. */
export interface ManifestEntry {
  /** Base64 MD5 for uploaded files; an ETag, version or URI digest for references. */
  digest: string
  /** The referenced object (s3://, gs://, https://, file://, wandb-artifact://…); never uploaded. */
  ref?: string
  size: number
  /** The local file to upload (often a staged copy). */
  localPath?: string
  /** The id of the artifact version that first stored this content. */
  birthArtifactId?: string
  skipCache: boolean
  extra: Record<string, unknown>
}

/** A version-1 manifest; `contents` maps artifact paths to entries. */
export interface Manifest {
  version: number
  storagePolicy: string
  storagePolicyConfig: {storageLayout: string; storageRegion?: string}
  contents: Map<string, ManifestEntry>
}

const parseJson = (text: string, what: string): unknown => {
  try {
    return JSON.parse(text)
  } catch (err) {
    throw new ManifestError(`artifacts: ${what} is not valid JSON: ${(err as Error).message}`, {cause: err})
  }
}

/**
 * The manifest the SDK sent with an ArtifactRecord. Storage layout is always V2 (as in Go);
 * `storageRegion` comes from the storage policy config. A `manifest_file_path` is read and then
 * deleted whether or not it could be decoded (Go's ManifestContentsFromFile), unless `keepFile`
 * (a replayed record: a later sync of the same .wandb file reads it again).
 */
export async function manifestFromProto(proto: ArtifactManifest | undefined, o: {keepFile?: boolean} = {}): Promise<Manifest> {
  if (!proto) throw new ManifestError('artifacts: the artifact has no manifest')
  const manifest: Manifest = {
    version: proto.version,
    storagePolicy: proto.storage_policy,
    storagePolicyConfig: {storageLayout: 'V2'},
    contents: new Map(),
  }
  for (const cfg of proto.storage_policy_config) {
    if (cfg.key !== 'storageRegion') continue
    const region = parseJson(cfg.value_json, 'storageRegion')
    if (typeof region !== 'string') throw new ManifestError('artifacts: storageRegion must be a JSON string')
    manifest.storagePolicyConfig.storageRegion = region
  }
  if (proto.manifest_file_path) manifest.contents = await contentsFromFile(proto.manifest_file_path, o.keepFile ?? false)
  for (const e of proto.contents) {
    const extra: Record<string, unknown> = {}
    for (const item of e.extra) extra[item.key] = parseJson(item.value_json, `extra ${item.key} of ${e.path}`)
    manifest.contents.set(e.path, {
      digest: e.digest,
      size: Number(e.size),
      skipCache: e.skip_cache,
      extra,
      ...(e.ref ? {ref: e.ref} : {}),
      ...(e.local_path ? {localPath: e.local_path} : {}),
      ...(e.birth_artifact_id ? {birthArtifactId: e.birth_artifact_id} : {}),
    })
  }
  return manifest
}

/** Entries of the SDK's gzipped JSON-lines manifest file (one `entry.to_json()` per line). */
async function contentsFromFile(path: string, keep: boolean): Promise<Map<string, ManifestEntry>> {
  try {
    let text: string
    try {
      text = new TextDecoder().decode(Bun.gunzipSync(await Bun.file(path).bytes()))
    } catch (err) {
      throw new ManifestError(`artifacts: cannot read the manifest file ${path}: ${(err as Error).message}`, {cause: err})
    }
    const contents = new Map<string, ManifestEntry>()
    for (const [i, line] of text.split('\n').entries()) {
      if (line.trim() === '') continue
      const r = parseJson(line, `line ${i + 1} of ${path}`) as Record<string, unknown>
      if (typeof r?.path !== 'string') throw new ManifestError(`artifacts: line ${i + 1} of ${path} has no "path"`)
      if (typeof r.digest !== 'string') throw new ManifestError(`artifacts: line ${i + 1} of ${path} has no "digest"`)
      contents.set(r.path, entryFromJson(r))
    }
    return contents
  } finally {
    if (!keep) await rm(path, {force: true}).catch(() => {})
  }
}

const nonEmpty = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined)

/** A manifest entry from its JSON object (the SDK's keys; unknown keys ignored). */
function entryFromJson(r: Record<string, unknown>): ManifestEntry {
  const ref = nonEmpty(r.ref)
  const localPath = nonEmpty(r.local_path)
  const birth = nonEmpty(r.birthArtifactID)
  const extra = r.extra && typeof r.extra === 'object' && !Array.isArray(r.extra) ? (r.extra as Record<string, unknown>) : {}
  return {
    digest: String(r.digest),
    size: typeof r.size === 'number' ? r.size : 0,
    skipCache: r.skip_cache === true,
    extra,
    ...(ref ? {ref} : {}),
    ...(localPath ? {localPath} : {}),
    ...(birth ? {birthArtifactId: birth} : {}),
  }
}

/**
 * The manifest JSON as wandb-core uploads it: Go's json.Marshal of its Manifest struct (fields in
 * declaration order, `contents` keys sorted, `local_path` and `skip_cache` included, empty
 * `extra` omitted).
 */
export function encodeManifest(m: Manifest): string {
  const cfg = m.storagePolicyConfig
  const config = `{"storageLayout":${goJsonString(cfg.storageLayout)}${cfg.storageRegion !== undefined ? `,"storageRegion":${goJsonString(cfg.storageRegion)}` : ''}}`
  const paths = [...m.contents.keys()].sort(compareCodePoints)
  const contents = paths.map((p) => `${goJsonString(p)}:${encodeEntry(m.contents.get(p)!)}`).join(',')
  return `{"version":${m.version},"storagePolicy":${goJsonString(m.storagePolicy)},"storagePolicyConfig":${config},"contents":{${contents}}}`
}

function encodeEntry(e: ManifestEntry): string {
  let out = `{"digest":${goJsonString(e.digest)}`
  if (e.ref !== undefined) out += `,"ref":${goJsonString(e.ref)}`
  out += `,"size":${goJsonNumber(e.size)}`
  if (e.localPath !== undefined) out += `,"local_path":${goJsonString(e.localPath)}`
  if (e.birthArtifactId !== undefined) out += `,"birthArtifactID":${goJsonString(e.birthArtifactId)}`
  out += `,"skip_cache":${e.skipCache ? 'true' : 'false'}`
  if (Object.keys(e.extra).length > 0) out += `,"extra":${goJson(e.extra)}`
  return out + '}'
}

/** Whether the entry's digest is XXH128 (the SDK tags such entries with extra {"alg": "XXH128"}); untagged means MD5. */
export function isXxh128(e: ManifestEntry): boolean {
  return e.extra.alg === 'XXH128'
}

/**
 * A downloaded manifest (any writer: the SDK, wandb-core, nexus); a manifest without a storage
 * layout is V1, as the SDK reads it. Throws ManifestError.
 */
export function parseManifest(text: string): Manifest {
  const raw = parseJson(text, 'the manifest') as Record<string, unknown>
  if (!raw || typeof raw !== 'object') throw new ManifestError('artifacts: the manifest is not a JSON object')
  if (raw.version !== 1) throw new ManifestError(`artifacts: unsupported manifest version ${JSON.stringify(raw.version)}`)
  const cfg = (raw.storagePolicyConfig ?? {}) as Record<string, unknown>
  const contentsRaw = raw.contents
  if (!contentsRaw || typeof contentsRaw !== 'object' || Array.isArray(contentsRaw)) throw new ManifestError('artifacts: the manifest has no "contents" object')
  const contents = new Map<string, ManifestEntry>()
  for (const [path, value] of Object.entries(contentsRaw as Record<string, unknown>)) {
    const r = value as Record<string, unknown>
    if (!r || typeof r !== 'object' || typeof r.digest !== 'string') throw new ManifestError(`artifacts: manifest entry ${JSON.stringify(path)} has no digest`)
    contents.set(path, entryFromJson(r))
  }
  return {
    version: 1,
    storagePolicy: typeof raw.storagePolicy === 'string' ? raw.storagePolicy : 'wandb-storage-policy-v1',
    storagePolicyConfig: {
      storageLayout: typeof cfg.storageLayout === 'string' ? cfg.storageLayout : 'V1',
      ...(typeof cfg.storageRegion === 'string' ? {storageRegion: cfg.storageRegion} : {}),
    },
    contents,
  }
}

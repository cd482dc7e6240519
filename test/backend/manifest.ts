/**
 * Reading artifact manifests (version 1, as uploaded by wandb-core): the entry list drives the
 * file listings, artifact size and file count, and the inspection API.
 */
import type {Store} from './store/index.ts'
import {b64ToHex} from './store/index.ts'

/** One manifest entry. `md5Hex` is null for references (`ref` set) and non-MD5 digests. */
export interface ManifestEntry {
  path: string
  digest: string
  size: number
  ref: string | null
  birthArtifactID: string | null
  md5Hex: string | null
}

/** The entries of an artifact's current (uploaded) manifest, sorted by path; [] if none. */
export function manifestEntries(store: Store, artifactId: number): ManifestEntry[] {
  const m = store.artifacts.currentManifest(artifactId)
  if (!m?.md5) return []
  const bytes = store.blobs.read(m.md5)
  return bytes ? parseManifest(new TextDecoder().decode(bytes)) : []
}

/** Parses manifest JSON into entries sorted by path. Throws on invalid JSON. */
export function parseManifest(text: string): ManifestEntry[] {
  const json = JSON.parse(text) as {contents?: Record<string, {digest?: string; size?: number; ref?: string; birthArtifactID?: string}>}
  const entries: ManifestEntry[] = []
  for (const [path, e] of Object.entries(json.contents ?? {})) {
    const digest = String(e.digest ?? '')
    const ref = typeof e.ref === 'string' && e.ref !== '' ? e.ref : null
    entries.push({
      path,
      digest,
      size: typeof e.size === 'number' ? e.size : 0,
      ref,
      birthArtifactID: e.birthArtifactID ?? null,
      md5Hex: ref === null ? b64ToHex(digest) : null,
    })
  }
  return entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
}

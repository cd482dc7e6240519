/**
 * The three digest encodings of artifacts (network-protocol.md §5.2):
 * - entry digest: standard base64 of the file's MD5;
 * - artifact digest (CreateArtifact, MANIFEST_MD5): hex MD5 over "wandb-artifact-manifest-v1\n" and
 *   "<path>:<digest>\n" per entry, paths sorted by code point;
 * - manifest-file digest: base64 MD5 of the exact manifest bytes uploaded.
 * Cache paths and multipart parts use hex.
 */
import {ArtifactError} from './errors.ts'

/** A file's MD5 in both encodings, and its size in bytes. */
export interface FileDigest {
  b64: string
  hex: string
  size: number
}

/** Streams `path` through MD5. Rejects with the file system's error when it cannot be read. */
export async function fileMd5(path: string): Promise<FileDigest> {
  const hasher = new Bun.CryptoHasher('md5')
  let size = 0
  for await (const chunk of Bun.file(path).stream()) {
    hasher.update(chunk)
    size += chunk.byteLength
  }
  const digest = hasher.digest()
  return {b64: digest.toString('base64'), hex: digest.toString('hex'), size}
}

/** MD5 of `bytes`, standard base64. */
export function md5B64(bytes: Uint8Array | string): string {
  return new Bun.CryptoHasher('md5').update(bytes).digest('base64')
}

/** MD5 of `bytes`, lower-case hex. */
export function md5Hex(bytes: Uint8Array | string): string {
  return new Bun.CryptoHasher('md5').update(bytes).digest('hex')
}

const B64 = /^[A-Za-z0-9+/]*={0,2}$/

/** Standard base64 → lower-case hex. Throws ArtifactError for text that is not base64 of ≥ 1 byte. */
export function b64ToHex(b64: string): string {
  if (b64.length === 0 || b64.length % 4 !== 0 || !B64.test(b64)) throw new ArtifactError(`artifacts: ${JSON.stringify(b64)} is not standard base64`)
  return Buffer.from(b64, 'base64').toString('hex')
}

/** Hex → standard base64. Throws ArtifactError for text that is not an even number of hex digits. */
export function hexToB64(hex: string): string {
  if (hex.length === 0 || hex.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(hex)) throw new ArtifactError(`artifacts: ${JSON.stringify(hex)} is not hex`)
  return Buffer.from(hex, 'hex').toString('base64')
}

/** Orders strings by Unicode code point (Python's str order, Go's byte order of UTF-8). */
export function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]()
  const ib = b[Symbol.iterator]()
  for (;;) {
    const x = ia.next()
    const y = ib.next()
    if (x.done || y.done) return x.done && y.done ? 0 : x.done ? -1 : 1
    const cx = x.value.codePointAt(0)!
    const cy = y.value.codePointAt(0)!
    if (cx !== cy) return cx - cy
  }
}

/** The artifact digest the SDK computes for MANIFEST_MD5 (`artifact_manifest_v1.py::digest`), hex. */
export function artifactDigest(entries: Iterable<readonly [path: string, digest: string]>): string {
  const hasher = new Bun.CryptoHasher('md5')
  hasher.update('wandb-artifact-manifest-v1\n')
  for (const [path, digest] of [...entries].sort(([a], [b]) => compareCodePoints(a, b))) hasher.update(`${path}:${digest}\n`)
  return hasher.digest('hex')
}

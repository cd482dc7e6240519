/**
 * Content-addressed bytes: every uploaded body (run files, artifact files, manifests, multipart
 * parts after completion) is stored once under its MD5, which is what makes artifact
 * deduplication work (CreateArtifactFiles answers `uploadUrl: null` for a known MD5).
 */
import type {Database, Statement} from 'bun:sqlite'

/** MD5 of bytes as lower-case hex. */
export function md5Hex(data: Uint8Array): string {
  return new Bun.CryptoHasher('md5').update(data).digest('hex')
}

/** Standard base64 MD5 (W&B's `digest`/`md5` for files) → hex; null when it is not 16 bytes. */
export function b64ToHex(b64: string): string | null {
  const buf = Buffer.from(b64, 'base64')
  return buf.length === 16 ? buf.toString('hex') : null
}

/** Hex MD5 → standard base64. */
export function hexToB64(hex: string): string {
  return Buffer.from(hex, 'hex').toString('base64')
}

/** Data access for `blobs`. */
export class BlobStore {
  private readonly put: Statement<unknown, [string, number, Uint8Array]>
  private readonly get: Statement<{data: Uint8Array}, [string]>
  private readonly has: Statement<{size: number}, [string]>

  constructor(db: Database) {
    this.put = db.query('INSERT OR IGNORE INTO blobs (md5, size, data) VALUES (?, ?, ?)')
    this.get = db.query('SELECT data FROM blobs WHERE md5 = ?')
    this.has = db.query('SELECT size FROM blobs WHERE md5 = ?')
  }

  /** Stores the bytes (idempotent) and returns their hex MD5 (pass it if already computed). */
  store(data: Uint8Array, knownMd5?: string): string {
    const md5 = knownMd5 ?? md5Hex(data)
    this.put.run(md5, data.byteLength, data)
    return md5
  }

  /** The bytes with this hex MD5, or null. */
  read(md5: string): Uint8Array | null {
    return this.get.get(md5)?.data ?? null
  }

  /** Size of the stored blob, or null when it is not stored. */
  size(md5: string): number | null {
    return this.has.get(md5)?.size ?? null
  }
}

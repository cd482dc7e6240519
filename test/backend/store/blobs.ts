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

/**
 * SQLite refuses a value over 1,000,000,000 bytes (SQLITE_MAX_LENGTH), and object storage takes
 * single files of several GiB: bodies are kept in chunks of this size.
 */
const CHUNK_BYTES = 256 * 1024 * 1024

/** Data access for `blobs` (md5 → size) and their bytes in `blob_chunks`. */
export class BlobStore {
  private readonly put: Statement<{md5: string}, [string, number]>
  private readonly putChunk: Statement<unknown, [string, number, Uint8Array]>
  private readonly chunks: Statement<{data: Uint8Array}, [string]>
  private readonly has: Statement<{size: number}, [string]>

  constructor(
    private readonly db: Database,
    private readonly chunkBytes = CHUNK_BYTES,
  ) {
    this.put = db.query('INSERT OR IGNORE INTO blobs (md5, size) VALUES (?, ?) RETURNING md5')
    this.putChunk = db.query('INSERT INTO blob_chunks (md5, seq, data) VALUES (?, ?, ?)')
    this.chunks = db.query('SELECT data FROM blob_chunks WHERE md5 = ? ORDER BY seq')
    this.has = db.query('SELECT size FROM blobs WHERE md5 = ?')
  }

  /** Stores the bytes (idempotent) and returns their hex MD5 (pass it if already computed). */
  store(data: Uint8Array, knownMd5?: string): string {
    const md5 = knownMd5 ?? md5Hex(data)
    this.db.transaction(() => {
      if (!this.put.get(md5, data.byteLength)) return // already stored
      for (let seq = 0, at = 0; at < data.byteLength || seq === 0; seq++, at += this.chunkBytes) {
        this.putChunk.run(md5, seq, data.subarray(at, at + this.chunkBytes))
      }
    })()
    return md5
  }

  /** The bytes with this hex MD5, or null. */
  read(md5: string): Uint8Array | null {
    const size = this.size(md5)
    if (size === null) return null
    const parts = this.chunks.all(md5)
    if (parts.length === 1) return parts[0].data
    const out = new Uint8Array(size)
    let at = 0
    for (const p of parts) {
      out.set(p.data, at)
      at += p.data.byteLength
    }
    return out
  }

  /** Size of the stored blob, or null when it is not stored. */
  size(md5: string): number | null {
    return this.has.get(md5)?.size ?? null
  }
}

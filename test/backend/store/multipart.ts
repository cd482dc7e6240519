/**
 * Multipart uploads (artifact files ≥ 2 GiB in the real clients): parts are kept until
 * CompleteMultipartUploadArtifact concatenates them into one blob.
 */
import type {Database, Statement} from 'bun:sqlite'
import {isoNow, randomName} from '../ids.ts'
import {md5Hex} from './blobs.ts'

/** Data access for `multipart_uploads` and `multipart_parts`. */
export class MultipartStore {
  private readonly insertUpload: Statement<unknown, [string, string, string]>
  private readonly upload: Statement<{id: string; md5: string}, [string]>
  private readonly putPart: Statement<unknown, [string, number, string, Uint8Array]>
  private readonly parts: Statement<{part_number: number; md5: string; data: Uint8Array}, [string]>
  private readonly drop: Statement<unknown, [string]>
  private readonly dropParts: Statement<unknown, [string]>

  constructor(db: Database) {
    this.insertUpload = db.query('INSERT INTO multipart_uploads (id, md5, created_at) VALUES (?, ?, ?)')
    this.upload = db.query('SELECT id, md5 FROM multipart_uploads WHERE id = ?')
    this.putPart = db.query('INSERT OR REPLACE INTO multipart_parts (upload_id, part_number, md5, data) VALUES (?, ?, ?, ?)')
    this.parts = db.query('SELECT part_number, md5, data FROM multipart_parts WHERE upload_id = ? ORDER BY part_number')
    this.drop = db.query('DELETE FROM multipart_uploads WHERE id = ?')
    this.dropParts = db.query('DELETE FROM multipart_parts WHERE upload_id = ?')
  }

  /** Starts an upload of a file whose whole-file MD5 (hex) is `md5`; returns the upload id. */
  begin(md5: string): string {
    const id = randomName(24)
    this.insertUpload.run(id, md5, isoNow())
    return id
  }

  /** True if the upload exists and is not completed. */
  exists(uploadId: string): boolean {
    return this.upload.get(uploadId) !== null
  }

  /** Stores (or replaces) one part; returns its hex MD5, which the PUT answers as ETag. */
  addPart(uploadId: string, partNumber: number, data: Uint8Array): string {
    const md5 = md5Hex(data)
    this.putPart.run(uploadId, partNumber, md5, data)
    return md5
  }

  /**
   * Concatenates the listed parts in part order and ends the upload. Throws if a part is missing
   * or its ETag (hex MD5, quotes allowed) does not match what was stored.
   */
  complete(uploadId: string, completed: {partNumber: number; hexMD5: string}[]): Uint8Array {
    if (!this.exists(uploadId)) throw new Error(`unknown multipart upload ${uploadId}`)
    const stored = new Map(this.parts.all(uploadId).map((p) => [p.part_number, p]))
    const chunks: Uint8Array[] = []
    for (const c of [...completed].sort((a, b) => a.partNumber - b.partNumber)) {
      const part = stored.get(c.partNumber)
      if (!part) throw new Error(`multipart upload ${uploadId}: part ${c.partNumber} was never uploaded`)
      if (part.md5 !== c.hexMD5.replaceAll('"', '').toLowerCase()) throw new Error(`multipart upload ${uploadId}: part ${c.partNumber} ETag mismatch`)
      chunks.push(part.data)
    }
    this.dropParts.run(uploadId)
    this.drop.run(uploadId)
    return Buffer.concat(chunks)
  }
}

/** The blob store keeps bodies of any size (SQLite alone stops at 1e9 bytes) in chunks, once per MD5. */
import {Database} from 'bun:sqlite'
import {expect, test} from 'bun:test'
import {BlobStore, md5Hex} from './store/blobs.ts'
import {applySchema} from './store/schema.ts'

const store = (chunkBytes: number) => {
  const db = new Database(':memory:')
  applySchema(db)
  return {db, blobs: new BlobStore(db, chunkBytes)}
}

test('bodies spanning several chunks, exactly one chunk, and empty ones read back byte for byte', () => {
  const {db, blobs} = store(1000)
  for (const size of [0, 1, 999, 1000, 1001, 4567]) {
    const data = crypto.getRandomValues(new Uint8Array(size))
    const md5 = blobs.store(data)
    expect(md5).toBe(md5Hex(data))
    expect(blobs.size(md5)).toBe(size)
    expect(Buffer.from(blobs.read(md5)!).equals(Buffer.from(data))).toBe(true)
    const chunks = db.query<{n: number}, [string]>('SELECT count(*) AS n FROM blob_chunks WHERE md5 = ?').get(md5)!.n
    expect(chunks).toBe(Math.max(1, Math.ceil(size / 1000)))
  }
})

test('storing the same bytes twice keeps one copy; an unknown MD5 reads as null', () => {
  const {db, blobs} = store(10)
  const data = new TextEncoder().encode('the same twenty bytes')
  blobs.store(data)
  blobs.store(data)
  expect(db.query<{n: number}, []>('SELECT count(*) AS n FROM blob_chunks').get()!.n).toBe(3)
  expect(blobs.read('0'.repeat(32))).toBeNull()
})

/**
 * Multipart uploads of big artifact files (Go core's multipart.go): files from 2 GiB up to 5 TiB
 * are sent in 100 MiB parts (bigger parts, rounded up to 4 KiB, when 10,000 would not do), each
 * announced to the server with its 1-based number and hex MD5.
 */
import {open} from 'node:fs/promises'
import {availableParallelism} from 'node:os'
import {ArtifactError} from './errors.ts'
import type {UploadPart} from './gql-save.ts'
import {Semaphore} from '../runtime/index.ts'

/** Files of at least this many bytes are uploaded in parts. */
export const MULTIPART_THRESHOLD = 2 * 1024 ** 3
/** The largest object S3 stores. */
export const MULTIPART_MAX_SIZE = 5 * 1024 ** 4
/** The default part size. */
export const DEFAULT_PART_SIZE = 100 * 1024 ** 2
/** S3's limit on the number of parts. */
export const MAX_PARTS = 10_000

/** The part size for a file of `fileSize` bytes. */
export function partSize(fileSize: number): number {
  if (fileSize < DEFAULT_PART_SIZE * MAX_PARTS) return DEFAULT_PART_SIZE
  return Math.ceil(Math.ceil(fileSize / MAX_PARTS) / 4096) * 4096
}

/** Byte ranges of the parts of a `fileSize`-byte file cut in `size`-byte parts. */
export function partRanges(fileSize: number, size: number): Array<{partNumber: number; offset: number; size: number}> {
  const out: Array<{partNumber: number; offset: number; size: number}> = []
  for (let offset = 0, n = 1; offset < fileSize; offset += size, n++) out.push({partNumber: n, offset, size: Math.min(size, fileSize - offset)})
  return out
}

/**
 * The parts to announce for `path` of `fileSize` bytes, or null when the file is uploaded whole
 * (smaller than `threshold`, default 2 GiB; an empty file never is multipart). Parts are hashed in
 * parallel, one reader per CPU. Throws ArtifactError for files beyond 5 TiB.
 */
export async function multipartParts(path: string, fileSize: number, o: {threshold?: number; partSize?: number} = {}): Promise<UploadPart[] | null> {
  const threshold = o.threshold ?? MULTIPART_THRESHOLD
  if (fileSize === 0 || fileSize < threshold) return null
  if (fileSize > MULTIPART_MAX_SIZE) throw new ArtifactError(`artifacts: ${path} is larger than the 5 TiB an object may have (${fileSize} bytes)`)
  const ranges = partRanges(fileSize, o.partSize ?? partSize(fileSize))
  const limiter = new Semaphore(Math.max(1, Math.min(availableParallelism(), ranges.length)))
  const file = await open(path, 'r')
  try {
    return await Promise.all(ranges.map((r) => limiter.run(async () => ({partNumber: r.partNumber, hexMD5: await rangeMd5Hex(file, r.offset, r.size)}))))
  } finally {
    await file.close()
  }
}

const CHUNK = 4 * 1024 * 1024

async function rangeMd5Hex(file: Awaited<ReturnType<typeof open>>, offset: number, size: number): Promise<string> {
  const hasher = new Bun.CryptoHasher('md5')
  const buf = Buffer.allocUnsafe(Math.min(CHUNK, size))
  let done = 0
  while (done < size) {
    const {bytesRead} = await file.read(buf, 0, Math.min(buf.length, size - done), offset + done)
    if (bytesRead === 0) throw new ArtifactError(`artifacts: the file ended before byte ${offset + size} while hashing a part`)
    hasher.update(buf.subarray(0, bytesRead))
    done += bytesRead
  }
  return hasher.digest('hex')
}

/** The Content-Type of a multipart part: what follows "Content-Type:" in the upload headers, untrimmed (Go). */
export function multipartContentType(uploadHeaders: readonly string[]): string {
  for (const h of uploadHeaders) if (h.startsWith('Content-Type:')) return h.slice('Content-Type:'.length)
  return ''
}

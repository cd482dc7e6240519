/**
 * Reads a .wandb file into a RunDigest the way Go wandb-core's leet does: a file too short for the
 * W&B header reads as empty, a wrong header is an error, damaged or undecodable records are
 * skipped, and an incomplete last record ends the read (the run may still be writing).
 */
import {closeSync, openSync, readSync, statSync} from 'node:fs'
import {Record as WandbRecord} from '../proto.ts'
import {HEADER, HEADER_SIZE, TransactionLogReader} from '../txlog/index.ts'
import {LeetInspectError, pathErrorText} from './errors.ts'
import {goQuoteBytes} from './go-format.ts'
import {instantFromNs} from './go-time.ts'
import {RunDigest} from './run-digest.ts'

const HEADER_ERROR = 'transactionlog: bad header: '

/** The header's first bytes, or an error in Go's words; null when the file is shorter than the header. */
function readHeader(path: string): Uint8Array | null {
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch (err) {
    throw new LeetInspectError(`transactionlog: error opening file ${pathErrorText('open', path, err)}`, {cause: err})
  }
  try {
    const header = new Uint8Array(HEADER_SIZE)
    let n: number
    try {
      n = readSync(fd, header, 0, HEADER_SIZE, 0)
    } catch (err) {
      throw new LeetInspectError(HEADER_ERROR + pathErrorText('read', path, err), {cause: err})
    }
    return n < HEADER_SIZE ? null : header
  } finally {
    closeSync(fd)
  }
}

function checkHeader(header: Uint8Array): void {
  const ident = header.subarray(0, 4)
  if (!ident.every((b, i) => b === HEADER[i])) {
    const hex = Buffer.from(ident).toString('hex').toUpperCase()
    throw new LeetInspectError(`${HEADER_ERROR}leveldb/record: invalid W&B identifier: ${hex} (${goQuoteBytes(ident)})`)
  }
  const magic = header[4] | (header[5] << 8)
  if (magic !== (HEADER[4] | (HEADER[5] << 8))) {
    throw new LeetInspectError(`${HEADER_ERROR}leveldb/record: invalid W&B magic: ${magic.toString(16).toUpperCase()}`)
  }
  if (header[6] > HEADER[6]) throw new LeetInspectError('a newer wandb version is required to read this file')
}

/** Every intact record of the file, decoded; undecodable ones are skipped. */
function* records(reader: TransactionLogReader): Generator<WandbRecord> {
  for (let rec = reader.next(); rec; rec = reader.next()) {
    let decoded: WandbRecord
    try {
      decoded = WandbRecord.fromBinary(rec.data)
    } catch {
      continue // Go skips a record it cannot unmarshal and reads on
    }
    yield decoded
  }
}

export function readRunDigest(path: string): RunDigest {
  let mtimeNs: bigint
  try {
    mtimeNs = statSync(path, {bigint: true}).mtimeNs
  } catch (err) {
    throw new LeetInspectError(pathErrorText('stat', path, err), {cause: err})
  }
  const digest = new RunDigest(path, instantFromNs(mtimeNs))
  const header = readHeader(path)
  if (!header) return digest
  checkHeader(header)
  const reader = TransactionLogReader.open(path)
  try {
    for (const record of records(reader)) digest.apply(record)
  } finally {
    reader.close()
  }
  return digest
}

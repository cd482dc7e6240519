/**
 * Ad-hoc code signing of 64-bit Mach-O executables, on any OS.
 *
 * `bun build --compile --target=bun-darwin-x64` leaves Bun's own signature in the output with page
 * hashes that no longer match the embedded payload; macOS kills such a binary (SIGKILL, "code
 * signature invalid"). This module replaces the signature with a fresh ad-hoc one, the equivalent
 * of `codesign --remove-signature && codesign -s -`:
 *   SuperBlob { CodeDirectory (SHA-256, 4 KiB pages, flags=adhoc), empty Requirements, empty CMS }.
 * Everything in the signature is big-endian; Mach-O headers are little-endian (x86_64, arm64).
 * `verifyMachOSignature` recomputes every hash so a test can check the result independently of how
 * it was produced.
 */
import {createHash} from 'node:crypto'

const MH_MAGIC_64 = 0xfeedfacf
const LC_SEGMENT_64 = 0x19
const LC_CODE_SIGNATURE = 0x1d
const CSMAGIC_EMBEDDED_SIGNATURE = 0xfade0cc0
const CSMAGIC_CODEDIRECTORY = 0xfade0c02
const CSMAGIC_REQUIREMENTS = 0xfade0c01
const CSMAGIC_BLOBWRAPPER = 0xfade0b01
const CSSLOT_CODEDIRECTORY = 0
const CSSLOT_REQUIREMENTS = 2
const CSSLOT_SIGNATURESLOT = 0x10000
const CS_ADHOC = 0x2
const CS_EXECSEG_MAIN_BINARY = 0x1
const CS_HASHTYPE_SHA256 = 2
const PAGE_SHIFT = 12
const PAGE = 1 << PAGE_SHIFT
const CD_VERSION = 0x20400 // has execSeg fields
const CD_HEADER_SIZE = 88 // CodeDirectory header through execSegFlags for version 0x20400

interface Layout {
  sigCmdOffset: number // file offset of the LC_CODE_SIGNATURE command
  dataoff: number
  datasize: number
  linkeditCmdOffset: number
  linkeditFileoff: bigint
  linkeditVmsize: bigint
  textFileoff: bigint
  textFilesize: bigint
  pageAlign: number // segment alignment for vmsize (16 KiB on arm64, 4 KiB on x86_64)
}

function readLayout(buf: Buffer): Layout {
  if (buf.readUInt32LE(0) !== MH_MAGIC_64) throw new Error('macho-sign: not a 64-bit little-endian Mach-O file')
  const cputype = buf.readUInt32LE(4)
  const ncmds = buf.readUInt32LE(16)
  let off = 32
  const layout: Partial<Layout> = {pageAlign: cputype === 0x0100000c ? 0x4000 : 0x1000}
  for (let i = 0; i < ncmds; i++) {
    const cmd = buf.readUInt32LE(off)
    const size = buf.readUInt32LE(off + 4)
    if (cmd === LC_CODE_SIGNATURE) {
      layout.sigCmdOffset = off
      layout.dataoff = buf.readUInt32LE(off + 8)
      layout.datasize = buf.readUInt32LE(off + 12)
    } else if (cmd === LC_SEGMENT_64) {
      const name = buf.toString('latin1', off + 8, off + 24).replace(/\0+$/, '')
      if (name === '__LINKEDIT') {
        layout.linkeditCmdOffset = off
        layout.linkeditVmsize = buf.readBigUInt64LE(off + 32)
        layout.linkeditFileoff = buf.readBigUInt64LE(off + 40)
      } else if (name === '__TEXT') {
        layout.textFileoff = buf.readBigUInt64LE(off + 40)
        layout.textFilesize = buf.readBigUInt64LE(off + 48)
      }
    }
    off += size
  }
  if (layout.sigCmdOffset === undefined) throw new Error('macho-sign: no LC_CODE_SIGNATURE load command')
  if (layout.linkeditCmdOffset === undefined) throw new Error('macho-sign: no __LINKEDIT segment')
  if (layout.textFileoff === undefined) throw new Error('macho-sign: no __TEXT segment')
  return layout as Layout
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest()

function buildCodeDirectory(file: Buffer, codeLimit: number, ident: string, requirements: Buffer, l: Layout): Buffer {
  const nCodeSlots = Math.ceil(codeLimit / PAGE)
  const nSpecialSlots = CSSLOT_REQUIREMENTS // slots -1 (Info.plist, absent) and -2 (requirements)
  const identBytes = Buffer.from(ident + '\0', 'utf8')
  const identOffset = CD_HEADER_SIZE
  const hashOffset = identOffset + identBytes.length + nSpecialSlots * 32
  const length = hashOffset + nCodeSlots * 32
  const cd = Buffer.alloc(length)
  cd.writeUInt32BE(CSMAGIC_CODEDIRECTORY, 0)
  cd.writeUInt32BE(length, 4)
  cd.writeUInt32BE(CD_VERSION, 8)
  cd.writeUInt32BE(CS_ADHOC, 12)
  cd.writeUInt32BE(hashOffset, 16)
  cd.writeUInt32BE(identOffset, 20)
  cd.writeUInt32BE(nSpecialSlots, 24)
  cd.writeUInt32BE(nCodeSlots, 28)
  cd.writeUInt32BE(codeLimit, 32)
  cd.writeUInt8(32, 36) // hashSize
  cd.writeUInt8(CS_HASHTYPE_SHA256, 37)
  cd.writeUInt8(0, 38) // platform
  cd.writeUInt8(PAGE_SHIFT, 39)
  cd.writeUInt32BE(0, 40) // spare2
  cd.writeUInt32BE(0, 44) // scatterOffset
  cd.writeUInt32BE(0, 48) // teamOffset
  cd.writeUInt32BE(0, 52) // spare3
  cd.writeBigUInt64BE(0n, 56) // codeLimit64 (0: codeLimit fits 32 bits)
  cd.writeBigUInt64BE(l.textFileoff, 64) // execSegBase
  cd.writeBigUInt64BE(l.textFilesize, 72) // execSegLimit
  cd.writeBigUInt64BE(BigInt(CS_EXECSEG_MAIN_BINARY), 80)
  identBytes.copy(cd, identOffset)
  // special slot -2 (requirements) sits just before hashOffset; slot -1 stays zero.
  sha256(requirements).copy(cd, hashOffset - 2 * 32)
  for (let i = 0; i < nCodeSlots; i++) {
    const start = i * PAGE
    sha256(file.subarray(start, Math.min(start + PAGE, codeLimit))).copy(cd, hashOffset + i * 32)
  }
  return cd
}

/** Returns a copy of `input` carrying a fresh ad-hoc signature with identifier `ident`. */
export function adhocSignMachO(input: Buffer, ident: string): Buffer {
  const l = readLayout(input)
  const codeLimit = l.dataoff
  const requirements = Buffer.alloc(12)
  requirements.writeUInt32BE(CSMAGIC_REQUIREMENTS, 0)
  requirements.writeUInt32BE(12, 4)
  requirements.writeUInt32BE(0, 8)
  const cms = Buffer.alloc(8)
  cms.writeUInt32BE(CSMAGIC_BLOBWRAPPER, 0)
  cms.writeUInt32BE(8, 4)
  const nCodeSlots = Math.ceil(codeLimit / PAGE)
  const cdLength = CD_HEADER_SIZE + Buffer.byteLength(ident) + 1 + 2 * 32 + nCodeSlots * 32
  const headerLen = 12 + 3 * 8
  const sigLength = headerLen + cdLength + requirements.length + cms.length
  const datasize = Math.ceil(sigLength / 16) * 16

  // Fix the load commands first: they lie in page 0, which the CodeDirectory hashes.
  const out = Buffer.alloc(codeLimit + datasize)
  input.copy(out, 0, 0, codeLimit)
  out.writeUInt32LE(datasize, l.sigCmdOffset + 12)
  const linkeditFilesize = BigInt(codeLimit + datasize) - l.linkeditFileoff
  out.writeBigUInt64LE(linkeditFilesize, l.linkeditCmdOffset + 48)
  if (l.linkeditVmsize < linkeditFilesize) {
    const a = BigInt(l.pageAlign)
    out.writeBigUInt64LE(((linkeditFilesize + a - 1n) / a) * a, l.linkeditCmdOffset + 32)
  }

  const cd = buildCodeDirectory(out, codeLimit, ident, requirements, l)
  const sig = out.subarray(codeLimit)
  sig.writeUInt32BE(CSMAGIC_EMBEDDED_SIGNATURE, 0)
  sig.writeUInt32BE(sigLength, 4)
  sig.writeUInt32BE(3, 8)
  const entries: Array<[number, Buffer]> = [
    [CSSLOT_CODEDIRECTORY, cd],
    [CSSLOT_REQUIREMENTS, requirements],
    [CSSLOT_SIGNATURESLOT, cms],
  ]
  let blobOff = headerLen
  entries.forEach(([slot, blob], i) => {
    sig.writeUInt32BE(slot, 12 + i * 8)
    sig.writeUInt32BE(blobOff, 16 + i * 8)
    blob.copy(sig, blobOff)
    blobOff += blob.length
  })
  return out
}

export interface SignatureReport {
  identifier: string
  flags: number
  hashType: number
  codeLimit: number
  pages: number
  badPages: number
  requirementsHashOk: boolean
  trailingBytes: number
}

/**
 * Recomputes the code-page hashes and the requirements slot of the first CodeDirectory of `buf`
 * and reports how many disagree. A valid signature has badPages 0 and requirementsHashOk true.
 */
export function verifyMachOSignature(buf: Buffer): SignatureReport {
  const l = readLayout(buf)
  const sig = buf.subarray(l.dataoff, l.dataoff + l.datasize)
  if (sig.readUInt32BE(0) !== CSMAGIC_EMBEDDED_SIGNATURE) throw new Error('macho-sign: no embedded signature')
  const count = sig.readUInt32BE(8)
  const blobs = new Map<number, Buffer>()
  for (let i = 0; i < count; i++) {
    const slot = sig.readUInt32BE(12 + i * 8)
    const off = sig.readUInt32BE(16 + i * 8)
    blobs.set(slot, sig.subarray(off, off + sig.readUInt32BE(off + 4)))
  }
  const cd = blobs.get(CSSLOT_CODEDIRECTORY)
  if (!cd || cd.readUInt32BE(0) !== CSMAGIC_CODEDIRECTORY) throw new Error('macho-sign: no CodeDirectory')
  const hashOffset = cd.readUInt32BE(16)
  const identOffset = cd.readUInt32BE(20)
  const nSpecial = cd.readUInt32BE(24)
  const nCode = cd.readUInt32BE(28)
  const codeLimit = cd.readUInt32BE(32)
  const hashSize = cd.readUInt8(36)
  const hashType = cd.readUInt8(37)
  const pageSize = 1 << cd.readUInt8(39)
  const hash = (b: Uint8Array) =>
    createHash(hashType === CS_HASHTYPE_SHA256 ? 'sha256' : 'sha1')
      .update(b)
      .digest()
      .subarray(0, hashSize)
  let bad = 0
  for (let i = 0; i < nCode; i++) {
    const start = i * pageSize
    const want = cd.subarray(hashOffset + i * hashSize, hashOffset + (i + 1) * hashSize)
    if (!hash(buf.subarray(start, Math.min(start + pageSize, codeLimit))).equals(want)) bad++
  }
  let requirementsHashOk = true
  if (nSpecial >= CSSLOT_REQUIREMENTS) {
    const req = blobs.get(CSSLOT_REQUIREMENTS)
    const want = cd.subarray(hashOffset - CSSLOT_REQUIREMENTS * hashSize, hashOffset - (CSSLOT_REQUIREMENTS - 1) * hashSize)
    requirementsHashOk = req ? hash(req).equals(want) : want.every((b) => b === 0)
  }
  const ident = cd.toString('utf8', identOffset, cd.indexOf(0, identOffset))
  return {
    identifier: ident,
    flags: cd.readUInt32BE(12),
    hashType,
    codeLimit,
    pages: nCode,
    badPages: bad,
    requirementsHashOk,
    trailingBytes: buf.length - (l.dataoff + l.datasize),
  }
}

/**
 * The five release platforms as each package format names them: the binary in dist/, the wheel's
 * platform tag (its glibc or macOS floor read from the binary itself), and npm's os/cpu.
 */
import {readFileSync} from 'node:fs'

export interface Platform {
  /** `linux-x64`, … as in the binary's name. */
  id: string
  /** dist/ file name. */
  binary: string
  /** The name of the binary inside packages. */
  exe: string
  npmOs: string
  npmCpu: string
  /** The wheel platform tag for a binary's bytes. */
  wheelTag(bytes: Uint8Array): string
}

export const PLATFORMS: Platform[] = [
  {id: 'linux-x64', binary: 'nexus-linux-x64', exe: 'nexus', npmOs: 'linux', npmCpu: 'x64', wheelTag: (b) => manylinux(b, 'x86_64')},
  {id: 'linux-arm64', binary: 'nexus-linux-arm64', exe: 'nexus', npmOs: 'linux', npmCpu: 'arm64', wheelTag: (b) => manylinux(b, 'aarch64')},
  {id: 'darwin-x64', binary: 'nexus-darwin-x64', exe: 'nexus', npmOs: 'darwin', npmCpu: 'x64', wheelTag: (b) => macos(b, 'x86_64')},
  {id: 'darwin-arm64', binary: 'nexus-darwin-arm64', exe: 'nexus', npmOs: 'darwin', npmCpu: 'arm64', wheelTag: (b) => macos(b, 'arm64')},
  {id: 'windows-x64', binary: 'nexus-windows-x64.exe', exe: 'nexus.exe', npmOs: 'win32', npmCpu: 'x64', wheelTag: () => 'win_amd64'},
]

/** The host's platform id (`linux-x64`, …). */
export function hostPlatformId(): string {
  const os = process.platform === 'win32' ? 'windows' : process.platform
  return `${os}-${process.arch}`
}

/** `manylinux_2_N_<arch>` from the newest GLIBC_2.N symbol version the binary needs (plus the manylinux2014 alias for 2.17). */
function manylinux(bytes: Uint8Array, arch: string): string {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1')
  let minor = 17
  for (const m of text.matchAll(/GLIBC_2\.(\d+)/g)) minor = Math.max(minor, Number(m[1]))
  const tag = `manylinux_2_${minor}_${arch}`
  return minor === 17 ? `${tag}.manylinux2014_${arch}` : tag
}

/** `macosx_<major>_<minor>_<arch>` from the Mach-O's LC_BUILD_VERSION (or LC_VERSION_MIN_MACOSX) minimum OS. */
function macos(bytes: Uint8Array, arch: string): string {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (buf.readUInt32LE(0) !== 0xfeedfacf) throw new Error('package: not a 64-bit Mach-O binary')
  const ncmds = buf.readUInt32LE(16)
  let off = 32
  for (let i = 0; i < ncmds; i++) {
    const cmd = buf.readUInt32LE(off)
    const size = buf.readUInt32LE(off + 4)
    // LC_BUILD_VERSION: platform, minos; LC_VERSION_MIN_MACOSX: version
    if (cmd === 0x32 || cmd === 0x24) {
      const v = buf.readUInt32LE(off + (cmd === 0x32 ? 12 : 8))
      const major = v >>> 16
      const minor = (v >>> 8) & 0xff
      // pip only knows x.0 tags from macOS 11 on
      return `macosx_${major}_${major >= 11 ? 0 : minor}_${arch}`
    }
    off += size
  }
  throw new Error('package: no minimum macOS version in the Mach-O binary')
}

/** For tests: the tag a binary file gets. */
export function wheelTagOf(platform: Platform, path: string): string {
  return platform.wheelTag(readFileSync(path))
}

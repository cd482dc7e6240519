/**
 * Pure parsers for the Linux /proc files the system resource reads. Each takes the file's text and
 * returns plain numbers; malformed input yields undefined / empty results rather than throwing.
 */

/** Fields of /proc/<pid>/stat that the monitor uses (CPU times in clock ticks). */
export interface ProcStat {
  ppid: number
  /** utime + stime, clock ticks. */
  cpuTicks: number
  threads: number
  /** Start time after boot, clock ticks: tells a reused pid from the original. */
  startTicks: number
}

/** Parses /proc/<pid>/stat. The command name may hold spaces and parentheses, so fields are counted from the last ')'. */
export function parseProcStat(text: string): ProcStat | undefined {
  const close = text.lastIndexOf(')')
  if (close < 0) return undefined
  const f = text
    .slice(close + 2)
    .trim()
    .split(/\s+/)
  // f[0] is field 3 (state); field n is f[n - 3].
  const ppid = Number(f[1])
  const utime = Number(f[11])
  const stime = Number(f[12])
  const threads = Number(f[17])
  const start = Number(f[19])
  if (![ppid, utime, stime, threads, start].every(Number.isFinite)) return undefined
  return {ppid, cpuTicks: utime + stime, threads, startTicks: start}
}

/** Resident set size from /proc/<pid>/status (`VmRSS`, kB → bytes); undefined for kernel threads and zombies. */
export function parseStatusRssBytes(text: string): number | undefined {
  const m = /^VmRSS:\s+(\d+)\s*kB/m.exec(text)
  return m ? Number(m[1]) * 1024 : undefined
}

/** Number of CPUs in `Cpus_allowed_list` of /proc/<pid>/status ("0-3,8,10-11" → 7); 0 if absent. */
export function parseCpusAllowed(text: string): number {
  const m = /^Cpus_allowed_list:\s*(\S+)/m.exec(text)
  return m ? countCpuList(m[1]) : 0
}

/** Counts the CPUs in a kernel CPU list such as "0-3,8". */
export function countCpuList(list: string): number {
  let n = 0
  for (const part of list.trim().split(',')) {
    if (part === '') continue
    const [a, b] = part.split('-').map(Number)
    if (!Number.isInteger(a)) continue
    n += b === undefined ? 1 : Number.isInteger(b) && b >= a ? b - a + 1 : 0
  }
  return n
}

/** System memory from /proc/meminfo, in bytes. `available` falls back to free + buffers + cached on old kernels. */
export function parseMeminfo(text: string): {total: number; available: number} | undefined {
  const kb = (name: string): number | undefined => {
    const m = new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(text)
    return m ? Number(m[1]) * 1024 : undefined
  }
  const total = kb('MemTotal')
  if (total === undefined) return undefined
  const available = kb('MemAvailable') ?? (kb('MemFree') ?? 0) + (kb('Buffers') ?? 0) + (kb('Cached') ?? 0)
  return {total, available}
}

/** Bytes received and sent, summed over all interfaces of /proc/net/dev (as gopsutil's `IOCounters(false)`). */
export function parseNetDev(text: string): {recv: number; sent: number} {
  let recv = 0
  let sent = 0
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':')
    if (colon < 0 || line.includes('|')) continue
    const f = line
      .slice(colon + 1)
      .trim()
      .split(/\s+/)
      .map(Number)
    if (f.length < 9) continue
    recv += f[0] || 0
    sent += f[8] || 0
  }
  return {recv, sent}
}

/** Bytes read and written per block device from /proc/diskstats (sectors are always 512 bytes there). */
export function parseDiskstats(text: string): Map<string, {readBytes: number; writeBytes: number}> {
  const out = new Map<string, {readBytes: number; writeBytes: number}>()
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/)
    if (f.length < 10) continue
    const read = Number(f[5])
    const written = Number(f[9])
    if (!Number.isFinite(read) || !Number.isFinite(written)) continue
    out.set(f[2], {readBytes: read * 512, writeBytes: written * 512})
  }
  return out
}

/** One line of /proc/mounts (octal escapes such as `\040` decoded). */
export interface MountEntry {
  device: string
  mountPoint: string
  fsType: string
  options: string[]
}

const unescapeMount = (s: string) => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)))

/** Parses /proc/mounts (or /proc/self/mounts). */
export function parseMounts(text: string): MountEntry[] {
  const out: MountEntry[] = []
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/)
    if (f.length < 4) continue
    out.push({device: unescapeMount(f[0]), mountPoint: unescapeMount(f[1]), fsType: f[2], options: f[3].split(',')})
  }
  return out
}

/** `Tcp: RetransSegs` from /proc/net/snmp (segments retransmitted since boot). */
export function parseTcpRetransSegs(text: string): number | undefined {
  const lines = text.split('\n').filter((l) => l.startsWith('Tcp:'))
  if (lines.length < 2) return undefined
  const names = lines[0].trim().split(/\s+/)
  const values = lines[1].trim().split(/\s+/)
  const i = names.indexOf('RetransSegs')
  const v = i < 0 ? NaN : Number(values[i])
  return Number.isFinite(v) ? v : undefined
}

/** Child pids listed in /proc/<pid>/task/<tid>/children. */
export function parseChildren(text: string): number[] {
  return text
    .split(/\s+/)
    .filter((s) => s !== '')
    .map(Number)
    .filter(Number.isInteger)
}

/** CPU facts from /proc/cpuinfo: logical processors, physical cores (distinct package/core pairs), model name. */
export function parseCpuinfo(text: string): {logical: number; physical: number; model: string} {
  let logical = 0
  let model = ''
  const cores = new Set<string>()
  for (const block of text.split(/\n\s*\n/)) {
    if (!/^processor\s*:/m.test(block)) continue
    logical++
    const field = (name: string) => new RegExp(`^${name}\\s*:\\s*(.*)$`, 'm').exec(block)?.[1]?.trim()
    model ||= field('model name') ?? field('Model') ?? field('cpu model') ?? ''
    const pkg = field('physical id')
    const core = field('core id')
    if (pkg !== undefined && core !== undefined) cores.add(`${pkg}/${core}`)
  }
  return {logical, physical: cores.size, model}
}

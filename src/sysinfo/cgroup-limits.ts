import {posix} from 'node:path'
import type {HostFiles} from './host-files.ts'
import {parseCpusAllowed} from './proc-parsers.ts'

/** cgroup v1 writes a huge number (PAGE_COUNTER_MAX pages) for "no memory limit". */
const V1_NO_LIMIT = 2 ** 62

interface CgroupMount {
  root: string
  mountPoint: string
  fsType: string
  superOptions: string[]
}

/** Parses /proc/<pid>/mountinfo into the cgroup and cgroup2 mounts. */
export function parseCgroupMounts(text: string): CgroupMount[] {
  const out: CgroupMount[] = []
  for (const line of text.split('\n')) {
    const dash = line.indexOf(' - ')
    if (dash < 0) continue
    const pre = line.slice(0, dash).split(' ')
    const post = line.slice(dash + 3).split(' ')
    if (post[0] !== 'cgroup' && post[0] !== 'cgroup2') continue
    out.push({root: pre[3], mountPoint: pre[4], fsType: post[0], superOptions: (post[2] ?? '').split(',')})
  }
  return out
}

/** The directory under `mount` for a cgroup path reported relative to the host's cgroup root. */
export function cgroupDir(mount: {root: string; mountPoint: string}, cgroupPath: string): string {
  let rel = posix.normalize(cgroupPath)
  const root = posix.normalize(mount.root)
  if (root !== '/') {
    if (rel === root) rel = '/'
    else if (rel.startsWith(root + '/')) rel = rel.slice(root.length)
  }
  return posix.join(mount.mountPoint, rel.replace(/^\/+/, ''))
}

/** The smaller of two CPU limits where 0 (or less) means "no limit from this source". */
export function minPositive(a: number, b: number): number {
  if (a <= 0) return Math.max(b, 0)
  if (b <= 0) return a
  return Math.min(a, b)
}

/**
 * The cgroup (v2, else v1) limits that apply to this process, used as denominators so a container
 * reports usage against its own limits rather than the host's. Limits are read once at detection;
 * usage counters are read live. Only the leaf cgroup of the process is read (a parent's usage also
 * counts sibling workloads), as Go core does.
 */
export class CgroupLimits {
  readonly version: 1 | 2
  /** Memory limit in bytes; 0 = none. */
  readonly memoryLimit: number
  /** Effective CPU count (quota/period, or the affinity list when smaller than the host); 0 = none. */
  readonly cpuLimit: number
  readonly #files: HostFiles
  readonly #memoryCurrent: string
  readonly #memoryEvents: string
  readonly #cpuStat: string

  constructor(o: {files: HostFiles; version: 1 | 2; memoryLimit: number; cpuLimit: number; memoryDir: string; cpuDir: string}) {
    this.#files = o.files
    this.version = o.version
    this.memoryLimit = o.memoryLimit
    this.cpuLimit = o.cpuLimit
    this.#memoryCurrent = `${o.memoryDir}/${o.version === 2 ? 'memory.current' : 'memory.usage_in_bytes'}`
    this.#memoryEvents = `${o.memoryDir}/${o.version === 2 ? 'memory.events' : 'memory.oom_control'}`
    this.#cpuStat = `${o.cpuDir}/cpu.stat`
  }

  /** Bytes in use by the cgroup now; undefined if the file went away. */
  memoryCurrent(): number | undefined {
    return readNumber(this.#files.read(this.#memoryCurrent))
  }

  /** CFS periods elapsed and periods throttled (cpu.stat), cumulative. */
  cpuThrottling(): {periods: number; throttled: number} | undefined {
    const text = this.#files.read(this.#cpuStat)
    const periods = statField(text, 'nr_periods')
    const throttled = statField(text, 'nr_throttled')
    return periods === undefined || throttled === undefined ? undefined : {periods, throttled}
  }

  /** Processes of the cgroup killed by the OOM killer, cumulative. */
  oomKills(): number | undefined {
    return statField(this.#files.read(this.#memoryEvents), 'oom_kill')
  }
}

/**
 * Finds the limits of the cgroup of this process (/proc/self). Returns undefined when there is no
 * cgroup, it cannot be located, or it sets neither a memory nor a CPU limit (the host case).
 * `logicalCpus` is the host's logical CPU count: an affinity list covering all of them is no limit.
 */
export function detectCgroupLimits(files: HostFiles, logicalCpus: number): CgroupLimits | undefined {
  const membership = files.read('/proc/self/cgroup')
  const mounts = parseCgroupMounts(files.read('/proc/self/mountinfo') ?? '')
  if (membership === undefined || mounts.length === 0) return undefined
  const allowed = parseCpusAllowed(files.read('/proc/self/status') ?? '')
  const affinityLimit = allowed > 0 && (logicalCpus <= 0 || allowed < logicalCpus) ? allowed : 0
  const lines = membership
    .split('\n')
    .map((l) => l.split(':'))
    .filter((p) => p.length >= 3)

  const unified = lines.find((p) => p[0] === '0' && p[1] === '')
  const v2Mount = mounts.find((m) => m.fsType === 'cgroup2')
  if (unified && v2Mount) {
    const dir = cgroupDir(v2Mount, unified.slice(2).join(':'))
    const memoryLimit = readNumber(files.read(`${dir}/memory.max`)) ?? 0
    const cpuLimit = minPositive(quota(files.read(`${dir}/cpu.max`)?.trim().split(/\s+/)), affinityLimit)
    if (memoryLimit > 0 || cpuLimit > 0) {
      return new CgroupLimits({files, version: 2, memoryLimit, cpuLimit, memoryDir: dir, cpuDir: dir})
    }
  }

  const v1Dir = (controller: string): string | undefined => {
    const line = lines.find((p) => p[1].split(',').includes(controller))
    const mount = mounts.find((m) => m.fsType === 'cgroup' && m.superOptions.includes(controller))
    return line && mount ? cgroupDir(mount, line.slice(2).join(':')) : undefined
  }
  const memoryDir = v1Dir('memory')
  const cpuDir = v1Dir('cpu')
  let memoryLimit = memoryDir ? (readNumber(files.read(`${memoryDir}/memory.limit_in_bytes`)) ?? 0) : 0
  if (memoryLimit >= V1_NO_LIMIT) memoryLimit = 0
  const cfs = cpuDir ? [files.read(`${cpuDir}/cpu.cfs_quota_us`)?.trim(), files.read(`${cpuDir}/cpu.cfs_period_us`)?.trim()] : undefined
  const cpuLimit = minPositive(quota(cfs), affinityLimit)
  if (memoryLimit <= 0 && cpuLimit <= 0) return undefined
  return new CgroupLimits({files, version: 1, memoryLimit, cpuLimit, memoryDir: memoryDir ?? '', cpuDir: cpuDir ?? ''})
}

/** CPUs granted by a [quota, period] pair ("max" or a negative quota = none). */
function quota(pair: (string | undefined)[] | undefined): number {
  if (!pair || pair.length < 2) return 0
  const q = Number(pair[0])
  const p = Number(pair[1])
  return Number.isFinite(q) && Number.isFinite(p) && q > 0 && p > 0 ? q / p : 0
}

function readNumber(text: string | undefined): number | undefined {
  const t = text?.trim()
  if (!t || t === 'max') return undefined
  const n = Number(t)
  return Number.isFinite(n) ? n : undefined
}

function statField(text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined
  const m = new RegExp(`^${name}\\s+(\\d+)`, 'm').exec(text)
  return m ? Number(m[1]) : undefined
}

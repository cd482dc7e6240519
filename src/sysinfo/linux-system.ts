import {statfsSync} from 'node:fs'
import type {EnvironmentRecord} from '../core/proto.ts'
import {detectCgroupLimits, type CgroupLimits} from './cgroup-limits.ts'
import {linuxCpuTopology, type CpuTopology} from './cpu-topology.ts'
import {diskIoDevices} from './disk-devices.ts'
import {diskTotals, setDiskUsageMetrics, type StatfsFn} from './disk-usage.ts'
import {HostFiles} from './host-files.ts'
import {parseDiskstats, parseMeminfo, parseMounts, parseNetDev, parseTcpRetransSegs} from './proc-parsers.ts'
import {CpuTicksTracker, processTree, readProcess} from './process-tree.ts'
import type {Metrics, Resource} from './resource.ts'
import {slurmEnvironment} from './slurm.ts'

const MiB = 1024 * 1024
/** USER_HZ: the unit of /proc CPU times; 100 on every mainstream Linux architecture. */
const CLOCK_TICKS_PER_S = 100

/** What the Linux system resource watches; see MonitorSettings for the meaning of each field. */
export interface LinuxSystemOptions {
  pid: number
  trackProcessTree: boolean
  diskPaths: string[]
  noCgroup: boolean
  selfUsage: boolean
  /** Wall clock in ms (the monitor's Clock), for CPU percentages. */
  now: () => number
  /** Root of /proc and /sys (tests); "" for the real host. */
  root?: string
  /** statfs, replaceable in tests. */
  statfs?: StatfsFn
  /** Environment for the SLURM_* variables (default process.env). */
  env?: NodeJS.ProcessEnv
}

/**
 * CPU, memory, disk and network of a Linux host, read straight from /proc, /sys and statfs (no
 * child processes): the keys of Go core's `System` resource plus 0.31's `network.tcpRetransmits`,
 * `proc.cpu.throttledPercent` and `proc.memory.oomKills` (the last two only under a cgroup limit).
 * Counters (network, disk I/O, retransmits, OOM kills) count from construction; CPU % is the
 * average since the previous sample, divided by the CPU capacity (cgroup CPU limit, else physical
 * cores) so 100 means the whole machine.
 */
export class LinuxSystemResource implements Resource {
  readonly name = 'system'
  readonly #o: LinuxSystemOptions
  readonly #files: HostFiles
  readonly #cpu: CpuTopology
  readonly #cgroup: CgroupLimits | undefined
  readonly #devices: string[]
  readonly #statfs: StatfsFn | typeof statfsSync
  readonly #net0: {recv: number; sent: number}
  readonly #retrans0: number | undefined
  readonly #disk0: Map<string, {readBytes: number; writeBytes: number}>
  readonly #oom0: number | undefined
  readonly #tree = new CpuTicksTracker()
  readonly #self = new CpuTicksTracker()
  #throttle0: {periods: number; throttled: number} | undefined
  #lastMs: number

  constructor(o: LinuxSystemOptions) {
    this.#o = o
    this.#files = new HostFiles(o.root)
    this.#statfs = o.statfs ?? statfsSync
    this.#cpu = linuxCpuTopology(this.#files)
    this.#cgroup = o.noCgroup ? undefined : detectCgroupLimits(this.#files, this.#cpu.logical)
    this.#net0 = parseNetDev(this.#files.read('/proc/net/dev') ?? '')
    this.#retrans0 = parseTcpRetransSegs(this.#files.read('/proc/net/snmp') ?? '')
    this.#disk0 = parseDiskstats(this.#files.read('/proc/diskstats') ?? '')
    this.#devices = diskIoDevices({
      diskPaths: o.diskPaths,
      mounts: parseMounts(this.#files.read('/proc/self/mounts') ?? this.#files.read('/proc/mounts') ?? ''),
      known: new Set(this.#disk0.keys()),
    })
    this.#oom0 = this.#cgroup?.oomKills()
    this.#throttle0 = this.#cgroup?.cpuThrottling()
    this.#lastMs = o.now()
    this.#processTicks()
  }

  /** CPU capacity used as the denominator of `cpu`: the cgroup CPU limit, else physical cores. */
  get cpuCapacity(): number {
    return this.#cgroup && this.#cgroup.cpuLimit > 0 ? this.#cgroup.cpuLimit : this.#cpu.physical
  }

  async sample(): Promise<Metrics> {
    const m: Metrics = new Map()
    const now = this.#o.now()
    const elapsedS = (now - this.#lastMs) / 1000
    this.#lastMs = now

    const proc = this.#processTicks()
    if (proc && elapsedS > 0) m.set('cpu', ((proc.ticks / CLOCK_TICKS_PER_S / elapsedS) * 100) / (this.cpuCapacity || 1))

    const net = this.#files.read('/proc/net/dev')
    if (net !== undefined) {
      const {recv, sent} = parseNetDev(net)
      m.set('network.sent', sent - this.#net0.sent)
      m.set('network.recv', recv - this.#net0.recv)
    }
    const retrans = parseTcpRetransSegs(this.#files.read('/proc/net/snmp') ?? '')
    if (retrans !== undefined && this.#retrans0 !== undefined) m.set('network.tcpRetransmits', retrans - this.#retrans0)

    const disks = parseDiskstats(this.#files.read('/proc/diskstats') ?? '')
    for (const dev of this.#devices) {
      const now = disks.get(dev)
      const start = this.#disk0.get(dev)
      if (!now || !start) continue
      m.set(`disk.${dev}.in`, (now.readBytes - start.readBytes) / MiB)
      m.set(`disk.${dev}.out`, (now.writeBytes - start.writeBytes) / MiB)
    }

    const memoryTotal = this.#memory(m)
    if (proc) {
      m.set('proc.memory.rssMB', proc.rssBytes / MiB)
      if (memoryTotal > 0) m.set('proc.memory.percent', (proc.rssBytes / memoryTotal) * 100)
      m.set('proc.cpu.threads', proc.threads)
    }
    this.#cgroupCounters(m)

    setDiskUsageMetrics(m, this.#statfs, this.#o.diskPaths)

    if (this.#o.selfUsage) this.#selfUsage(m, elapsedS)
    return m
  }

  async probe(): Promise<Partial<EnvironmentRecord>> {
    const out: Partial<EnvironmentRecord> = {
      cpu_count: this.#cpu.physical,
      cpu_count_logical: this.#cpu.logical,
      disk: diskTotals(this.#statfs, this.#o.diskPaths),
    }
    if (this.#cpu.model) out.cpu = {count: 0, count_logical: 0, model: this.#cpu.model}
    const mem = parseMeminfo(this.#files.read('/proc/meminfo') ?? '')
    if (mem) out.memory = {total: BigInt(mem.total)}
    const slurm = slurmEnvironment(this.#o.env ?? process.env)
    if (Object.keys(slurm).length > 0) out.slurm = slurm
    return out
  }

  /** memory_percent and proc.memory.availableMB; returns the denominator for proc.memory.percent. */
  #memory(m: Metrics): number {
    const cg = this.#cgroup
    if (cg && cg.memoryLimit > 0) {
      const current = cg.memoryCurrent()
      if (current !== undefined) {
        m.set('memory_percent', (current / cg.memoryLimit) * 100)
        m.set('proc.memory.availableMB', Math.max(0, cg.memoryLimit - current) / MiB)
        return cg.memoryLimit
      }
    }
    const mem = parseMeminfo(this.#files.read('/proc/meminfo') ?? '')
    if (!mem || mem.total <= 0) return 0
    m.set('memory_percent', ((mem.total - mem.available) / mem.total) * 100)
    m.set('proc.memory.availableMB', mem.available / MiB)
    return mem.total
  }

  #cgroupCounters(m: Metrics): void {
    const cg = this.#cgroup
    if (!cg) return
    const throttling = cg.cpuLimit > 0 ? cg.cpuThrottling() : undefined
    if (throttling && this.#throttle0) {
      const periods = throttling.periods - this.#throttle0.periods
      if (periods > 0) m.set('proc.cpu.throttledPercent', ((throttling.throttled - this.#throttle0.throttled) / periods) * 100)
    }
    this.#throttle0 = throttling ?? this.#throttle0
    const oom = cg.memoryLimit > 0 ? cg.oomKills() : undefined
    if (oom !== undefined && this.#oom0 !== undefined) m.set('proc.memory.oomKills', oom - this.#oom0)
  }

  #processTicks(): {ticks: number; rssBytes: number; threads: number} | undefined {
    if (this.#o.pid <= 0) return undefined
    const readings = processTree(this.#files, this.#o.pid, this.#o.trackProcessTree)
      .map((pid) => readProcess(this.#files, pid))
      .filter((r) => r !== undefined)
    if (readings.length === 0 || readings[0].pid !== this.#o.pid) return undefined
    let rssBytes = 0
    let threads = 0
    for (const r of readings) {
      rssBytes += r.rssBytes
      threads += r.threads
    }
    return {ticks: this.#tree.delta(readings), rssBytes, threads}
  }

  #selfUsage(m: Metrics, elapsedS: number): void {
    const self = readProcess(this.#files, process.pid)
    if (!self) return
    const ticks = this.#self.delta([self])
    if (elapsedS > 0) m.set('wandb.cpu', ((ticks / CLOCK_TICKS_PER_S / elapsedS) * 100) / (this.cpuCapacity || 1))
    m.set('wandb.memory.rssMB', self.rssBytes / MiB)
  }
}

import {statfsSync} from 'node:fs'
import type {EnvironmentRecord} from '../core/proto.ts'
import {diskTotals, setDiskUsageMetrics, type StatfsFn} from './disk-usage.ts'
import type {Metrics, Resource} from './resource.ts'
import {slurmEnvironment} from './slurm.ts'

const MiB = 1024 * 1024

/** The part of the `systeminformation` API the portable resource uses (injectable for tests). */
export interface SystemInformationApi {
  mem(): Promise<{total: number; available: number}>
  networkStats(iface: string): Promise<{rx_bytes: number; tx_bytes: number}[]>
  processes(): Promise<{list: {pid: number; parentPid: number; cpu: number; memRss: number}[]}>
  cpu(): Promise<{physicalCores: number; cores: number; brand: string; manufacturer: string}>
  powerShellStart(): void
  powerShellRelease(): void
}

export interface PortableSystemOptions {
  si: SystemInformationApi
  platform: NodeJS.Platform
  pid: number
  trackProcessTree: boolean
  diskPaths: string[]
  statfs?: StatfsFn
  env?: NodeJS.ProcessEnv
}

/**
 * CPU, memory, disk usage and network of a macOS or Windows host through `systeminformation`
 * (Linux uses LinuxSystemResource). On Windows one PowerShell is kept open for the monitor's
 * lifetime (systeminformation's powerShellStart) instead of a new one per call. Disk usage comes
 * from statfs (no child process); per-device disk I/O is not reported on these platforms.
 * `systeminformation`'s process CPU is per core on macOS (divided here by the physical cores, as
 * Go core does) and already machine-wide on Windows.
 */
export class PortableSystemResource implements Resource {
  readonly name = 'system'
  readonly #o: PortableSystemOptions
  readonly #statfs: StatfsFn | typeof statfsSync
  #net0: {rx: number; tx: number} | undefined
  #physical: number | undefined
  #closed = false

  constructor(o: PortableSystemOptions) {
    this.#o = o
    this.#statfs = o.statfs ?? statfsSync
    if (o.platform === 'win32') o.si.powerShellStart()
  }

  async sample(): Promise<Metrics> {
    const m: Metrics = new Map()
    const [mem, net, procs] = await Promise.all([this.#o.si.mem().catch(() => undefined), this.#network(), this.#o.pid > 0 ? this.#o.si.processes().catch(() => undefined) : undefined])
    if (procs) {
      const tree = pickTree(procs.list, this.#o.pid, this.#o.trackProcessTree)
      if (tree.length > 0) {
        const cpu = tree.reduce((a, p) => a + (p.cpu || 0), 0)
        const physical = this.#o.platform === 'darwin' ? await this.#physicalCores() : 1
        m.set('cpu', cpu / (physical || 1))
        const rss = tree.reduce((a, p) => a + (p.memRss || 0), 0) * 1024
        m.set('proc.memory.rssMB', rss / MiB)
        if (mem && mem.total > 0) m.set('proc.memory.percent', (rss / mem.total) * 100)
      }
    }
    if (net) {
      this.#net0 ??= net
      m.set('network.sent', net.tx - this.#net0.tx)
      m.set('network.recv', net.rx - this.#net0.rx)
    }
    if (mem && mem.total > 0) {
      m.set('memory_percent', ((mem.total - mem.available) / mem.total) * 100)
      m.set('proc.memory.availableMB', mem.available / MiB)
    }
    setDiskUsageMetrics(m, this.#statfs, this.#o.diskPaths)
    return m
  }

  async probe(): Promise<Partial<EnvironmentRecord>> {
    const out: Partial<EnvironmentRecord> = {disk: diskTotals(this.#statfs, this.#o.diskPaths)}
    const cpu = await this.#o.si.cpu().catch(() => undefined)
    if (cpu) {
      out.cpu_count = cpu.physicalCores
      out.cpu_count_logical = cpu.cores
      const model = `${cpu.manufacturer} ${cpu.brand}`.trim()
      if (model) out.cpu = {count: 0, count_logical: 0, model}
    }
    const mem = await this.#o.si.mem().catch(() => undefined)
    if (mem) out.memory = {total: BigInt(mem.total)}
    const slurm = slurmEnvironment(this.#o.env ?? process.env)
    if (Object.keys(slurm).length > 0) out.slurm = slurm
    return out
  }

  close(): void {
    if (this.#closed) return
    this.#closed = true
    if (this.#o.platform === 'win32') this.#o.si.powerShellRelease()
  }

  async #network(): Promise<{rx: number; tx: number} | undefined> {
    const stats = await this.#o.si.networkStats('*').catch(() => undefined)
    if (!stats || stats.length === 0) return undefined
    return {rx: stats.reduce((a, s) => a + (s.rx_bytes || 0), 0), tx: stats.reduce((a, s) => a + (s.tx_bytes || 0), 0)}
  }

  async #physicalCores(): Promise<number> {
    this.#physical ??= (await this.#o.si.cpu().catch(() => undefined))?.physicalCores ?? 0
    return this.#physical
  }
}

/** `pid` and, with `tree`, its descendants from a process list. */
export function pickTree<P extends {pid: number; parentPid: number}>(list: P[], pid: number, tree: boolean): P[] {
  const root = list.find((p) => p.pid === pid)
  if (!root) return []
  if (!tree) return [root]
  const out = [root]
  const seen = new Set([pid])
  for (let i = 0; i < out.length; i++) {
    for (const p of list) {
      if (p.parentPid === out[i].pid && !seen.has(p.pid)) {
        seen.add(p.pid)
        out.push(p)
      }
    }
  }
  return out
}

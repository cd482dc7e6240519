import type {EnvironmentRecord} from '../core/proto.ts'
import {addGpuMetrics, architectureName, cudaVersionString, gpuInUse, gpuNvidiaInfo, type GpuReading, type GpuStaticInfo} from './gpu-reading.ts'
import {HostFiles} from './host-files.ts'
import type {Nvml, NvmlDevice} from './nvml-api.ts'
import {processTree} from './process-tree.ts'
import type {Metrics, Resource} from './resource.ts'

export interface NvidiaGpuOptions {
  /** Monitored pid (0 = none): `gpu.process.{i}.*` appear when it or a descendant uses GPU i. */
  pid: number
  /** Indices to report (undefined = all). */
  gpuDeviceIds?: number[]
  /** Root of /proc and /sys (tests); "" for the host. */
  root?: string
}

/**
 * NVIDIA GPUs through NVML (`gpu.{i}.*`, `gpu.process.{i}.*`, and the GPU part of the machine
 * description). A reading NVML refuses once (not supported on this device) is not asked for again,
 * as the SDK's sidecar does. `energyJoules` is the driver's cumulative counter (since it was
 * loaded), as wandb-symon 0.31 reports it.
 */
export class NvidiaGpuResource implements Resource {
  readonly name = 'nvidia'
  readonly #nvml: Nvml
  readonly #o: NvidiaGpuOptions
  readonly #files: HostFiles
  readonly #devices: {index: number; device: NvmlDevice; off: Set<string>}[] = []
  #closed = false

  constructor(nvml: Nvml, o: NvidiaGpuOptions) {
    this.#nvml = nvml
    this.#o = o
    this.#files = new HostFiles(o.root)
    const count = nvml.deviceCount()
    for (let index = 0; index < count; index++) {
      const device = nvml.device(index)
      if (device) this.#devices.push({index, device, off: new Set()})
    }
  }

  /** Number of GPUs NVML reports. */
  get deviceCount(): number {
    return this.#devices.length
  }

  async sample(): Promise<Metrics> {
    const out: Metrics = new Map()
    if (this.#closed) return out
    const ours = this.#o.pid > 0 ? new Set(processTree(this.#files, this.#o.pid, true)) : new Set<number>()
    for (const d of this.#devices) {
      if (this.#o.gpuDeviceIds && !this.#o.gpuDeviceIds.includes(d.index)) continue
      const r = this.#read(d)
      addGpuMetrics(out, r, gpuInUse(r, ours))
    }
    return out
  }

  async probe(): Promise<Partial<EnvironmentRecord>> {
    if (this.#closed || this.#devices.length === 0) return {}
    const infos = this.#devices.map((d) => this.staticInfo(d.index, d.device))
    const out: Partial<EnvironmentRecord> = {
      gpu_type: infos[0].name,
      gpu_count: infos.length,
      gpu_nvidia: infos.map(gpuNvidiaInfo),
    }
    const cuda = this.#nvml.cudaDriverVersion()
    if (cuda !== undefined) out.cuda_version = cudaVersionString(cuda)
    return out
  }

  /** Name, UUID, architecture, cores, memory, PCI bus id and NUMA node of one device. */
  staticInfo(index: number, device: NvmlDevice): GpuStaticInfo {
    const pciBusId = device.pciBusId() ?? ''
    return {
      index,
      name: device.name() ?? '',
      uuid: device.uuid() ?? '',
      architecture: architectureName(device.architecture()),
      cudaCores: device.numCores() ?? 0,
      memoryTotal: device.memory()?.total ?? 0,
      pciBusId,
      numaNode: numaNode(this.#files, pciBusId),
    }
  }

  close(): void {
    if (this.#closed) return
    this.#closed = true
    this.#nvml.shutdown()
  }

  #read(d: {index: number; device: NvmlDevice; off: Set<string>}): GpuReading {
    const get = <T>(key: string, fn: () => T | undefined): T | undefined => {
      if (d.off.has(key)) return undefined
      const v = fn()
      if (v === undefined) d.off.add(key)
      return v
    }
    const dev = d.device
    const r: GpuReading = {index: d.index}
    const util = get('utilization', () => dev.utilization())
    r.utilizationGpu = util?.gpu
    r.utilizationMemory = util?.memory
    const mem = get('memory', () => dev.memory())
    r.memoryTotal = mem?.total
    r.memoryUsed = mem?.used
    r.temperature = get('temperature', () => dev.temperature())
    const power = get('power', () => dev.powerUsageMw())
    r.powerWatts = power === undefined ? undefined : power / 1000
    const limit = power === undefined ? undefined : get('powerLimit', () => dev.enforcedPowerLimitMw())
    r.enforcedPowerLimitWatts = limit === undefined ? undefined : limit / 1000
    const energy = get('energy', () => dev.totalEnergyMj())
    r.energyJoules = energy === undefined ? undefined : energy / 1000
    r.smClock = get('smClock', () => dev.clockMhz('sm'))
    r.memoryClock = get('memoryClock', () => dev.clockMhz('memory'))
    r.graphicsClock = get('graphicsClock', () => dev.clockMhz('graphics'))
    r.correctedMemoryErrors = get('corrected', () => dev.eccErrors('corrected'))
    r.uncorrectedMemoryErrors = get('uncorrected', () => dev.eccErrors('uncorrected'))
    r.fanSpeed = get('fan', () => dev.fanSpeed())
    r.encoderUtilization = get('encoder', () => dev.encoderUtilization())
    r.pcieLinkGen = get('linkGen', () => dev.pcieLinkGen())
    const speed = get('linkSpeed', () => dev.pcieSpeedMbps())
    r.pcieLinkSpeed = speed === undefined ? undefined : speed * 1e6
    r.pcieLinkWidth = get('linkWidth', () => dev.pcieLinkWidth())
    r.maxPcieLinkGen = get('maxLinkGen', () => dev.maxPcieLinkGen())
    r.maxPcieLinkWidth = get('maxLinkWidth', () => dev.maxPcieLinkWidth())
    const tx = get('pcieTx', () => dev.pcieThroughputKBps('tx'))
    const rx = get('pcieRx', () => dev.pcieThroughputKBps('rx'))
    r.pcieTxBytes = tx === undefined ? undefined : tx * 1024
    r.pcieRxBytes = rx === undefined ? undefined : rx * 1024
    r.pids = this.#o.pid > 0 ? dev.processes() : undefined
    return r
  }
}

/** The NUMA node of a PCI device from sysfs; undefined when unknown (-1 on single-node machines). */
export function numaNode(files: HostFiles, pciBusId: string): number | undefined {
  // NVML's bus id has an 8-digit domain ("00000000:00:06.0"); sysfs uses 4 digits, lowercase.
  const m = /^([0-9a-fA-F]+):([0-9a-fA-F]{2}:[0-9a-fA-F]{2}\.[0-7])$/.exec(pciBusId)
  if (!m) return undefined
  const id = `${m[1].slice(-4)}:${m[2]}`.toLowerCase()
  const n = Number(files.read(`/sys/bus/pci/devices/${id}/numa_node`)?.trim())
  return Number.isInteger(n) && n >= 0 ? n : undefined
}

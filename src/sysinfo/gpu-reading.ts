import type {GpuNvidiaInfo} from '../core/proto.ts'
import type {Metrics} from './resource.ts'

/**
 * One NVIDIA GPU's readings at one moment, in the units the metric keys use; a field is absent
 * when the source (NVML or nvidia-smi) does not support it on this device.
 */
export interface GpuReading {
  index: number
  /** Utilization of the SMs / of the memory controller, %. */
  utilizationGpu?: number
  utilizationMemory?: number
  /** Frame buffer memory, bytes. */
  memoryTotal?: number
  memoryUsed?: number
  /** °C */
  temperature?: number
  /** W */
  powerWatts?: number
  enforcedPowerLimitWatts?: number
  /** MHz */
  smClock?: number
  memoryClock?: number
  graphicsClock?: number
  /** Volatile ECC error counts (since the last driver reload), device memory. */
  correctedMemoryErrors?: number
  uncorrectedMemoryErrors?: number
  /** % of maximum fan speed. */
  fanSpeed?: number
  /** % */
  encoderUtilization?: number
  pcieLinkGen?: number
  /** Current PCIe link speed, bits per second. */
  pcieLinkSpeed?: number
  pcieLinkWidth?: number
  maxPcieLinkGen?: number
  maxPcieLinkWidth?: number
  /** PCIe throughput, bytes per second. */
  pcieTxBytes?: number
  pcieRxBytes?: number
  /** Energy used since the driver was loaded, J. */
  energyJoules?: number
  /** Pids with a compute or graphics context on the device (undefined = unknown). */
  pids?: number[]
}

/** Fixed facts about one GPU (the machine description's `gpu_nvidia[i]`). */
export interface GpuStaticInfo {
  index: number
  name: string
  uuid: string
  /** NVML architecture name ("Hopper"), "" if unknown. */
  architecture: string
  cudaCores: number
  /** bytes */
  memoryTotal: number
  pciBusId: string
  numaNode?: number
}

/** Per-GPU keys as `gpu.{i}.<name>`, in the order the SDK reports them. */
const DEVICE_KEYS: [keyof GpuReading, string][] = [
  ['utilizationGpu', 'gpu'],
  ['utilizationMemory', 'memory'],
  ['temperature', 'temp'],
  ['powerWatts', 'powerWatts'],
  ['enforcedPowerLimitWatts', 'enforcedPowerLimitWatts'],
  ['energyJoules', 'energyJoules'],
  ['smClock', 'smClock'],
  ['memoryClock', 'memoryClock'],
  ['graphicsClock', 'graphicsClock'],
  ['correctedMemoryErrors', 'correctedMemoryErrors'],
  ['uncorrectedMemoryErrors', 'uncorrectedMemoryErrors'],
  ['fanSpeed', 'fanSpeed'],
  ['encoderUtilization', 'encoderUtilization'],
  ['pcieLinkGen', 'pcieLinkGen'],
  ['pcieLinkSpeed', 'pcieLinkSpeed'],
  ['pcieLinkWidth', 'pcieLinkWidth'],
  ['maxPcieLinkGen', 'maxPcieLinkGen'],
  ['maxPcieLinkWidth', 'maxPcieLinkWidth'],
  ['pcieTxBytes', 'pcieTxBytes'],
  ['pcieRxBytes', 'pcieRxBytes'],
]

/** The keys that are repeated as `gpu.process.{i}.<name>` when the monitored process uses GPU i. */
const PROCESS_KEYS = new Set(['gpu', 'memory', 'memoryAllocated', 'memoryAllocatedBytes', 'temp', 'powerWatts', 'enforcedPowerLimitWatts', 'powerPercent'])

/**
 * Adds one GPU's metrics to `out`: `gpu.{i}.*` for every reading present, derived
 * `memoryAllocated` (used/total %), `memoryAllocatedBytes` and `powerPercent` (power/limit %), and
 * the `gpu.process.{i}.*` copies when `inUse`.
 */
export function addGpuMetrics(out: Metrics, r: GpuReading, inUse: boolean): void {
  const put = (name: string, value: number | undefined) => {
    if (value === undefined || !Number.isFinite(value)) return
    out.set(`gpu.${r.index}.${name}`, value)
    if (inUse && PROCESS_KEYS.has(name)) out.set(`gpu.process.${r.index}.${name}`, value)
  }
  for (const [field, name] of DEVICE_KEYS.slice(0, 2)) put(name, r[field] as number | undefined)
  if (r.memoryUsed !== undefined && r.memoryTotal) {
    put('memoryAllocated', (r.memoryUsed / r.memoryTotal) * 100)
    put('memoryAllocatedBytes', r.memoryUsed)
  }
  for (const [field, name] of DEVICE_KEYS.slice(2)) {
    put(name, r[field] as number | undefined)
    if (name === 'enforcedPowerLimitWatts' && r.powerWatts !== undefined && r.enforcedPowerLimitWatts) {
      put('powerPercent', (r.powerWatts / r.enforcedPowerLimitWatts) * 100)
    }
  }
}

/** True when one of `pids` has a context on the GPU of `r`. */
export function gpuInUse(r: GpuReading, pids: ReadonlySet<number>): boolean {
  return r.pids?.some((p) => pids.has(p)) ?? false
}

/** `gpu_nvidia[i]` of the machine description. */
export function gpuNvidiaInfo(s: GpuStaticInfo): GpuNvidiaInfo {
  const info: GpuNvidiaInfo = {
    name: s.name,
    memory_total: BigInt(Math.round(s.memoryTotal)),
    cuda_cores: s.cudaCores,
    architecture: s.architecture,
    uuid: s.uuid,
    pci_bus_id: s.pciBusId,
  }
  if (s.numaNode !== undefined && s.numaNode >= 0) info.numa_node = s.numaNode
  return info
}

/** CUDA driver version as NVML encodes it (1000 × major + 10 × minor) → "13.0". */
export function cudaVersionString(v: number): string {
  return `${Math.floor(v / 1000)}.${Math.floor((v % 1000) / 10)}`
}

/** NVML's `nvmlDeviceArchitecture_t` → name (the names the SDK stores). */
export function architectureName(code: number | undefined): string {
  const names: {[code: number]: string} = {2: 'Kepler', 3: 'Maxwell', 4: 'Pascal', 5: 'Volta', 6: 'Turing', 7: 'Ampere', 8: 'Ada', 9: 'Hopper', 10: 'Blackwell'}
  return code === undefined ? '' : (names[code] ?? 'Unknown')
}

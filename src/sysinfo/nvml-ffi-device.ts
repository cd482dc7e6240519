import type {NvmlDevice} from './nvml-api.ts'
import {NVML_ERROR_INSUFFICIENT_SIZE, NVML_MEMORY_V2, NVML_SUCCESS, type NvmlCaller, type OptionalName} from './nvml-symbols.ts'

/** NUL-terminated C string in a buffer. */
export function cString(buf: Uint8Array): string {
  const end = buf.indexOf(0)
  return new TextDecoder().decode(end < 0 ? buf : buf.subarray(0, end))
}

/** One GPU handle (nvmlDevice_t, passed as u64) of a loaded NVML; each getter is one NVML call. */
export class FfiNvmlDevice implements NvmlDevice {
  readonly #n: NvmlCaller
  readonly #h: bigint

  constructor(nvml: NvmlCaller, handle: bigint) {
    this.#n = nvml
    this.#h = handle
  }

  #u32(name: OptionalName, ...pre: unknown[]): number | undefined {
    const v = new Uint32Array(1)
    return this.#n.call(name, this.#h, ...pre, v) === NVML_SUCCESS ? v[0] : undefined
  }
  #u64(name: OptionalName, ...pre: unknown[]): number | undefined {
    const v = new BigUint64Array(1)
    return this.#n.call(name, this.#h, ...pre, v) === NVML_SUCCESS ? Number(v[0]) : undefined
  }
  #str(name: OptionalName): string | undefined {
    const buf = new Uint8Array(96)
    return this.#n.call(name, this.#h, buf, buf.length) === NVML_SUCCESS ? cString(buf) : undefined
  }

  name = () => this.#str('nvmlDeviceGetName')
  uuid = () => this.#str('nvmlDeviceGetUUID')
  architecture = () => this.#u32('nvmlDeviceGetArchitecture')
  numCores = () => this.#u32('nvmlDeviceGetNumGpuCores')
  temperature = () => this.#u32('nvmlDeviceGetTemperature', 0)
  powerUsageMw = () => this.#u32('nvmlDeviceGetPowerUsage')
  enforcedPowerLimitMw = () => this.#u32('nvmlDeviceGetEnforcedPowerLimit')
  totalEnergyMj = () => this.#u64('nvmlDeviceGetTotalEnergyConsumption')
  clockMhz = (kind: 'graphics' | 'sm' | 'memory') => this.#u32('nvmlDeviceGetClockInfo', {graphics: 0, sm: 1, memory: 2}[kind])
  eccErrors = (kind: 'corrected' | 'uncorrected') => this.#u64('nvmlDeviceGetMemoryErrorCounter', kind === 'corrected' ? 0 : 1, 0, 2)
  fanSpeed = () => this.#u32('nvmlDeviceGetFanSpeed')
  pcieLinkGen = () => this.#u32('nvmlDeviceGetCurrPcieLinkGeneration')
  pcieLinkWidth = () => this.#u32('nvmlDeviceGetCurrPcieLinkWidth')
  maxPcieLinkGen = () => this.#u32('nvmlDeviceGetMaxPcieLinkGeneration')
  maxPcieLinkWidth = () => this.#u32('nvmlDeviceGetMaxPcieLinkWidth')
  pcieSpeedMbps = () => this.#u32('nvmlDeviceGetPcieSpeed')
  pcieThroughputKBps = (direction: 'tx' | 'rx') => this.#u32('nvmlDeviceGetPcieThroughput', direction === 'tx' ? 0 : 1)

  pciBusId(): string | undefined {
    const info = new Uint8Array(68) // nvmlPciInfo_t: busIdLegacy[16], 5 × uint, busId[32]
    return this.#n.call('nvmlDeviceGetPciInfo_v3', this.#h, info) === NVML_SUCCESS ? cString(info.subarray(36)) : undefined
  }

  utilization(): {gpu: number; memory: number} | undefined {
    const v = new Uint32Array(2)
    return this.#n.call('nvmlDeviceGetUtilizationRates', this.#h, v) === NVML_SUCCESS ? {gpu: v[0], memory: v[1]} : undefined
  }

  /**
   * nvmlMemory_v2_t (version u32 + pad, total, reserved, free, used) where the driver has it: its
   * `used` leaves out the driver-reserved memory, like nvidia-smi and the SDK; else nvmlMemory_t
   * (total, free, used).
   */
  memory(): {total: number; used: number; free: number} | undefined {
    const v2 = new BigUint64Array(5)
    new Uint32Array(v2.buffer)[0] = NVML_MEMORY_V2
    if (this.#n.call('nvmlDeviceGetMemoryInfo_v2', this.#h, v2) === NVML_SUCCESS) {
      return {total: Number(v2[1]), free: Number(v2[3]), used: Number(v2[4])}
    }
    const v = new BigUint64Array(3)
    if (this.#n.call('nvmlDeviceGetMemoryInfo', this.#h, v) !== NVML_SUCCESS) return undefined
    return {total: Number(v[0]), free: Number(v[1]), used: Number(v[2])}
  }

  encoderUtilization(): number | undefined {
    const util = new Uint32Array(1)
    const period = new Uint32Array(1)
    return this.#n.call('nvmlDeviceGetEncoderUtilization', this.#h, util, period) === NVML_SUCCESS ? util[0] : undefined
  }

  processes(): number[] | undefined {
    const compute = this.#n.has('nvmlDeviceGetComputeRunningProcesses_v3') ? 'nvmlDeviceGetComputeRunningProcesses_v3' : 'nvmlDeviceGetComputeRunningProcesses_v2'
    const graphics = this.#n.has('nvmlDeviceGetGraphicsRunningProcesses_v3') ? 'nvmlDeviceGetGraphicsRunningProcesses_v3' : 'nvmlDeviceGetGraphicsRunningProcesses_v2'
    const a = this.#pids(compute)
    const b = this.#pids(graphics)
    return a === undefined && b === undefined ? undefined : [...new Set([...(a ?? []), ...(b ?? [])])]
  }

  /** nvmlProcessInfo_t (v2/v3): pid u32 at 0, usedGpuMemory u64 at 8, two u32 ids → 24 bytes each. */
  #pids(name: OptionalName): number[] | undefined {
    let capacity = 16
    for (let attempt = 0; attempt < 3; attempt++) {
      const count = new Uint32Array([capacity])
      const buf = new Uint8Array(capacity * 24)
      const rc = this.#n.call(name, this.#h, count, buf)
      if (rc === NVML_ERROR_INSUFFICIENT_SIZE) {
        capacity = count[0] + 8
        continue
      }
      if (rc !== NVML_SUCCESS) return undefined
      const view = new DataView(buf.buffer)
      return Array.from({length: Math.min(count[0], capacity)}, (_, i) => view.getUint32(i * 24, true))
    }
    return undefined
  }
}

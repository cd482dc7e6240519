/**
 * An Nvml built from the readings recorded on an NVIDIA H200 under a bf16 matmul load
 * (fixtures/gpu/nvml-under-load.json): one device whose getters return the current sample; NVML
 * errors in the recording ("ERR NVMLError_NotSupported") become undefined, as the binding does.
 */
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import type {Nvml, NvmlDevice} from '../../src/sysinfo/index.ts'
import {FIXTURES} from './fakes.ts'

interface RecordedSample {
  util_gpu: number
  util_mem: number
  mem_total: number
  mem_used: number
  mem_free: number
  temp_c: number
  power_mW: number
  clock_sm: number
  clock_mem: number
  clock_graphics: number
  pcie_gen: number
  pcie_width: number
  pcie_tx_KBps: number
  pcie_rx_KBps: number
  fan: number | string
  encoder_util: [number, number]
  corrected_mem_err: number
  compute_procs: {pid: number; usedGpuMemory: number}[]
  self_pid: number
}

export const recording = JSON.parse(readFileSync(join(FIXTURES, 'nvml-under-load.json'), 'utf8')) as {
  static: {cuda_driver: number; driver: string; name: string; architecture: number; num_cores: number; enforced_power_limit_mW: number; pcie_max_gen: number; pcie_max_width: number}
  samples_under_bf16_matmul_load: RecordedSample[]
}

/** The UUID and PCI bus id of the recorded H200 (from the nvidia-smi outputs of the same run). */
export const H200_UUID = 'GPU-683f45df-28e7-86c0-004d-046e140e4ce4'
export const H200_BUS_ID = '00000000:00:06.0'

export class RecordedNvml implements Nvml {
  index = 0
  shutdowns = 0
  readonly calls = new Map<string, number>()

  get current(): RecordedSample {
    return recording.samples_under_bf16_matmul_load[this.index]
  }
  /** Moves to the next recorded sample. */
  next(): void {
    this.index = (this.index + 1) % recording.samples_under_bf16_matmul_load.length
  }
  deviceCount(): number {
    return 1
  }
  cudaDriverVersion(): number | undefined {
    return recording.static.cuda_driver
  }
  driverVersion(): string | undefined {
    return recording.static.driver
  }
  shutdown(): void {
    this.shutdowns++
  }
  device(index: number): NvmlDevice | undefined {
    if (index !== 0) return undefined
    const st = recording.static
    const count = <T>(name: string, v: T): T => {
      this.calls.set(name, (this.calls.get(name) ?? 0) + 1)
      return v
    }
    const num = (v: number | string) => (typeof v === 'number' ? v : undefined)
    return {
      name: () => st.name,
      uuid: () => H200_UUID,
      architecture: () => st.architecture,
      numCores: () => st.num_cores,
      pciBusId: () => H200_BUS_ID,
      utilization: () => ({gpu: this.current.util_gpu, memory: this.current.util_mem}),
      memory: () => ({total: this.current.mem_total, used: this.current.mem_used, free: this.current.mem_free}),
      temperature: () => this.current.temp_c,
      powerUsageMw: () => this.current.power_mW,
      enforcedPowerLimitMw: () => st.enforced_power_limit_mW,
      totalEnergyMj: () => count('energy', undefined),
      clockMhz: (kind) => ({graphics: this.current.clock_graphics, sm: this.current.clock_sm, memory: this.current.clock_mem})[kind],
      eccErrors: (kind) => (kind === 'corrected' ? this.current.corrected_mem_err : undefined),
      fanSpeed: () => count('fan', num(this.current.fan)),
      encoderUtilization: () => this.current.encoder_util[0],
      pcieLinkGen: () => this.current.pcie_gen,
      pcieLinkWidth: () => this.current.pcie_width,
      maxPcieLinkGen: () => st.pcie_max_gen,
      maxPcieLinkWidth: () => st.pcie_max_width,
      pcieSpeedMbps: () => undefined,
      pcieThroughputKBps: (dir) => (dir === 'tx' ? this.current.pcie_tx_KBps : this.current.pcie_rx_KBps),
      processes: () => this.current.compute_procs.map((p) => p.pid),
    }
  }
}

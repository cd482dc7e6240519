/**
 * The NVML calls the NVIDIA resource makes, in typed form. The bun:ffi binding implements it for
 * the real library; tests implement it with recorded readings. Every getter returns undefined when
 * NVML answers with an error (not supported, GPU lost, …) and never throws.
 */
export interface NvmlDevice {
  name(): string | undefined
  uuid(): string | undefined
  /** nvmlDeviceArchitecture_t */
  architecture(): number | undefined
  numCores(): number | undefined
  /** "00000000:00:06.0" */
  pciBusId(): string | undefined
  utilization(): {gpu: number; memory: number} | undefined
  /** bytes */
  memory(): {total: number; used: number; free: number} | undefined
  /** GPU die temperature, °C. */
  temperature(): number | undefined
  powerUsageMw(): number | undefined
  enforcedPowerLimitMw(): number | undefined
  /** Total energy since the driver was loaded, mJ. */
  totalEnergyMj(): number | undefined
  clockMhz(kind: 'graphics' | 'sm' | 'memory'): number | undefined
  /** Volatile ECC error count in device memory. */
  eccErrors(kind: 'corrected' | 'uncorrected'): number | undefined
  /** Fan 0, % of maximum. */
  fanSpeed(): number | undefined
  encoderUtilization(): number | undefined
  pcieLinkGen(): number | undefined
  pcieLinkWidth(): number | undefined
  maxPcieLinkGen(): number | undefined
  maxPcieLinkWidth(): number | undefined
  /** Current PCIe link speed, Mbps. */
  pcieSpeedMbps(): number | undefined
  /** PCIe throughput over the last 20 ms, KB/s. */
  pcieThroughputKBps(direction: 'tx' | 'rx'): number | undefined
  /** Pids with compute or graphics contexts on the device. */
  processes(): number[] | undefined
}

/** An initialized NVML. `shutdown()` ends it; nothing may be called afterwards. */
export interface Nvml {
  deviceCount(): number
  /** 1000 × major + 10 × minor, e.g. 13000 for CUDA 13.0. */
  cudaDriverVersion(): number | undefined
  driverVersion(): string | undefined
  device(index: number): NvmlDevice | undefined
  shutdown(): void
}

/**
 * The NVML entry points the bun:ffi binding uses, with their argument types (nvmlDevice_t handles
 * are passed as u64), and the NVML constants it needs.
 */
import {FFIType} from 'bun:ffi'

const {i32, u32, u64, ptr} = FFIType
/** nvmlReturn_t values the binding acts on. */
export const NVML_SUCCESS = 0
export const NVML_ERROR_INSUFFICIENT_SIZE = 7
/** NVML_STRUCT_VERSION(Memory, 2): sizeof(nvmlMemory_v2_t) = 40, version 2 in the top byte. */
export const NVML_MEMORY_V2 = 40 | (2 << 24)

/** The symbols without which NVML is unusable; all others are optional (older drivers lack some). */
export const REQUIRED = {
  nvmlInit_v2: {args: [], returns: i32},
  nvmlShutdown: {args: [], returns: i32},
  nvmlDeviceGetCount_v2: {args: [ptr], returns: i32},
  nvmlDeviceGetHandleByIndex_v2: {args: [u32, ptr], returns: i32},
} as const

/** Entry points looked up one by one: a driver without one still serves the others. */
export const OPTIONAL = {
  nvmlSystemGetCudaDriverVersion_v2: [ptr],
  nvmlSystemGetDriverVersion: [ptr, u32],
  nvmlDeviceGetName: [u64, ptr, u32],
  nvmlDeviceGetUUID: [u64, ptr, u32],
  nvmlDeviceGetArchitecture: [u64, ptr],
  nvmlDeviceGetNumGpuCores: [u64, ptr],
  nvmlDeviceGetPciInfo_v3: [u64, ptr],
  nvmlDeviceGetUtilizationRates: [u64, ptr],
  nvmlDeviceGetMemoryInfo_v2: [u64, ptr],
  nvmlDeviceGetMemoryInfo: [u64, ptr],
  nvmlDeviceGetTemperature: [u64, u32, ptr],
  nvmlDeviceGetPowerUsage: [u64, ptr],
  nvmlDeviceGetEnforcedPowerLimit: [u64, ptr],
  nvmlDeviceGetTotalEnergyConsumption: [u64, ptr],
  nvmlDeviceGetClockInfo: [u64, u32, ptr],
  nvmlDeviceGetMemoryErrorCounter: [u64, u32, u32, u32, ptr],
  nvmlDeviceGetFanSpeed: [u64, ptr],
  nvmlDeviceGetEncoderUtilization: [u64, ptr, ptr],
  nvmlDeviceGetCurrPcieLinkGeneration: [u64, ptr],
  nvmlDeviceGetCurrPcieLinkWidth: [u64, ptr],
  nvmlDeviceGetMaxPcieLinkGeneration: [u64, ptr],
  nvmlDeviceGetMaxPcieLinkWidth: [u64, ptr],
  nvmlDeviceGetPcieSpeed: [u64, ptr],
  nvmlDeviceGetPcieThroughput: [u64, u32, ptr],
  nvmlDeviceGetComputeRunningProcesses_v3: [u64, ptr, ptr],
  nvmlDeviceGetGraphicsRunningProcesses_v3: [u64, ptr, ptr],
  nvmlDeviceGetComputeRunningProcesses_v2: [u64, ptr, ptr],
  nvmlDeviceGetGraphicsRunningProcesses_v2: [u64, ptr, ptr],
} as const

export type OptionalName = keyof typeof OPTIONAL
export type Fn = (...args: unknown[]) => number

/** What a device needs from the loaded library: calling an optional entry point by name. */
export interface NvmlCaller {
  /** NVML's return code, or -1 when the symbol is absent or NVML was shut down. */
  call(name: OptionalName, ...args: unknown[]): number
  has(name: OptionalName): boolean
}

import {dlopen, FFIType} from 'bun:ffi'
import {errorMessage} from '../core/errors.ts'
import {NvmlUnavailableError} from './errors.ts'
import type {Nvml, NvmlDevice} from './nvml-api.ts'
import {cString, FfiNvmlDevice} from './nvml-ffi-device.ts'
import {NVML_SUCCESS, OPTIONAL, REQUIRED, type Fn, type NvmlCaller, type OptionalName} from './nvml-symbols.ts'

/**
 * Loads NVML from an absolute library path with bun:ffi and initializes it. Throws
 * NvmlUnavailableError when the library cannot be opened, lacks the core symbols, or nvmlInit
 * fails (no driver); the library is closed again in that case.
 */
export function openNvml(libraryPath: string): Nvml {
  if (!/^(\/|[A-Za-z]:[\\/])/.test(libraryPath)) throw new NvmlUnavailableError(`library path must be absolute: ${libraryPath}`)
  let lib: ReturnType<typeof dlopen<typeof REQUIRED>>
  try {
    lib = dlopen(libraryPath, REQUIRED)
  } catch (err) {
    throw new NvmlUnavailableError(`cannot load ${libraryPath}: ${errorMessage(err)}`, {cause: err})
  }
  const rc = lib.symbols.nvmlInit_v2()
  if (rc !== NVML_SUCCESS) {
    lib.close()
    throw new NvmlUnavailableError(`nvmlInit_v2 returned ${rc}`, {code: rc})
  }
  const optional = new Map<OptionalName, {fn: Fn; close: () => void}>()
  for (const name of Object.keys(OPTIONAL) as OptionalName[]) {
    try {
      const one = dlopen(libraryPath, {[name]: {args: [...OPTIONAL[name]], returns: FFIType.i32}})
      optional.set(name, {fn: one.symbols[name] as unknown as Fn, close: () => one.close()})
    } catch {
      // Older drivers lack some entry points; the readings that need them are then absent.
    }
  }
  return new FfiNvml(lib, optional)
}

type RequiredLib = {symbols: {[K in keyof typeof REQUIRED]: Fn}; close: () => void}

class FfiNvml implements Nvml, NvmlCaller {
  readonly #lib: RequiredLib
  readonly #opt: Map<OptionalName, {fn: Fn; close: () => void}>
  #down = false

  constructor(lib: ReturnType<typeof dlopen<typeof REQUIRED>>, opt: Map<OptionalName, {fn: Fn; close: () => void}>) {
    this.#lib = lib as unknown as RequiredLib
    this.#opt = opt
  }

  /** Calls an optional symbol; NVML's return code, or -1 when the symbol is absent or NVML is shut down. */
  call(name: OptionalName, ...args: unknown[]): number {
    const s = this.#opt.get(name)
    return s && !this.#down ? s.fn(...args) : -1
  }

  has(name: OptionalName): boolean {
    return this.#opt.has(name)
  }

  deviceCount(): number {
    const n = new Uint32Array(1)
    return !this.#down && this.#lib.symbols.nvmlDeviceGetCount_v2(n) === NVML_SUCCESS ? n[0] : 0
  }

  cudaDriverVersion(): number | undefined {
    const v = new Int32Array(1)
    return this.call('nvmlSystemGetCudaDriverVersion_v2', v) === NVML_SUCCESS ? v[0] : undefined
  }

  driverVersion(): string | undefined {
    const buf = new Uint8Array(80)
    return this.call('nvmlSystemGetDriverVersion', buf, buf.length) === NVML_SUCCESS ? cString(buf) : undefined
  }

  device(index: number): NvmlDevice | undefined {
    const h = new BigUint64Array(1)
    if (this.#down || this.#lib.symbols.nvmlDeviceGetHandleByIndex_v2(index, h) !== NVML_SUCCESS) return undefined
    return new FfiNvmlDevice(this, h[0])
  }

  shutdown(): void {
    if (this.#down) return
    this.#down = true
    this.#lib.symbols.nvmlShutdown()
    for (const s of this.#opt.values()) s.close()
    this.#lib.close()
  }
}

import {WandbError} from '../core/errors.ts'

/**
 * NVML could not be used: the library is absent, `nvmlInit` failed, or a symbol is missing.
 * `code` is the NVML return code when NVML itself answered (e.g. 9 = driver not loaded).
 */
export class NvmlUnavailableError extends WandbError {
  override name = 'NvmlUnavailableError'
  readonly code: number | undefined
  constructor(message: string, options?: {cause?: unknown; code?: number}) {
    super(`nvml: ${message}`, options)
    this.code = options?.code
  }
}

/** `nvidia-smi` failed to run, exited non-zero, or printed output that does not parse. */
export class NvidiaSmiError extends WandbError {
  override name = 'NvidiaSmiError'
}

import {cpus} from 'node:os'
import type {HostFiles} from './host-files.ts'
import {parseCpuinfo} from './proc-parsers.ts'

/** CPU counts and model of the host. `physical` is the number of cores (not hardware threads). */
export interface CpuTopology {
  logical: number
  physical: number
  model: string
}

/**
 * Reads the CPU topology of a Linux host from /proc/cpuinfo, falling back to
 * /sys/devices/system/cpu/cpu<N>/topology for the core count (ARM kernels print no core ids) and
 * to the logical count when neither says.
 */
export function linuxCpuTopology(files: HostFiles): CpuTopology {
  const info = parseCpuinfo(files.read('/proc/cpuinfo') ?? '')
  const logical = info.logical || cpus().length
  let physical = info.physical
  if (physical === 0) {
    const cores = new Set<string>()
    for (const dir of files.list('/sys/devices/system/cpu')) {
      if (!/^cpu\d+$/.test(dir)) continue
      const base = `/sys/devices/system/cpu/${dir}/topology`
      const pkg = files.read(`${base}/physical_package_id`)?.trim()
      const core = files.read(`${base}/core_id`)?.trim()
      if (pkg !== undefined && core !== undefined) cores.add(`${pkg}/${core}`)
    }
    physical = cores.size || logical
  }
  return {logical, physical, model: info.model || (cpus()[0]?.model ?? '').trim()}
}

import {errorMessage} from '../core/errors.ts'
import type {Logger} from '../core/observability/index.ts'
import {LinuxSystemResource} from './linux-system.ts'
import type {MonitorSettings} from './monitor-settings.ts'
import {NvidiaGpuResource} from './nvidia-gpu.ts'
import {NvidiaSmiResource, smiRunner} from './nvidia-smi-resource.ts'
import {NvidiaWorkerResource} from './nvidia-worker-resource.ts'
import {OpenMetricsResource} from './open-metrics-resource.ts'
import {findNvmlLibrary} from './nvml-library.ts'
import {openNvml} from './nvml-ffi.ts'
import {PortableSystemResource, type SystemInformationApi} from './portable-system.ts'
import type {Resource} from './resource.ts'

/**
 * The resources for this host: the system resource for the platform (Linux: /proc; macOS and
 * Windows: systeminformation) and, where present, NVIDIA GPUs (NVML through bun:ffi from an
 * absolute library path, on a worker thread; else `nvidia-smi` when it is on PATH), and, on every
 * platform, the endpoints of x_stats_open_metrics_endpoints when there are any. A compiled
 * binary needs src/sysinfo/nvml-worker.ts as an extra `bun build --compile` entry point for the
 * worker; without it NVML is read on the main thread. A source that cannot be opened is
 * left out and logged at debug level; this never rejects.
 */
export async function createResources(s: MonitorSettings, o: {now: () => number; logger: Logger; platform?: NodeJS.Platform; fetch?: typeof fetch}): Promise<Resource[]> {
  const platform = o.platform ?? process.platform
  const out: Resource[] = []
  const common = {pid: s.pid, trackProcessTree: s.trackProcessTree, diskPaths: s.diskPaths}
  if (platform === 'linux') {
    out.push(new LinuxSystemResource({...common, noCgroup: s.noCgroup, selfUsage: s.selfUsage, now: o.now}))
  } else if (platform === 'darwin' || platform === 'win32') {
    try {
      const si = (await import('systeminformation')) as unknown as SystemInformationApi
      out.push(new PortableSystemResource({...common, si, platform}))
    } catch (err) {
      o.logger.debug('sysinfo: systeminformation unavailable', {error: errorMessage(err)})
    }
  }
  const gpu = await nvidiaResource(s, o.logger, platform)
  if (gpu) out.push(gpu)
  if (s.openMetricsEndpoints.size > 0) {
    out.push(new OpenMetricsResource({endpoints: s.openMetricsEndpoints, filters: s.openMetricsFilters, headers: s.openMetricsHeaders, logger: o.logger, fetch: o.fetch}))
  }
  return out
}

/**
 * NVML on a worker thread (its PCIe-throughput and energy readings block for ~45 ms per H200 sample),
 * else in this thread (a compiled binary built without nvml-worker.ts as an entry point), else
 * nvidia-smi.
 */
async function nvidiaResource(s: MonitorSettings, logger: Logger, platform: NodeJS.Platform): Promise<Resource | undefined> {
  if (platform === 'darwin') return undefined
  const path = findNvmlLibrary()
  if (path) {
    const o = {pid: s.pid, gpuDeviceIds: s.gpuDeviceIds}
    try {
      const worker = await NvidiaWorkerResource.start({libraryPath: path, ...o})
      if (worker.deviceCount > 0) return worker
      await worker.close()
      return undefined
    } catch (err) {
      logger.debug('sysinfo: NVML worker unavailable, reading NVML in this thread', {path, error: errorMessage(err)})
    }
    try {
      const resource = new NvidiaGpuResource(openNvml(path), o)
      if (resource.deviceCount > 0) return resource
      resource.close()
      return undefined
    } catch (err) {
      logger.debug('sysinfo: NVML unavailable', {path, error: errorMessage(err)})
    }
  }
  const smi = Bun.which('nvidia-smi')
  if (!smi) return undefined
  return new NvidiaSmiResource({run: smiRunner(smi), pid: s.pid, gpuDeviceIds: s.gpuDeviceIds, logger})
}

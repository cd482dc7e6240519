import type {EnvironmentRecord} from '../core/proto.ts'
import {errorMessage} from '../core/errors.ts'
import type {Logger} from '../core/observability/index.ts'
import {NvidiaSmiError} from './errors.ts'
import {addGpuMetrics, gpuInUse, gpuNvidiaInfo} from './gpu-reading.ts'
import {HostFiles} from './host-files.ts'
import {parseSmiCsv, parseSmiXml, pidsByGpu, readingFromSmiRow, staticInfoFromSmiRow} from './nvidia-smi-parse.ts'
import {processTree} from './process-tree.ts'
import type {Metrics, Resource} from './resource.ts'

/** Everything the fallback asks for; fields an old nvidia-smi rejects make it fall back to BASIC_FIELDS. */
export const SMI_FIELDS = [
  'index',
  'name',
  'uuid',
  'utilization.gpu',
  'utilization.memory',
  'memory.total',
  'memory.used',
  'temperature.gpu',
  'power.draw',
  'power.limit',
  'clocks.sm',
  'clocks.mem',
  'clocks.gr',
  'ecc.errors.corrected.volatile.total',
  'ecc.errors.uncorrected.volatile.total',
  'fan.speed',
  'pcie.link.gen.current',
  'pcie.link.width.current',
  'pcie.link.gen.max',
  'pcie.link.width.max',
  'pci.bus_id',
]
export const BASIC_FIELDS = ['index', 'name', 'uuid', 'utilization.gpu', 'utilization.memory', 'memory.total', 'memory.used', 'temperature.gpu', 'power.draw', 'power.limit']

/** Runs nvidia-smi with arguments and resolves its stdout; rejects with NvidiaSmiError on failure. */
export type SmiRunner = (args: string[]) => Promise<string>

/** A runner for the nvidia-smi at `path` (absolute), killed after `timeoutMs`. */
export function smiRunner(path: string, timeoutMs = 10_000): SmiRunner {
  return async (args) => {
    const child = Bun.spawn([path, ...args], {stdout: 'pipe', stderr: 'pipe', stdin: 'ignore', timeout: timeoutMs})
    const [out, err, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited])
    if (code !== 0) throw new NvidiaSmiError(`nvidia-smi ${args[0]} exited with ${code}: ${(err || out).trim().slice(0, 200)}`)
    return out
  }
}

/**
 * NVIDIA GPUs through `nvidia-smi` CSV queries, for machines where NVML cannot be loaded (the
 * library is missing but the tool runs, e.g. some WSL or container setups). One spawn per sample,
 * plus one for the process list when a pid is monitored; the same `gpu.{i}.*` keys as NVML where
 * nvidia-smi reports the value.
 */
export class NvidiaSmiResource implements Resource {
  readonly name = 'nvidia-smi'
  readonly #run: SmiRunner
  readonly #pid: number
  readonly #ids: number[] | undefined
  readonly #files: HostFiles
  readonly #logger: Logger
  #fields = SMI_FIELDS
  /** Set when the very first query fails: this nvidia-smi does not work here, so it is not spawned again. */
  #disabled = false
  #worked = false

  constructor(o: {run: SmiRunner; pid: number; gpuDeviceIds?: number[]; logger: Logger; root?: string}) {
    this.#run = o.run
    this.#pid = o.pid
    this.#ids = o.gpuDeviceIds
    this.#logger = o.logger
    this.#files = new HostFiles(o.root)
  }

  async sample(): Promise<Metrics> {
    const out: Metrics = new Map()
    const rows = await this.#query()
    if (!rows) return out
    const readings = rows.map(readingFromSmiRow)
    const ours = this.#pid > 0 ? new Set(processTree(this.#files, this.#pid, true)) : undefined
    if (ours) {
      const apps = await this.#apps()
      rows.forEach((row, i) => {
        readings[i].pids = apps.get(row.get('uuid') ?? '') ?? (rows.length === 1 ? apps.get('') : undefined)
      })
    }
    for (const r of readings) {
      if (this.#ids && !this.#ids.includes(r.index)) continue
      addGpuMetrics(out, r, ours ? gpuInUse(r, ours) : false)
    }
    return out
  }

  async probe(): Promise<Partial<EnvironmentRecord>> {
    const rows = await this.#query()
    if (!rows || rows.length === 0) return {}
    const infos = rows.map(staticInfoFromSmiRow)
    let cudaVersion = ''
    try {
      const xml = parseSmiXml(await this.#run(['-q', '-x']))
      cudaVersion = xml.cudaVersion
      xml.architectures.forEach((a, i) => infos[i] && (infos[i].architecture = a))
    } catch (err) {
      this.#logger.debug('sysinfo: nvidia-smi -q -x failed', {error: errorMessage(err)})
    }
    const out: Partial<EnvironmentRecord> = {gpu_type: infos[0].name, gpu_count: infos.length, gpu_nvidia: infos.map(gpuNvidiaInfo)}
    if (cudaVersion) out.cuda_version = cudaVersion
    return out
  }

  async #query(): Promise<ReturnType<typeof parseSmiCsv> | undefined> {
    while (!this.#disabled) {
      const fields = this.#fields
      try {
        const rows = parseSmiCsv(await this.#run([`--query-gpu=${fields.join(',')}`, '--format=csv,noheader,nounits']), fields)
        this.#worked = true
        return rows
      } catch (err) {
        if (fields !== BASIC_FIELDS && /field/i.test(errorMessage(err))) {
          this.#fields = BASIC_FIELDS
          continue
        }
        this.#logger.debug('sysinfo: nvidia-smi query failed', {error: errorMessage(err)})
        if (!this.#worked) this.#disabled = true
        return undefined
      }
    }
    return undefined
  }

  async #apps(): Promise<Map<string, number[]>> {
    try {
      const fields = ['pid', 'gpu_uuid']
      return pidsByGpu(parseSmiCsv(await this.#run([`--query-compute-apps=${fields.join(',')}`, '--format=csv,noheader,nounits']), fields))
    } catch {
      return new Map()
    }
  }
}

import {NvidiaSmiError} from './errors.ts'
import type {GpuReading, GpuStaticInfo} from './gpu-reading.ts'

/** One CSV row of an nvidia-smi query: field name (without the "[unit]" suffix) → raw cell. */
export type SmiRow = Map<string, string>

/**
 * Parses `nvidia-smi --query-…` CSV output. With `fields` the output is `noheader` and cells are
 * matched to `fields` in order; without, the first line is the header ("utilization.gpu [%]" names
 * the field "utilization.gpu"). Works with and without `nounits`. Throws NvidiaSmiError when a row
 * has the wrong number of cells.
 */
export function parseSmiCsv(text: string, fields?: string[]): SmiRow[] {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
  const names = fields ?? (lines.shift() ?? '').split(',').map((h) => h.trim().replace(/\s*\[.*\]$/, ''))
  return lines.map((line) => {
    const cells = line.split(',').map((c) => c.trim())
    if (cells.length !== names.length) throw new NvidiaSmiError(`nvidia-smi: expected ${names.length} fields, got ${cells.length}: ${line}`)
    return new Map(names.map((n, i) => [n, cells[i]]))
  })
}

/** A numeric cell ("692.31 W", "100 %", "143771") as a number; undefined for "[N/A]", "[Not Supported]", "N/A", errors. */
export function smiNumber(cell: string | undefined): number | undefined {
  if (cell === undefined) return undefined
  const m = /^\s*(-?\d+(?:\.\d+)?)(?:\s*[A-Za-z%/]*)?\s*$/.exec(cell.replace(/x$/, ''))
  return m ? Number(m[1]) : undefined
}

/** The first cell present among `names` (nvidia-smi accepts several spellings of some fields). */
function cell(row: SmiRow, ...names: string[]): string | undefined {
  for (const n of names) if (row.has(n)) return row.get(n)
  return undefined
}

const MiB = 1024 * 1024

/** One GPU row of a `--query-gpu` result as a reading (memory in MiB → bytes). */
export function readingFromSmiRow(row: SmiRow): GpuReading {
  const num = (...names: string[]) => smiNumber(cell(row, ...names))
  const mib = (...names: string[]) => {
    const v = num(...names)
    return v === undefined ? undefined : v * MiB
  }
  return {
    index: num('index') ?? 0,
    utilizationGpu: num('utilization.gpu'),
    utilizationMemory: num('utilization.memory'),
    memoryTotal: mib('memory.total'),
    memoryUsed: mib('memory.used'),
    temperature: num('temperature.gpu'),
    powerWatts: num('power.draw'),
    enforcedPowerLimitWatts: num('enforced.power.limit', 'power.limit'),
    smClock: num('clocks.current.sm', 'clocks.sm'),
    memoryClock: num('clocks.current.memory', 'clocks.mem'),
    graphicsClock: num('clocks.current.graphics', 'clocks.gr'),
    correctedMemoryErrors: num('ecc.errors.corrected.volatile.total'),
    uncorrectedMemoryErrors: num('ecc.errors.uncorrected.volatile.total'),
    fanSpeed: num('fan.speed'),
    encoderUtilization: num('utilization.encoder'),
    pcieLinkGen: num('pcie.link.gen.current', 'pcie.link.gen.gpucurrent'),
    pcieLinkWidth: num('pcie.link.width.current'),
    maxPcieLinkGen: num('pcie.link.gen.max', 'pcie.link.gen.gpumax'),
    maxPcieLinkWidth: num('pcie.link.width.max'),
  }
}

/** Static facts of one GPU row (name, uuid, memory.total, pci.bus_id). nvidia-smi does not report CUDA cores. */
export function staticInfoFromSmiRow(row: SmiRow): GpuStaticInfo {
  return {
    index: smiNumber(cell(row, 'index')) ?? 0,
    name: cell(row, 'name') ?? '',
    uuid: cell(row, 'uuid') ?? '',
    architecture: '',
    cudaCores: 0,
    memoryTotal: (smiNumber(cell(row, 'memory.total')) ?? 0) * MiB,
    pciBusId: cell(row, 'pci.bus_id') ?? '',
  }
}

/**
 * Pids per GPU uuid from `--query-compute-apps=pid,gpu_uuid,…`. Rows without a gpu_uuid column
 * (an older query) are filed under "" (the caller assigns them when there is a single GPU).
 */
export function pidsByGpu(rows: SmiRow[]): Map<string, number[]> {
  const out = new Map<string, number[]>()
  for (const row of rows) {
    const pid = smiNumber(row.get('pid'))
    if (pid === undefined) continue
    const uuid = row.get('gpu_uuid') ?? ''
    out.set(uuid, [...(out.get(uuid) ?? []), pid])
  }
  return out
}

/** CUDA version and per-GPU architecture from `nvidia-smi -q -x` (XML). */
export function parseSmiXml(xml: string): {cudaVersion: string; architectures: string[]} {
  const cudaVersion = /<cuda_version>\s*([^<]*?)\s*<\/cuda_version>/.exec(xml)?.[1] ?? ''
  const architectures = [...xml.matchAll(/<gpu id="[^"]*">([\s\S]*?)<\/gpu>/g)].map((m) => /<product_architecture>\s*([^<]*?)\s*<\/product_architecture>/.exec(m[1])?.[1] ?? '')
  return {cudaVersion: /^\d/.test(cudaVersion) ? cudaVersion : '', architectures}
}

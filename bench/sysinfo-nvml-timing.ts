/**
 * Time of each NVML reading through the bun:ffi binding (device check; not a test).
 *
 *   bun bench/sysinfo-nvml-timing.ts [ROUNDS=20]
 *
 * Prints, per NvmlDevice getter, the median and max wall milliseconds and the CPU milliseconds per
 * call over ROUNDS calls on GPU 0, so slow calls (ones that sample over an interval) stand out.
 */
import {findNvmlLibrary, openNvml, type NvmlDevice} from '../src/sysinfo/index.ts'

const rounds = Number(process.argv[2] ?? 20)
const lib = findNvmlLibrary()
if (!lib) {
  console.error('sysinfo-nvml-timing: FAILED: no NVML library found')
  process.exit(1)
}
const nvml = openNvml(lib)
const device = nvml.device(0)
if (!device) {
  console.error('sysinfo-nvml-timing: FAILED: no GPU 0')
  process.exit(1)
}
const calls: [string, (d: NvmlDevice) => unknown][] = [
  ['utilization', (d) => d.utilization()],
  ['memory', (d) => d.memory()],
  ['temperature', (d) => d.temperature()],
  ['powerUsageMw', (d) => d.powerUsageMw()],
  ['enforcedPowerLimitMw', (d) => d.enforcedPowerLimitMw()],
  ['totalEnergyMj', (d) => d.totalEnergyMj()],
  ['clock sm', (d) => d.clockMhz('sm')],
  ['clock memory', (d) => d.clockMhz('memory')],
  ['clock graphics', (d) => d.clockMhz('graphics')],
  ['ecc corrected', (d) => d.eccErrors('corrected')],
  ['ecc uncorrected', (d) => d.eccErrors('uncorrected')],
  ['fanSpeed', (d) => d.fanSpeed()],
  ['encoderUtilization', (d) => d.encoderUtilization()],
  ['pcieLinkGen', (d) => d.pcieLinkGen()],
  ['pcieLinkWidth', (d) => d.pcieLinkWidth()],
  ['maxPcieLinkGen', (d) => d.maxPcieLinkGen()],
  ['maxPcieLinkWidth', (d) => d.maxPcieLinkWidth()],
  ['pcieSpeedMbps', (d) => d.pcieSpeedMbps()],
  ['pcieThroughput tx', (d) => d.pcieThroughputKBps('tx')],
  ['pcieThroughput rx', (d) => d.pcieThroughputKBps('rx')],
  ['processes', (d) => d.processes()],
  ['name', (d) => d.name()],
  ['uuid', (d) => d.uuid()],
  ['pciBusId', (d) => d.pciBusId()],
]
const rows: {call: string; medianMs: number; maxMs: number; cpuMs: number; value: unknown}[] = []
for (const [call, fn] of calls) {
  const times: number[] = []
  let value: unknown
  const c0 = process.cpuUsage()
  for (let i = 0; i < rounds; i++) {
    const t = performance.now()
    value = fn(device)
    times.push(performance.now() - t)
  }
  const c = process.cpuUsage(c0)
  times.sort((a, b) => a - b)
  rows.push({call, medianMs: +times[times.length >> 1].toFixed(3), maxMs: +times.at(-1)!.toFixed(3), cpuMs: +((c.user + c.system) / 1000 / rounds).toFixed(3), value})
}
for (const r of rows)
  console.log(`${r.call.padEnd(22)} median ${String(r.medianMs).padStart(8)} ms  max ${String(r.maxMs).padStart(8)} ms  cpu ${String(r.cpuMs).padStart(7)} ms  ${JSON.stringify(r.value)}`)
console.log(JSON.stringify({bench: 'sysinfo-nvml-timing', lib, rounds, rows}))
nvml.shutdown()

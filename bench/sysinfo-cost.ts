/**
 * Cost of system-metrics sampling (not a test: numbers vary by machine).
 *
 *   bun bench/sysinfo-cost.ts [N=500] [--no-si]
 *
 * Builds the SystemMonitor with this host's resources (Linux /proc + statfs, NVIDIA through NVML
 * when present), monitoring this process, and takes N samples back to back (each encoded to
 * protobuf, as the pipeline would). Reports CPU milliseconds (user + system) and wall milliseconds
 * per sample, per resource, and the RSS / heap growth over the N samples after a warm-up and a
 * full GC, and the longest event-loop stall while sampling. For reference it also times the same readings through `systeminformation` (which spawns
 * shells on Linux), counting the CPU of its children. The last line is JSON for the benchmark table.
 */
import {readFileSync} from 'node:fs'
import {nullLogger} from '../src/core/observability/index.ts'
import {Record as PbRecord, Settings} from '../src/core/proto.ts'
import {systemClock} from '../src/core/runtime/index.ts'
import {NvidiaGpuResource, SystemMonitor, createResources, findNvmlLibrary, monitorSettings, openNvml, type Resource} from '../src/sysinfo/index.ts'

const n = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 500)
const withSi = !process.argv.includes('--no-si')

const cpuMs = () => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}
/** CPU of waited-for children (utime + stime of /proc/self/stat fields 16-17), ms; 0 off Linux. */
const childCpuMs = () => {
  try {
    const f = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ')
    return (Number(f[13]) + Number(f[14])) * 10
  } catch {
    return 0
  }
}
const mib = (b: number) => +(b / 1024 / 1024).toFixed(2)
const round = (x: number, d = 3) => +x.toFixed(d)

/**
 * The longest the event loop went without running a 1 ms timer while `fn` ran `count` times: how
 * long sampling blocks everything else in the service (a separate pass, so the timer's own CPU
 * does not count in the CPU figures).
 */
async function maxStallMs(count: number, fn: () => Promise<unknown>): Promise<number> {
  let worst = 0
  let last = performance.now()
  const timer = setInterval(() => {
    const now = performance.now()
    worst = Math.max(worst, now - last)
    last = now
  }, 1)
  for (let i = 0; i < count; i++) {
    await fn()
    await Bun.sleep(3) // let the timer run between samples, so a stall is one sample's
    last = performance.now()
  }
  clearInterval(timer)
  return round(worst)
}

async function measure(label: string, count: number, fn: () => Promise<unknown>) {
  for (let i = 0; i < Math.min(10, count); i++) await fn() // warm-up
  Bun.gc(true)
  const rss0 = process.memoryUsage().rss
  const heap0 = process.memoryUsage().heapUsed
  const c0 = cpuMs()
  const k0 = childCpuMs()
  const t0 = performance.now()
  for (let i = 0; i < count; i++) await fn()
  const wall = performance.now() - t0
  const cpu = cpuMs() - c0
  const child = childCpuMs() - k0
  Bun.gc(true)
  const stall = await maxStallMs(Math.min(count, 30), fn)
  const row = {
    label,
    samples: count,
    cpuMsPerSample: round(cpu / count),
    childCpuMsPerSample: round(child / count),
    wallMsPerSample: round(wall / count),
    rssDeltaMiB: mib(process.memoryUsage().rss - rss0),
    heapDeltaMiB: mib(process.memoryUsage().heapUsed - heap0),
    maxEventLoopStallMs: stall,
  }
  console.log(
    `${label.padEnd(28)} cpu ${String(row.cpuMsPerSample).padStart(8)} ms  children ${String(row.childCpuMsPerSample).padStart(7)} ms  wall ${String(row.wallMsPerSample).padStart(8)} ms  rss ${String(row.rssDeltaMiB).padStart(6)} MiB  heap ${String(row.heapDeltaMiB).padStart(6)} MiB  stall ${String(row.maxEventLoopStallMs).padStart(6)} ms  (${count} samples)`,
  )
  return row
}

const settings = Settings.create({x_stats_pid: {value: process.pid}, x_stats_buffer_size: {value: 0}})
const resources: Resource[] = await createResources(monitorSettings(settings), {now: Date.now, logger: nullLogger})
let bytes = 0
const monitor = new SystemMonitor({
  settings,
  clock: systemClock,
  logger: nullLogger,
  resources,
  emit: async (r) => void (bytes += PbRecord.toBinary(r).length),
})
console.log(`host: ${process.platform}/${process.arch}, resources: ${resources.map((r) => `${r.name} (${r.constructor.name})`).join(', ')}, bun ${Bun.version}`)
const rows = [await measure('monitor (all resources)', n, () => monitor.sampleOnce())]
for (const r of resources) rows.push(await measure(`  ${r.name}.sample()`, n, () => r.sample()))
const nvmlPath = resources.some((r) => r.constructor.name === 'NvidiaWorkerResource') ? findNvmlLibrary() : undefined
if (nvmlPath) {
  // The same readings on the main thread, to show what the worker keeps off the event loop.
  const direct = new NvidiaGpuResource(openNvml(nvmlPath), {pid: process.pid})
  rows.push(await measure('  nvidia in-thread (ref.)', n, () => direct.sample()))
  direct.close()
}
const keys = new Set<string>()
const one: {[key: string]: number} = {}
for (const r of resources) {
  for (const [k, v] of await r.sample()) {
    keys.add(k)
    one[k] = v
  }
}
console.log(`keys per sample: ${keys.size}; record bytes per sample: ${round(bytes / (n + 10), 0)}`)
console.log(`one sample: ${JSON.stringify(one)}`)

if (withSi) {
  const si = await import('systeminformation')
  const m = Math.min(n, 20)
  rows.push(await measure('systeminformation (ref.)', m, () => Promise.all([si.currentLoad(), si.mem(), si.fsSize(), si.networkStats(), si.processLoad('bun')])))
}
await monitor.finish()
console.log(JSON.stringify({bench: 'sysinfo-cost', platform: process.platform, resources: resources.map((r) => r.name), keys: keys.size, rows}))

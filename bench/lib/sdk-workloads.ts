/**
 * Workloads 1–4 and 8: Python scripts with the real SDK against the local backend, once per core.
 * Every repetition checks the backend's state (history length, run count), so a fast wrong
 * answer cannot pass as a fast one.
 */
import {BenchFailure, type BenchContext, lastJson, ok} from './context.ts'
import type {Core} from './cores.ts'
import type {Workload} from './workload.ts'
import {join} from 'node:path'
import {readUsage, type ServiceUsage} from './cores.ts'
import {collectNodes, freshRuntimeDir} from './shared-node.ts'

const runId = (tag: string, core: Core, rep: number, i = 0) => `${tag}${core}${rep}x${i}`.toLowerCase().replace(/[^a-z0-9]/g, '')

async function expectRuns(ctx: BenchContext, ids: string[], historyRows: number | undefined) {
  const runs = await ctx.backend.inspectRuns()
  for (const id of ids) {
    const run = runs.find((r) => r.id === id)
    if (!run) throw new BenchFailure(`run ${id} is not on the backend`)
    if (run.state !== 'finished') throw new BenchFailure(`run ${id} is ${run.state}, not finished`)
    if (historyRows !== undefined && run.history.length !== historyRows) throw new BenchFailure(`run ${id} has ${run.history.length} history rows, expected ${historyRows}`)
  }
  return runs
}

export const emptyRun = (mode: 'online' | 'offline'): Workload => ({
  name: `empty-run-${mode}`,
  describe: () => `wandb.init() → run.finish(), ${mode}, system metrics off; whole Python process`,
  metrics: [
    {key: 'process_s', label: 'process wall', unit: 's'},
    {key: 'init_finish_s', label: 'init→finish', unit: 's'},
  ],
  async measure(ctx, core, rep) {
    const dir = ctx.freshDir('empty')
    const id = runId('empty', core, rep)
    const env: Record<string, string> = {WANDB_RUN_ID: id, ...(mode === 'offline' ? {WANDB_MODE: 'offline'} : {})}
    const ran = ok(await ctx.python(core, 'empty_run.py', {dir, env}), 'empty_run.py')
    if (mode === 'online') await expectRuns(ctx, [id], 0)
    ctx.removeDir(dir)
    return {process_s: ran.wallS, init_finish_s: lastJson<{wall_s: number}>(ran).wall_s}
  },
})

/**
 * W&B's v1-scalars with many processes of one job (same HOME, WANDB_DIR and cwd; only the run id
 * differs): wall time of all, and the sums over every service process of CPU seconds and peak RSS
 * (Go: one wandb-core per process; nexus: the stand-ins plus the node service they share).
 */
export const v1ScalarsProcs = (procs: number): Workload => ({
  name: `v1-scalars-${procs}p`,
  describe: (q) => `${q ? Math.min(procs, 3) : procs} processes of one job in parallel, each 1 run × ${q ? 20 : 100} log() of 100 floats; summed service CPU and peak RSS`,
  metrics: [
    {key: 'wall_s', label: 'all processes', unit: 's'},
    {key: 'cpu_s', label: 'service CPU, summed', unit: 's'},
    {key: 'rss_mib', label: 'service peak RSS, summed', unit: 'MiB'},
    {key: 'services', label: 'service processes', unit: ''},
  ],
  async measure(ctx, core, rep) {
    const n = ctx.quick ? Math.min(procs, 3) : procs
    const steps = ctx.quick ? 20 : 100
    const dir = ctx.freshDir('scalars')
    const runtimeDir = freshRuntimeDir(ctx.scratch)
    const usageFile = join(dir, 'service-usage.jsonl')
    const ids = Array.from({length: n}, (_, i) => runId(`scal${procs}p`, core, rep, i))
    const t0 = performance.now()
    const all = await Promise.all(ids.map((id) => ctx.python(core, 'scalars.py', {dir, runtimeDir, usage: true, usageFile, env: {WANDB_RUN_ID: id, BENCH_STEPS: String(steps), BENCH_METRICS: '100'}})))
    const wall = (performance.now() - t0) / 1000
    all.forEach((r) => ok(r, 'scalars.py'))
    await expectRuns(ctx, ids, steps)
    const usage = [...readUsage(usageFile), ...(await collectNodes(runtimeDir))]
    if (usage.length < n) throw new BenchFailure(`usage of ${usage.length} service processes recorded, expected at least ${n}`)
    ctx.removeDir(dir)
    return {wall_s: wall, cpu_s: sum(usage.map((u) => u.cpuS)), rss_mib: sum(usage.map((u) => u.maxRssMiB)), services: usage.length}
  },
})

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0)

/** Every service process of one measurement together (for nexus: the stand-in and the node service). */
function totalUsage(usage: ServiceUsage[]): ServiceUsage {
  if (usage.length === 0) throw new BenchFailure('no service usage recorded')
  return {maxRssMiB: sum(usage.map((u) => u.maxRssMiB)), cpuS: sum(usage.map((u) => u.cpuS))}
}

export const v1Tables: Workload = {
  name: 'v1-tables',
  describe: () => '1 run, 10 steps × 20 single-row wandb.Table',
  metrics: [
    {key: 'wall_s', label: 'init→finish', unit: 's'},
    {key: 'finish_s', label: 'finish()', unit: 's'},
  ],
  async measure(ctx, core, rep) {
    const dir = ctx.freshDir('tables')
    const id = runId('tables', core, rep)
    const ran = ok(await ctx.python(core, 'tables.py', {dir, env: {WANDB_RUN_ID: id, BENCH_STEPS: '10', BENCH_TABLES: '20'}}), 'tables.py')
    const [run] = (await expectRuns(ctx, [id], 10)).filter((r) => r.id === id)
    const tableFiles = Object.keys(run.files).filter((f) => f.endsWith('.table.json')).length
    if (tableFiles !== 200) throw new BenchFailure(`run ${id} uploaded ${tableFiles} table files, expected 200`)
    ctx.removeDir(dir)
    const out = lastJson<{wall_s: number; finish_s: number}>(ran)
    return {wall_s: out.wall_s, finish_s: out.finish_s}
  },
}

export const longRun: Workload = {
  name: 'long-run',
  describe: (q) => `1 run × ${q ? '2k' : '100k'} steps × 20 metrics; service peak RSS and CPU summed over the service processes (GNU time, /proc for the node service)`,
  metrics: [
    {key: 'wall_s', label: 'init→finish', unit: 's'},
    {key: 'finish_s', label: 'finish() latency', unit: 's'},
    {key: 'rss_mib', label: 'service peak RSS', unit: 'MiB'},
    {key: 'cpu_s', label: 'service CPU', unit: 's'},
  ],
  async measure(ctx, core, rep) {
    const steps = ctx.quick ? 2000 : 100_000
    const dir = ctx.freshDir('long')
    const id = runId('long', core, rep)
    const ran = ok(await ctx.python(core, 'scalars.py', {dir, usage: true, env: {WANDB_RUN_ID: id, BENCH_STEPS: String(steps), BENCH_METRICS: '20'}}), 'scalars.py')
    await expectRuns(ctx, [id], steps)
    const u = totalUsage(ran.usage)
    ctx.removeDir(dir)
    const out = lastJson<{wall_s: number; finish_s: number}>(ran)
    return {wall_s: out.wall_s, finish_s: out.finish_s, rss_mib: u.maxRssMiB, cpu_s: u.cpuS}
  },
}

/** Workload 8 through the whole service: (CPU with stats − CPU without) ÷ samples the backend got. */
export const systemMonitor: Workload = {
  name: 'system-monitor',
  describe: (q) => `idle run of ${q ? 3 : 8} s sampling every 0.2 s, minus the same run with stats off; per sample the backend received`,
  metrics: [
    {key: 'cpu_ms_per_sample', label: 'service CPU per sample', unit: 'ms'},
    {key: 'rss_delta_mib', label: 'service peak RSS delta', unit: 'MiB'},
    {key: 'samples', label: 'samples received', unit: ''},
  ],
  async measure(ctx, core, rep) {
    const idle = ctx.quick ? 3 : 8
    const one = async (stats: boolean) => {
      const dir = ctx.freshDir('idle')
      const id = runId(`idle${stats ? 'on' : 'off'}`, core, rep)
      const ran = ok(await ctx.python(core, 'idle.py', {dir, usage: true, env: {WANDB_RUN_ID: id, BENCH_STATS: stats ? '1' : '0', BENCH_INTERVAL_S: '0.2', BENCH_IDLE_S: String(idle)}}), 'idle.py')
      const run = (await expectRuns(ctx, [id], 0)).find((r) => r.id === id)!
      ctx.removeDir(dir)
      return {usage: totalUsage(ran.usage), events: run.events.length}
    }
    const off = await one(false)
    const on = await one(true)
    if (on.events < 2) throw new BenchFailure(`only ${on.events} system-metric samples reached the backend`)
    return {
      cpu_ms_per_sample: ((on.usage.cpuS - off.usage.cpuS) * 1000) / on.events,
      rss_delta_mib: on.usage.maxRssMiB - off.usage.maxRssMiB,
      samples: on.events,
    }
  },
}

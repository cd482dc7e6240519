/**
 * Nexus vs Go wandb-core, side by side: `bun run bench [--quick] [--private] [--only NAME[,NAME]] [-n N] [--list]`.
 * nexus shares one node service among a job's processes (its default); --private turns that off.
 *
 * Every workload runs against a fresh local backend (test/backend) with both services in the same
 * invocation, alternating which goes first, N repetitions each (default 5; --quick: 2 and small
 * sizes, for CI). Prints a table of medians, the nexus/Go ratio and each side's spread
 * ((max − min) / median), and writes bench/results/<date>[-quick].json with every sample and the
 * machine. Needs `bun run build` (dist/) and the venv (scripts/setup-python.sh); never asserts a time.
 */
import {mkdirSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import {join} from 'node:path'
import {startBackend} from '../test/backend/index.ts'
import {hostBinary} from '../test/helpers/binary.ts'
import {requirePython} from '../test/helpers/python.ts'
import {artifactsBig, artifactsMany} from './lib/artifact-workloads.ts'
import {BenchContext, ok} from './lib/context.ts'
import {CORES, type Core} from './lib/cores.ts'
import {emptyRun, longRun, systemMonitor, v1ScalarsProcs, v1Tables} from './lib/sdk-workloads.ts'
import {serviceStart} from './lib/service-start.ts'
import {fmt, summarize, table} from './lib/stats.ts'
import {syncBig, syncMany} from './lib/sync-workloads.ts'
import type {Workload} from './lib/workload.ts'

const WORKLOADS: Workload[] = [
  emptyRun('online'),
  emptyRun('offline'),
  v1ScalarsProcs(10),
  v1ScalarsProcs(50),
  v1Tables,
  longRun,
  serviceStart,
  syncBig,
  syncMany,
  artifactsMany,
  artifactsBig,
  systemMonitor,
]

interface Options {
  quick: boolean
  /** nexus with NEXUS_SHARED_SERVICE=0: every SDK process gets a private service, as Go does. */
  private: boolean
  reps: number
  only?: Set<string>
}

function parseArgs(argv: string[]): Options | 'list' {
  const o: Options = {quick: false, private: false, reps: 0}
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === '--quick') o.quick = true
    else if (a === '--list') return 'list'
    else if (a === '--private') o.private = true
    else if (a === '--only') o.only = new Set([...(o.only ?? []), ...argv[++i].split(',')])
    else if (a === '-n') o.reps = Number(argv[++i])
    else throw new Error(`unknown argument ${a}; usage: bun run bench [--quick] [--private] [--only NAME[,NAME]] [-n N] [--list]`)
  }
  if (!o.reps) o.reps = o.quick ? 2 : 5
  if (!Number.isInteger(o.reps) || o.reps < 1) throw new Error('-n wants a positive integer')
  for (const n of o.only ?? []) if (!WORKLOADS.some((w) => w.name === n)) throw new Error(`no workload ${n}; --list shows them`)
  return o
}

async function machine() {
  const cpus = os.cpus()
  const py = requirePython()
  const wandbVersion = (await Bun.$`${py} -c "import wandb; print(wandb.__version__)"`.quiet().text()).trim()
  const nexusVersion = (await Bun.$`${hostBinary()} --version`.quiet().text()).trim()
  const commit = (
    await Bun.$`git rev-parse --short HEAD`
      .cwd(join(import.meta.dir, '..'))
      .quiet()
      .nothrow()
      .text()
  ).trim()
  return {
    cpuModel: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    bun: Bun.version,
    wandb: wandbVersion,
    nexus: nexusVersion,
    commit,
  }
}

interface Result {
  workload: string
  description: string
  sides: Record<Core, string>
  status: 'ok' | 'failed' | 'pending'
  note?: string
  samples: Record<Core, Record<string, number>[]>
}

const DEFAULT_SIDES: Record<Core, string> = {go: 'SDK on Go wandb-core', nexus: 'SDK on nexus'}

async function runWorkload(ctx: BenchContext, w: Workload, reps: number): Promise<Result> {
  const result: Result = {workload: w.name, description: '', sides: w.sides ?? DEFAULT_SIDES, status: 'ok', samples: {go: [], nexus: []}}
  const why = w.unavailable?.(ctx)
  if (why) return {...result, description: w.describe(ctx.quick), status: 'pending', note: why}
  try {
    await w.prepare?.(ctx)
    for (let rep = 0; rep < reps; rep++) {
      for (const core of rep % 2 ? [...CORES].reverse() : CORES) {
        await ctx.backend.reset()
        const m = await w.measure(ctx, core, rep)
        result.samples[core].push(m)
        console.log(
          `  ${w.name} rep ${rep + 1}/${reps} ${core}: ${Object.entries(m)
            .map(([k, v]) => `${k}=${fmt(v)}`)
            .join(' ')}`,
        )
      }
    }
  } catch (e) {
    result.status = 'failed'
    result.note = e instanceof Error ? e.message : String(e)
    console.log(`  ${w.name} FAILED: ${result.note}`)
  }
  result.description = w.describe(ctx.quick)
  return result
}

function render(results: Result[]): string {
  const rows: string[][] = []
  for (const r of results) {
    const w = WORKLOADS.find((x) => x.name === r.workload)!
    if (r.status !== 'ok') {
      rows.push([r.workload, r.status, '', '', '', '', '', '', ''])
      continue
    }
    for (const m of w.metrics) {
      const go = summarize(r.samples.go.map((s) => s[m.key]))
      const nx = summarize(r.samples.nexus.map((s) => s[m.key]))
      const ratio = go.median === 0 ? '—' : `${(nx.median / go.median).toFixed(2)}×`
      rows.push([r.workload, m.label, m.unit, fmt(go.median), fmt(nx.median), ratio, `${(go.spread * 100).toFixed(0)}%`, `${(nx.spread * 100).toFixed(0)}%`, String(Math.min(go.n, nx.n))])
    }
  }
  const notes = results.map((r) => `  ${r.workload}: ${r.description}; Go = ${r.sides.go}, nexus = ${r.sides.nexus}${r.note ? ` — ${r.status}: ${r.note.split('\n')[0]}` : ''}`)
  return `${table(['workload', 'metric', 'unit', 'Go median', 'nexus median', 'nexus/Go', 'Go spread', 'nexus spread', 'n'], rows)}\n\n${notes.join('\n')}`
}

async function main() {
  const opts = parseArgs(process.argv.slice(2))
  if (opts === 'list') {
    for (const w of WORKLOADS) console.log(`${w.name.padEnd(20)} ${w.describe(false)}`)
    return 0
  }
  const host = await machine()
  console.log(`machine: ${host.cpuModel}, ${host.cores} cores, ${host.memGiB} GiB, ${host.os}; bun ${host.bun}, wandb ${host.wandb}, ${host.nexus} (${host.commit})`)
  const backend = await startBackend({quiet: true})
  const ctx = new BenchContext(backend, opts.quick, opts.private)
  const results: Result[] = []
  try {
    // One untimed run per core first, so neither side pays for a cold page cache.
    for (const core of CORES) ok(await ctx.python(core, 'empty_run.py', {dir: ctx.freshDir('warmup'), env: {WANDB_MODE: 'offline'}}), 'warm-up')
    for (const w of WORKLOADS) {
      if (opts.only && !opts.only.has(w.name)) continue
      console.log(`${w.name}:`)
      results.push(await runWorkload(ctx, w, opts.reps))
    }
  } finally {
    ctx.close()
    await backend.stop()
  }
  const report = render(results)
  console.log(`\nnexus vs Go wandb-core — ${new Date().toISOString().slice(0, 10)}, ${host.cpuModel} (${host.cores} cores)\n\n${report}`)
  const dir = join(import.meta.dir, 'results')
  mkdirSync(dir, {recursive: true})
  const file = join(dir, `${new Date().toISOString().slice(0, 10)}${opts.quick ? '-quick' : ''}${opts.private ? '-private' : ''}${opts.only ? `-partial-${[...opts.only].join('+')}` : ''}.json`)
  writeFileSync(file, JSON.stringify({date: new Date().toISOString(), quick: opts.quick, private: opts.private, reps: opts.reps, machine: host, results}, null, 2) + '\n')
  console.log(`\nwrote ${file}`)
  return results.some((r) => r.status === 'failed') ? 1 : 0
}

process.exitCode = await main()

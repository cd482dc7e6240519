/**
 * Workload 6: upload offline runs. Go side: `wandb sync RUN_DIR…` (the SDK CLI on Go wandb-core);
 * nexus side: `nexus sync RUN_DIR…`. The runs are made once by the SDK offline (cached under
 * bench/.cache) and each repetition syncs a fresh copy to an emptied backend.
 */
import {cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {hostBinary} from '../../test/helpers/binary.ts'
import {requirePython} from '../../test/helpers/python.ts'
import {BenchFailure, ok} from './context.ts'
import type {Workload} from './workload.ts'

export const CACHE = join(import.meta.dir, '..', '.cache')

function offlineRuns(dir: string): string[] {
  const w = join(dir, 'wandb')
  return existsSync(w)
    ? readdirSync(w)
        .filter((d) => d.startsWith('offline-run-'))
        .sort()
        .map((d) => join(w, d))
    : []
}

function sizeOf(path: string): number {
  const s = statSync(path)
  return s.isDirectory() ? readdirSync(path).reduce((n, e) => n + sizeOf(join(path, e)), 0) : s.size
}

function syncWorkload(name: string, shape: (quick: boolean) => {runs: number; steps: number}): Workload {
  let source = ''
  let expected = {runs: 0, steps: 0}
  return {
    name,
    describe(q) {
      const {runs, steps} = shape(q)
      const mb = source ? ` (${(sizeOf(source) / 1e6).toFixed(0)} MB on disk)` : ''
      return `${runs} offline run(s) × ${steps} steps × 20 metrics${mb}`
    },
    metrics: [{key: 'wall_s', label: 'sync wall', unit: 's'}],
    sides: {go: 'wandb sync (Go core)', nexus: 'nexus sync'},
    async prepare(ctx) {
      expected = shape(ctx.quick)
      source = join(CACHE, `${name}-${expected.runs}x${expected.steps}`)
      if (existsSync(join(source, '.complete'))) return
      rmSync(source, {recursive: true, force: true})
      mkdirSync(source, {recursive: true})
      console.log(`  preparing ${expected.runs} offline run(s) of ${expected.steps} steps in ${source} (once)…`)
      ok(await ctx.python('go', 'make_runs.py', {dir: source, timeoutS: 3600, env: {WANDB_MODE: 'offline', BENCH_RUNS: String(expected.runs), BENCH_STEPS: String(expected.steps)}}), 'make_runs.py')
      if (offlineRuns(source).length !== expected.runs) throw new BenchFailure(`make_runs.py made ${offlineRuns(source).length} runs, expected ${expected.runs}`)
      writeFileSync(join(source, '.complete'), '')
    },
    async measure(ctx, core) {
      const dir = ctx.freshDir(name)
      cpSync(join(source, 'wandb'), join(dir, 'wandb'), {recursive: true})
      const runs = offlineRuns(dir)
      const ran =
        core === 'go' ? await ctx.run([requirePython(), '-m', 'wandb', 'sync', ...runs], ctx.sdkEnv('go', dir), dir, 3600) : await ctx.run([hostBinary(), 'sync', ...runs], ctx.cliEnv(dir), dir, 3600)
      ok(ran, core === 'go' ? 'wandb sync' : 'nexus sync')
      const onServer = await ctx.backend.inspectRuns()
      for (const run of runs) {
        const id = run.split('-').at(-1)!
        const r = onServer.find((x) => x.id === id)
        if (!r) throw new BenchFailure(`${core}: run ${id} is not on the backend after sync`)
        if (r.history.length !== expected.steps) throw new BenchFailure(`${core}: run ${id} has ${r.history.length} history rows, expected ${expected.steps}`)
      }
      ctx.removeDir(dir)
      return {wall_s: ran.wallS}
    },
  }
}

export const syncBig = syncWorkload('sync-big', (q) => ({runs: 1, steps: q ? 3000 : 45_000}))
export const syncMany = syncWorkload('sync-many', (q) => ({runs: q ? 10 : 100, steps: q ? 20 : 100}))

/**
 * Workload 5: start the service binary as the SDK does (`--port-filename F --pid PPID`), time from
 * spawn to a complete port file, then read its resident memory from /proc after one idle second.
 */
import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {BenchFailure, type BenchContext} from './context.ts'
import {type Core, coreBinary} from './cores.ts'
import {collectNodes, freshRuntimeDir, nodePids} from './shared-node.ts'
import type {Workload} from './workload.ts'

const IDLE_MS = 1000

export function procRssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  if (!m) throw new BenchFailure(`no VmRSS for pid ${pid}`)
  return Number(m[1]) / 1024
}

/** Spawns the service as the SDK does and resolves when its port file is complete. */
async function startOnce(ctx: BenchContext, core: Core, dir: string, name: string, runtime: string) {
  const portFile = join(dir, `${name}.txt`)
  const t0 = performance.now()
  const proc = Bun.spawn([coreBinary(core), '--port-filename', portFile, '--pid', String(process.pid)], {
    cwd: dir,
    env: {...ctx.cliEnv(dir), XDG_RUNTIME_DIR: runtime, ...ctx.sharing(core)},
    stdin: 'ignore',
    stdout: 'ignore',
    stderr: 'pipe',
  })
  for (;;) {
    if (existsSync(portFile) && /EOF\s*$/.test(readFileSync(portFile, 'utf8'))) break
    if (proc.exitCode !== null) throw new BenchFailure(`${core} service exited ${proc.exitCode}: ${await new Response(proc.stderr).text()}`)
    if (performance.now() - t0 > 30_000) throw new BenchFailure(`${core} service wrote no port file in 30 s`)
    await Bun.sleep(1)
  }
  return {proc, readyMs: performance.now() - t0}
}

async function stop(proc: {kill(signal?: NodeJS.Signals): void; exited: Promise<number>}) {
  proc.kill('SIGTERM')
  await proc.exited
}

/**
 * The first start in a fresh runtime dir (for nexus: the stand-in and the node service it starts),
 * then a second start (for nexus: joining the node service left running; for Go: the same binary
 * again). Idle RSS is the launched process's; the total adds the node service.
 */
export const serviceStart: Workload = {
  name: 'service-start',
  describe: () => `spawn → port file written (polled every 1 ms), first and second start; RSS from /proc after ${IDLE_MS / 1000} s idle`,
  metrics: [
    {key: 'ready_ms', label: 'spawn → port file', unit: 'ms'},
    {key: 'again_ms', label: 'second spawn → port file', unit: 'ms'},
    {key: 'idle_rss_mib', label: 'idle RSS, launched process', unit: 'MiB'},
    {key: 'total_rss_mib', label: 'idle RSS, with the node service', unit: 'MiB'},
  ],
  unavailable: () => (existsSync('/proc/self/status') ? undefined : 'needs /proc (Linux)'),
  async measure(ctx, core) {
    const dir = ctx.freshDir('start')
    const runtime = freshRuntimeDir(ctx.scratch)
    try {
      const first = await startOnce(ctx, core, dir, 'first', runtime)
      await Bun.sleep(IDLE_MS) // a measurement interval, not synchronisation
      const idle = procRssMiB(first.proc.pid)
      const nodes = nodePids(runtime).map(procRssMiB)
      await stop(first.proc)
      const second = await startOnce(ctx, core, dir, 'second', runtime)
      await stop(second.proc)
      return {ready_ms: first.readyMs, again_ms: second.readyMs, idle_rss_mib: idle, total_rss_mib: idle + nodes.reduce((a, b) => a + b, 0)}
    } finally {
      await collectNodes(runtime)
      ctx.removeDir(dir)
    }
  },
}

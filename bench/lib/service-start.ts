/**
 * Workload 5: start the service binary as the SDK does (`--port-filename F --pid PPID`), time from
 * spawn to a complete port file, then read its resident memory from /proc after one idle second.
 */
import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {BenchFailure} from './context.ts'
import {coreBinary} from './cores.ts'
import type {Workload} from './workload.ts'

const IDLE_MS = 1000

export function procRssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  if (!m) throw new BenchFailure(`no VmRSS for pid ${pid}`)
  return Number(m[1]) / 1024
}

export const serviceStart: Workload = {
  name: 'service-start',
  describe: () => `spawn → port file written (polled every 1 ms); RSS from /proc after ${IDLE_MS / 1000} s idle`,
  metrics: [{key: 'ready_ms', label: 'spawn → port file', unit: 'ms'}, {key: 'idle_rss_mib', label: 'idle RSS', unit: 'MiB'}],
  unavailable: () => (existsSync('/proc/self/status') ? undefined : 'needs /proc (Linux)'),
  async measure(ctx, core) {
    const dir = ctx.freshDir('start')
    const portFile = join(dir, 'port.txt')
    const t0 = performance.now()
    const proc = Bun.spawn([coreBinary(core), '--port-filename', portFile, '--pid', String(process.pid)], {
      cwd: dir, env: ctx.cliEnv(dir), stdin: 'ignore', stdout: 'ignore', stderr: 'pipe',
    })
    try {
      for (;;) {
        if (existsSync(portFile) && /EOF\s*$/.test(readFileSync(portFile, 'utf8'))) break
        if (proc.exitCode !== null) throw new BenchFailure(`${core} service exited ${proc.exitCode}: ${await new Response(proc.stderr).text()}`)
        if (performance.now() - t0 > 30_000) throw new BenchFailure(`${core} service wrote no port file in 30 s`)
        await Bun.sleep(1)
      }
      const readyMs = performance.now() - t0
      await Bun.sleep(IDLE_MS) // a measurement interval, not synchronisation
      return {ready_ms: readyMs, idle_rss_mib: procRssMiB(proc.pid)}
    } finally {
      proc.kill('SIGTERM')
      await proc.exited
      ctx.removeDir(dir)
    }
  },
}

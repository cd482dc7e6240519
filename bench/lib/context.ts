/** What every workload gets: the local backend, the core overlays, process runners, scratch space. */
import {mkdtempSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import type {Backend} from '../../test/backend/index.ts'
import {isolatedEnv} from '../../test/e2e/harness.ts'
import {requirePython} from '../../test/helpers/python.ts'
import {type Core, CoreOverlays, readUsage, type ServiceUsage} from './cores.ts'
import {collectNodes, freshRuntimeDir} from './shared-node.ts'

export interface Ran {
  code: number
  wallS: number
  stdout: string
  stderr: string
}

export class BenchFailure extends Error {}

export class BenchContext {
  readonly overlays = new CoreOverlays()
  readonly scratch = mkdtempSync(join(this.overlays.root, 'scratch-'))
  private seq = 0

  constructor(
    readonly backend: Backend,
    readonly quick: boolean,
    readonly privateServices = false,
  ) {}

  /** A fresh directory for one run (under the bench's temp root, removed at the end). */
  freshDir(label: string): string {
    return mkdtempSync(join(this.scratch, `${label}-${this.seq++}-`))
  }

  /** Environment of an SDK process in `dir` using `core`, pointed at the backend. */
  sdkEnv(core: Core, dir: string, extra: Record<string, string> = {}): Record<string, string> {
    return {...baseEnv(), ...isolatedEnv(dir, this.backend), PYTHONPATH: this.overlays.overlay(core), ...extra}
  }

  /** Environment of a nexus CLI process in `dir`, pointed at the backend. */
  cliEnv(dir: string): Record<string, string> {
    return {...baseEnv(), ...isolatedEnv(dir, this.backend)}
  }

  /**
   * Runs a bench/workloads/*.py script with `core`; `usage` collects the service's resource use:
   * every process the SDK launched (GNU time) and, for nexus, the node service they shared. With
   * `runtimeDir` the caller owns the node (several processes of one measurement share it) and
   * collects it with collectNodes(); without, each call gets and stops a node of its own.
   */
  async python(core: Core, script: string, o: {dir: string; env?: Record<string, string>; usage?: boolean; timeoutS?: number; runtimeDir?: string; usageFile?: string}) {
    const usageFile = o.usageFile ?? join(o.dir, 'service-usage.jsonl')
    const runtime = o.runtimeDir ?? freshRuntimeDir(this.scratch)
    const env = this.sdkEnv(core, o.dir, {XDG_RUNTIME_DIR: runtime, ...this.sharing(core), ...o.env, ...(o.usage ? {NEXUS_BENCH_USAGE: usageFile} : {})})
    const ran = await timed([requirePython(), join(import.meta.dir, '..', 'workloads', script)], env, o.dir, o.timeoutS)
    const nodes = o.runtimeDir ? [] : await collectNodes(runtime)
    return {...ran, usage: o.usage ? [...readUsage(usageFile), ...nodes] : ([] as ServiceUsage[])}
  }

  /** NEXUS_SHARED_SERVICE=0 for nexus in `--private` runs. */
  sharing(core: Core): Record<string, string> {
    return core === 'nexus' && this.privateServices ? {NEXUS_SHARED_SERVICE: '0'} : {}
  }

  /** Runs any command, timing it as a whole process. */
  run(argv: string[], env: Record<string, string>, cwd: string, timeoutS?: number): Promise<Ran> {
    return timed(argv, env, cwd, timeoutS)
  }

  close(): void {
    this.overlays.close()
  }

  removeDir(dir: string): void {
    rmSync(dir, {recursive: true, force: true})
  }
}

/** The last stdout line of a workload script, parsed as JSON. */
export function lastJson<T>(ran: Ran): T {
  const line = ran.stdout.trim().split('\n').at(-1) ?? ''
  try {
    return JSON.parse(line) as T
  } catch {
    throw new BenchFailure(`workload printed no JSON result; stderr tail:\n${ran.stderr.slice(-2000)}`)
  }
}

/** Requires exit code 0. */
export function ok<T extends Ran>(ran: T, what: string): T {
  if (ran.code !== 0) throw new BenchFailure(`${what} exited ${ran.code}; stderr tail:\n${ran.stderr.slice(-2000)}\nstdout tail:\n${ran.stdout.slice(-1000)}`)
  return ran
}

function baseEnv(): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('WANDB_') && k !== 'PYTHONPATH') out[k] = v
  return out
}

async function timed(argv: string[], env: Record<string, string>, cwd: string, timeoutS = 1800): Promise<Ran> {
  const t0 = performance.now()
  const proc = Bun.spawn(argv, {cwd, env, stdin: 'ignore', stdout: 'pipe', stderr: 'pipe'})
  const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutS * 1000)
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited])
  const wallS = (performance.now() - t0) / 1000
  clearTimeout(timer)
  return {code, wallS, stdout, stderr}
}

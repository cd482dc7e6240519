/**
 * The e2e harness: runs Python scenarios with the real wandb 0.31.0 SDK against the local backend,
 * choosing the service per run:
 * - 'go': the SDK's own bundled Go wandb-core;
 * - 'nexus': our compiled binary swapped in for wandb/bin/wandb-core (a wandb package overlay on
 *   PYTHONPATH whose bin/wandb-core points at dist/, everything else linked to the real package);
 * - 'nexus-attached': `nexus service` started by the harness and reached through WANDB_SERVICE.
 */
import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {Backend} from '../backend/index.ts'
import {hostBinary} from '../helpers/binary.ts'
import {requirePython, sitePackages} from '../helpers/python.ts'

export type CoreKind = 'go' | 'nexus' | 'nexus-attached'

export const SCENARIOS_DIR = join(import.meta.dir, 'scenarios')

let overlayDir: string | undefined

/** A directory to put first on PYTHONPATH so that `import wandb` finds a package whose bin/wandb-core is nexus. */
export function nexusOverlay(): string {
  if (overlayDir) return overlayDir
  const real = join(sitePackages(), 'wandb')
  const root = mkdtempSync(join(tmpdir(), 'nexus-overlay-'))
  const pkg = join(root, 'wandb')
  mkdirSync(join(pkg, 'bin'), {recursive: true})
  for (const entry of readdirSync(real)) {
    if (entry === 'bin') continue
    symlinkSync(join(real, entry), join(pkg, entry))
  }
  for (const entry of readdirSync(join(real, 'bin'))) {
    if (entry === 'wandb-core') continue
    symlinkSync(join(real, 'bin', entry), join(pkg, 'bin', entry))
  }
  symlinkSync(hostBinary(), join(pkg, 'bin', 'wandb-core'))
  overlayDir = root
  return root
}

export interface ScenarioRun {
  code: number
  stdout: string
  stderr: string
  /** The isolated home/working directory of the run (holds wandb/ run dirs). */
  dir: string
}

export interface ScenarioOptions {
  core: CoreKind
  backend?: Backend
  runId: string
  project?: string
  env?: Record<string, string>
  /** Extra arguments for the script. */
  args?: string[]
  cwd?: string
  timeoutMs?: number
  /** Run this script instead of scenarios/<name>.py (e.g. a copy inside a git repository). */
  script?: string
}

/** Environment isolating a Python process from the real home and pointing it at `backend`. */
export function isolatedEnv(dir: string, backend?: Backend): Record<string, string> {
  const env: Record<string, string> = {
    HOME: dir,
    WANDB_DIR: dir,
    WANDB_CONFIG_DIR: join(dir, '.config', 'wandb'),
    WANDB_CACHE_DIR: join(dir, '.cache'),
    WANDB_DATA_DIR: join(dir, '.data'),
    WANDB_ERROR_REPORTING: 'false',
    WANDB_DISABLE_CODE: 'true',
    WANDB_DISABLE_GIT: 'true',
    PYTHONUNBUFFERED: '1',
    PYTHONDONTWRITEBYTECODE: '1',
  }
  if (backend) {
    env.WANDB_BASE_URL = backend.url
    env.WANDB_API_KEY = backend.apiKey
    env.WANDB_ENTITY = 'e2e-entity'
  }
  return env
}

/** Runs `scenarios/<name>.py` with the chosen service and waits for it (and, if attached, the service). */
export async function runScenario(name: string, o: ScenarioOptions): Promise<ScenarioRun> {
  const python = requirePython()
  const dir = o.cwd ?? mkdtempSync(join(tmpdir(), `e2e-${name}-${o.core}-`))
  const env: Record<string, string> = {
    ...stripWandbEnv(process.env),
    ...isolatedEnv(dir, o.backend),
    PYTHONPATH: SCENARIOS_DIR,
    E2E_RUN_ID: o.runId,
    E2E_PROJECT: o.project ?? 'e2e',
    ...o.env,
  }
  let service: Awaited<ReturnType<typeof startAttachedService>> | undefined
  if (o.core === 'nexus') env.PYTHONPATH = `${nexusOverlay()}:${SCENARIOS_DIR}`
  if (o.core === 'nexus-attached') {
    service = await startAttachedService(dir, env)
    env.WANDB_SERVICE = service.token
  }
  const proc = Bun.spawn([python, o.script ?? join(SCENARIOS_DIR, `${name}.py`), ...(o.args ?? [])], {
    cwd: dir,
    env,
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
  })
  const timer = setTimeout(() => proc.kill('SIGKILL'), o.timeoutMs ?? 180_000)
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited])
  clearTimeout(timer)
  if (service) await service.stop()
  return {code, stdout, stderr, dir}
}

/** `nexus service` in the background, as `wandb beta core start` would run a shared service. */
export async function startAttachedService(dir: string, env: Record<string, string>) {
  const portFile = join(dir, 'nexus-port.txt')
  const proc = Bun.spawn([hostBinary(), 'service', '--port-filename', portFile, '--detached', '--idle-timeout', '0'], {
    cwd: dir,
    env,
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
  })
  const started = Date.now()
  while (!(existsSync(portFile) && readFileSync(portFile, 'utf8').endsWith('EOF'))) {
    if (proc.exitCode !== null) throw new Error(`nexus service exited early (${proc.exitCode}): ${await new Response(proc.stderr).text()}`)
    if (Date.now() - started > 30_000) throw new Error('nexus service did not write its port file')
    await Bun.sleep(20)
  }
  const unix = /unix=(.+)/.exec(readFileSync(portFile, 'utf8'))![1]
  return {
    token: `3-${proc.pid}-unix-${unix}`,
    async stop() {
      proc.kill('SIGTERM')
      await proc.exited
    },
  }
}

function stripWandbEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(env)) if (v !== undefined && !k.startsWith('WANDB_') && k !== 'PYTHONPATH') out[k] = v
  return out
}

/** The offline run directories under an isolated home. */
export function offlineRunDirs(dir: string): string[] {
  const w = join(dir, 'wandb')
  if (!existsSync(w)) return []
  return readdirSync(w)
    .filter((d) => d.startsWith('offline-run-'))
    .map((d) => join(w, d))
}

/** Runs the `wandb` CLI of the venv (e.g. `wandb sync DIR`) with the chosen service, in `dir`. */
export async function runWandbCli(args: string[], o: {core: CoreKind; backend?: Backend; dir: string; timeoutMs?: number}): Promise<ScenarioRun> {
  const python = requirePython()
  const env: Record<string, string> = {...stripWandbEnv(process.env), ...isolatedEnv(o.dir, o.backend)}
  if (o.core === 'nexus') env.PYTHONPATH = nexusOverlay()
  const proc = Bun.spawn([python, '-m', 'wandb', ...args], {cwd: o.dir, env, stdin: 'ignore', stdout: 'pipe', stderr: 'pipe'})
  const timer = setTimeout(() => proc.kill('SIGKILL'), o.timeoutMs ?? 120_000)
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited])
  clearTimeout(timer)
  return {code, stdout, stderr, dir: o.dir}
}

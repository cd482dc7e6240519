/**
 * Runs the real wandb SDK / CLI (.venv, with its bundled Go wandb-core) against a backend, fully
 * isolated from the real home directory: every process gets its own HOME, WANDB_CONFIG_DIR,
 * WANDB_CACHE_DIR, WANDB_DATA_DIR, WANDB_DIR and working directory inside one temporary folder,
 * and any WANDB_* variable of the test process is dropped.
 */
import {cpSync, mkdirSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {runPython, type PyResult, PYTHON} from '../helpers/python.ts'

/** The folder with the Python scenario scripts. */
export const SCENARIOS = join(import.meta.dir, 'scenarios')

/** Retry waits of 1–2 s instead of 2–60 s, so fault tests finish quickly. */
export const FAST_RETRIES: Record<string, string> = {
  WANDB__GRAPHQL_RETRY_WAIT_MIN_SECONDS: '1',
  WANDB__GRAPHQL_RETRY_WAIT_MAX_SECONDS: '2',
  WANDB__FILE_STREAM_RETRY_WAIT_MIN_SECONDS: '1',
  WANDB__FILE_STREAM_RETRY_WAIT_MAX_SECONDS: '2',
  WANDB__FILE_TRANSFER_RETRY_WAIT_MIN_SECONDS: '1',
  WANDB__FILE_TRANSFER_RETRY_WAIT_MAX_SECONDS: '2',
}

/** One isolated client environment. `dispose()` deletes its folder. */
export class SdkSandbox {
  readonly dir: string
  readonly env: Record<string, string | undefined>

  /** Creates the folder; `extraEnv` is added to (and may override) the isolation variables. */
  constructor(backend: {url: string; apiKey: string} | null, extraEnv: Record<string, string> = {}) {
    this.dir = mkdtempSync(join(tmpdir(), 'nexus-backend-'))
    const env: Record<string, string | undefined> = {}
    for (const k of Object.keys(process.env)) if (k.startsWith('WANDB_')) env[k] = undefined
    Object.assign(env, {
      HOME: this.dir,
      WANDB_CONFIG_DIR: join(this.dir, 'config'),
      WANDB_CACHE_DIR: join(this.dir, 'cache'),
      WANDB_DATA_DIR: join(this.dir, 'data'),
      WANDB_DIR: this.dir,
      // the sweep agent starts `/usr/bin/env python …`, which must be the venv's interpreter
      PATH: `${dirname(PYTHON)}:${process.env.PATH ?? ''}`,
      VIRTUAL_ENV: dirname(dirname(PYTHON)),
    })
    if (backend) Object.assign(env, {WANDB_BASE_URL: backend.url, WANDB_API_KEY: backend.apiKey})
    Object.assign(env, extraEnv)
    this.env = env
  }

  /** A path inside the sandbox (parent folders created). */
  path(...parts: string[]): string {
    const p = join(this.dir, ...parts)
    mkdirSync(dirname(p), {recursive: true})
    return p
  }

  /** Copies a scenario file into the sandbox and returns its new path. */
  copyScenario(name: string): string {
    const target = this.path(name)
    cpSync(join(SCENARIOS, name), target)
    return target
  }

  /** Runs a Python script from scenarios/ with `args`, cwd = the sandbox. */
  script(name: string, args: string[], opts: {env?: Record<string, string>; timeoutMs?: number} = {}): Promise<PyResult> {
    return runPython([join(SCENARIOS, name), ...args], {cwd: this.dir, env: {...this.env, ...opts.env}, timeoutMs: opts.timeoutMs ?? 120_000})
  }

  /** Runs the wandb CLI (`python -m wandb …`), cwd = the sandbox unless given. */
  cli(args: string[], opts: {env?: Record<string, string>; timeoutMs?: number; cwd?: string} = {}): Promise<PyResult> {
    return runPython(['-m', 'wandb', ...args], {cwd: opts.cwd ?? this.dir, env: {...this.env, ...opts.env}, timeoutMs: opts.timeoutMs ?? 120_000})
  }

  /** Deletes the sandbox folder. Idempotent. */
  dispose(): void {
    rmSync(this.dir, {recursive: true, force: true})
  }
}

/** Throws with the process output when a client process failed. */
export function expectSuccess(what: string, r: PyResult): void {
  if (r.code !== 0) throw new Error(`${what} exited with ${r.code}\n--- stdout ---\n${r.stdout.slice(-6000)}\n--- stderr ---\n${r.stderr.slice(-6000)}`)
}

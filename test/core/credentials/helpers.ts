/**
 * Test helpers for the credentials engine: isolated homes and the real SDK as an oracle.
 */
import {mkdirSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {runPython} from '../../helpers/python.ts'

const ORACLE = join(import.meta.dir, 'sdk_oracle.py')

/** Runs one batch through sdk_oracle.py (the real SDK and CPython); fails the test on any Python error. */
export async function oracle<T>(command: string, cases: unknown[]): Promise<T[]> {
  const env: Record<string, string | undefined> = {}
  for (const k of Object.keys(process.env)) if (k.startsWith('WANDB_')) env[k] = undefined
  const r = await runPython([ORACLE, command], {stdin: JSON.stringify(cases), timeoutMs: 60_000, env: {...env, WANDB_SILENT: 'true'}})
  if (r.code !== 0) throw new Error(`sdk_oracle.py ${command} exited ${r.code}: ${r.stderr.slice(-3000)}`)
  return JSON.parse(r.stdout) as T[]
}

/** A temporary home: HOME, config dir and workspace inside one folder; `env` has nothing else. */
export class TempHome {
  readonly dir: string
  readonly home: string
  readonly work: string
  readonly configDir: string
  readonly env: Record<string, string | undefined>

  constructor(extraEnv: Record<string, string> = {}) {
    this.dir = mkdtempSync(join(tmpdir(), 'nexus-creds-'))
    this.home = join(this.dir, 'home')
    this.work = join(this.dir, 'work')
    this.configDir = join(this.dir, 'config')
    mkdirSync(this.home)
    mkdirSync(this.work)
    this.env = {HOME: this.home, WANDB_CONFIG_DIR: this.configDir, ...extraEnv}
  }

  /** The engine's Environment for this home (cwd = the workspace). */
  get ctx(): {env: Record<string, string | undefined>; cwd: string; platform: NodeJS.Platform} {
    return {env: this.env, cwd: this.work, platform: 'linux'}
  }

  /** An environment for child processes: the parent's without any WANDB_*, isolated to this folder. */
  processEnv(extra: Record<string, string> = {}): Record<string, string | undefined> {
    const env: Record<string, string | undefined> = {}
    for (const k of Object.keys(process.env)) if (k.startsWith('WANDB_') || k === 'NETRC') env[k] = undefined
    return {
      ...env,
      HOME: this.home,
      WANDB_CONFIG_DIR: this.configDir,
      WANDB_CACHE_DIR: join(this.dir, 'cache'),
      WANDB_DATA_DIR: join(this.dir, 'data'),
      WANDB_DIR: this.work,
      NO_COLOR: '1',
      ...extra,
    }
  }

  path(...parts: string[]): string {
    return join(this.dir, ...parts)
  }

  dispose(): void {
    rmSync(this.dir, {recursive: true, force: true})
  }

  [Symbol.dispose](): void {
    this.dispose()
  }
}

/** A key the local backend accepts (≥ 40 characters), distinct per `n`. */
export function testKey(n = 0, length = 40): string {
  return `k${n}`.padEnd(length, 'x')
}

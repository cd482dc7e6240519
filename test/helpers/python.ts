/**
 * The project's Python environment (.venv with the real wandb SDK), for tests that use the real
 * clients. Tests that need it call `requirePython()`: without the venv they fail with the command
 * that creates it, never skip silently.
 */
import {existsSync, readdirSync} from 'node:fs'
import {join} from 'node:path'

export const REPO_ROOT = join(import.meta.dir, '..', '..')
export const VENV = join(REPO_ROOT, '.venv')
export const PYTHON = join(VENV, 'bin', 'python')

/** Path of the Python interpreter in .venv; throws with the setup command if it is missing. */
export function requirePython(): string {
  if (!existsSync(PYTHON)) {
    throw new Error(`the Python test environment is missing (${PYTHON}); create it with: bash scripts/setup-python.sh`)
  }
  return PYTHON
}

/** site-packages of .venv (where the wandb package, and its bin/wandb-core, live). */
export function sitePackages(): string {
  const lib = join(VENV, 'lib')
  const py = readdirSync(lib).find((d) => d.startsWith('python'))
  if (!py) throw new Error(`no python* directory under ${lib}`)
  return join(lib, py, 'site-packages')
}

/** The real Go wandb-core shipped in the wandb wheel. */
export function goCorePath(): string {
  return join(sitePackages(), 'wandb', 'bin', 'wandb-core')
}

export interface PyResult {
  code: number
  stdout: string
  stderr: string
}

/** Runs a Python script (file path or `-c` code) with .venv's interpreter. */
export async function runPython(args: string[], options: {cwd?: string; env?: Record<string, string | undefined>; stdin?: string; timeoutMs?: number} = {}): Promise<PyResult> {
  const python = requirePython()
  const proc = Bun.spawn([python, ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    env: {...process.env, PYTHONUNBUFFERED: '1', ...options.env} as Record<string, string>,
    stdin: options.stdin === undefined ? 'ignore' : new TextEncoder().encode(options.stdin),
    stdout: 'pipe',
    stderr: 'pipe',
  })
  const timer = options.timeoutMs ? setTimeout(() => proc.kill('SIGKILL'), options.timeoutMs) : undefined
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited])
  if (timer) clearTimeout(timer)
  return {code, stdout, stderr}
}

/**
 * The compiled nexus binaries under dist/ (built by `bun run build`; `bun run test` builds them
 * first). Tests of the binary fail with the build command when it is missing.
 */
import {existsSync} from 'node:fs'
import {join} from 'node:path'
import {REPO_ROOT} from './python.ts'

export const DIST = join(REPO_ROOT, 'dist')

/** dist/ path of the binary for this machine; throws with the build command if it is missing. */
export function hostBinary(): string {
  const os = process.platform === 'win32' ? 'windows' : process.platform
  const path = join(DIST, `nexus-${os}-${process.arch}${os === 'windows' ? '.exe' : ''}`)
  if (!existsSync(path)) throw new Error(`${path} is missing; build it with: bun run build`)
  return path
}

export interface RunResult {
  code: number
  stdout: string
  stderr: string
}

/** Runs a command to completion and captures its output. */
export async function run(cmd: string[], options: {cwd?: string; env?: Record<string, string | undefined>} = {}): Promise<RunResult> {
  const proc = Bun.spawn(cmd, {
    cwd: options.cwd ?? REPO_ROOT,
    env: {...process.env, NO_COLOR: '1', ...options.env} as Record<string, string>,
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
  })
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited])
  return {code, stdout, stderr}
}

import {chmodSync, copyFileSync, existsSync, renameSync, rmSync} from 'node:fs'
import {basename, join} from 'node:path'
import {UserFacingError} from '../errors.ts'

/** The outcome of an install or uninstall, for the command to print. */
export interface InstallResult {
  wandbDir: string
  core: string
  original: string
  action: 'installed' | 'updated' | 'restored'
}

const CORE = process.platform === 'win32' ? 'wandb-core.exe' : 'wandb-core'
const ORIGINAL = process.platform === 'win32' ? 'wandb-core.orig.exe' : 'wandb-core.orig'

/** Finds the wandb package directory of `python` (throws a UserFacingError when there is none). */
export async function findWandbPackage(python: string): Promise<string> {
  let proc
  try {
    proc = Bun.spawn([python, '-c', 'import os, wandb; print(os.path.dirname(wandb.__file__)); print(wandb.__version__)'], {stdout: 'pipe', stderr: 'pipe'})
  } catch (err) {
    throw new UserFacingError(`install: cannot run ${python}`, `Cannot run ${python}: ${(err as Error).message}`, {cause: err, exitCode: 8})
  }
  const [out, errText, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited])
  if (code !== 0) {
    throw new UserFacingError(
      `install: wandb not importable with ${python}`,
      `${python} cannot import wandb (exit ${code}). Install it first (pip install wandb).\n${errText.trim().split('\n').pop() ?? ''}`,
      {exitCode: 8},
    )
  }
  const [dir] = out.trim().split('\n')
  if (!dir || !existsSync(join(dir, 'bin'))) throw new UserFacingError('install: no wandb/bin', `The wandb package at ${dir} has no bin/ directory.`, {exitCode: 8})
  return dir
}

/**
 * Puts `binary` (this nexus) in place of `<wandb>/bin/wandb-core`, keeping the original beside it
 * as wandb-core.orig (once: a second install only replaces the nexus copy). The copy is checked by
 * running it before the original is moved aside, so a broken binary never replaces a working core.
 */
export async function installAsWandbCore(wandbDir: string, binary: string): Promise<InstallResult> {
  const core = join(wandbDir, 'bin', CORE)
  const original = join(wandbDir, 'bin', ORIGINAL)
  if (!isCompiledNexus(binary)) {
    throw new UserFacingError('install: not a compiled binary', 'Run `service install` from the compiled nexus binary (dist/nexus-<os>-<arch>), not through bun.', {exitCode: 2})
  }
  const staged = `${core}.nexus-new`
  copyFileSync(binary, staged)
  chmodSync(staged, 0o755)
  const check = Bun.spawn([staged, '--version'], {stdout: 'pipe', stderr: 'pipe'})
  const version = await new Response(check.stdout).text()
  if ((await check.exited) !== 0 || !version.startsWith('nexus/')) {
    rmSync(staged, {force: true})
    throw new UserFacingError('install: copy does not run', `The copied binary does not run in ${wandbDir}/bin; nothing was changed.`, {exitCode: 1})
  }
  let action: InstallResult['action'] = 'updated'
  if (!existsSync(original)) {
    if (!existsSync(core)) {
      rmSync(staged, {force: true})
      throw new UserFacingError('install: no wandb-core', `${core} does not exist; is this a wandb installation with a bundled core?`, {exitCode: 8})
    }
    renameSync(core, original)
    action = 'installed'
  }
  renameSync(staged, core)
  return {wandbDir, core, original, action}
}

/** Restores wandb-core.orig as wandb-core. */
export function uninstallFromWandb(wandbDir: string): InstallResult {
  const core = join(wandbDir, 'bin', CORE)
  const original = join(wandbDir, 'bin', ORIGINAL)
  if (!existsSync(original)) {
    throw new UserFacingError('install: nothing to restore', `nexus is not installed in ${wandbDir} (no ${basename(original)} to restore).`, {exitCode: 1})
  }
  renameSync(original, core)
  return {wandbDir, core, original, action: 'restored'}
}

/** False when we run as sources under the bun runtime (execPath is bun itself, not nexus). */
function isCompiledNexus(path: string): boolean {
  return !/^bun(\.exe)?$/.test(basename(path))
}

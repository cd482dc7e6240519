/**
 * Hands a `wandb-core leet …` call nexus does not serve itself to the original Go core, with the
 * same arguments, stdio and exit code. The original is `wandb-core.orig` beside the running binary
 * (where `nexus service install` keeps it), else $NEXUS_WANDB_CORE (set by the nexus-wandb pip
 * package) when that is not nexus itself.
 */
import {existsSync, realpathSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {ExitCode} from '../../core/exit-codes.ts'

export type OriginalCore = {found: true; path: string} | {found: false; tried: string[]}

function sameFile(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b)
  } catch {
    return false
  }
}

/** Where the original core is, or what was looked at. */
export function findOriginalCore(execPath: string, env: Record<string, string | undefined>): OriginalCore {
  const beside = join(dirname(execPath), process.platform === 'win32' ? 'wandb-core.orig.exe' : 'wandb-core.orig')
  if (existsSync(beside)) return {found: true, path: beside}
  const tried = [beside]
  const fromEnv = env.NEXUS_WANDB_CORE
  if (!fromEnv) tried.push('$NEXUS_WANDB_CORE (not set)')
  else if (!existsSync(fromEnv)) tried.push(`$NEXUS_WANDB_CORE=${fromEnv} (no such file)`)
  else if (sameFile(fromEnv, execPath)) tried.push(`$NEXUS_WANDB_CORE=${fromEnv} (nexus itself)`)
  else return {found: true, path: fromEnv}
  return {found: false, tried}
}

/** The text for a call no original core can take. */
export function noOriginalText(what: string, tried: string[]): string {
  return `nexus: \`wandb-core ${what}\` needs the original Go wandb-core, which was not found (tried ${tried.join(', ')}). Reinstall with \`nexus service install\` or set NEXUS_WANDB_CORE to its path.`
}

/** Runs the original core with `args`, sharing stdio; resolves to its exit code (128+n for signal n). */
export async function runOriginalCore(path: string, args: string[]): Promise<number> {
  const child = Bun.spawn([path, ...args], {stdin: 'inherit', stdout: 'inherit', stderr: 'inherit', env: process.env})
  const forward = (signal: NodeJS.Signals) => child.kill(signal)
  process.on('SIGINT', forward)
  process.on('SIGTERM', forward)
  try {
    const code = await child.exited
    return child.signalCode ? 128 + (signalNumber(String(child.signalCode)) ?? 0) : code
  } finally {
    process.off('SIGINT', forward)
    process.off('SIGTERM', forward)
  }
}

function signalNumber(name: string): number | undefined {
  return ({SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGTERM: 15} as Record<string, number>)[name]
}

/** Delegates `leet <args>`; with no original core, prints why and returns NOT_IMPLEMENTED (3). */
export async function delegateLeet(args: string[], execPath = process.execPath, env = process.env): Promise<number> {
  const original = findOriginalCore(execPath, env)
  if (!original.found) {
    process.stderr.write(`${noOriginalText(`leet ${args[0] ?? ''}`.trim(), original.tried)}\n`)
    return ExitCode.NOT_IMPLEMENTED
  }
  return runOriginalCore(original.path, ['leet', ...args])
}

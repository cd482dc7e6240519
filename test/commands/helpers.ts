/**
 * Running the compiled nexus binary (and the real wandb CLI) in an isolated home for the command
 * tests: every WANDB_* variable of the test process is dropped, HOME and the W&B folders point
 * into a temporary directory.
 */
import {join} from 'node:path'
import {hostBinary} from '../helpers/binary.ts'
import {runPython, type PyResult} from '../helpers/python.ts'
import type {TempHome} from '../core/credentials/helpers.ts'

export interface CommandResult {
  code: number
  stdout: string
  stderr: string
  /** stdout and stderr together, oclif's line wrapping undone (for message checks). */
  text: string
}

/** Runs `nexus ARGS` (the compiled binary) in `home`'s workspace; `stdin` is piped in when given. */
export async function nexus(home: TempHome, args: string[], o: {stdin?: string; env?: Record<string, string>} = {}): Promise<CommandResult> {
  const proc = Bun.spawn([hostBinary(), ...args], {
    cwd: home.work,
    env: home.processEnv(o.env) as Record<string, string>,
    stdin: o.stdin === undefined ? 'ignore' : new TextEncoder().encode(o.stdin),
    stdout: 'pipe',
    stderr: 'pipe',
  })
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited])
  return {code, stdout, stderr, text: unwrap(`${stdout}\n${stderr}`)}
}

/** Runs the real `wandb ARGS` CLI (.venv) in `home`'s workspace. */
export function wandbCli(home: TempHome, args: string[], o: {env?: Record<string, string>; cwd?: string} = {}): Promise<PyResult> {
  return runPython(['-m', 'wandb', ...args], {cwd: o.cwd ?? home.work, env: home.processEnv(o.env), timeoutMs: 120_000})
}

/** Runs Python code with the real SDK in `home`'s workspace. */
export function python(home: TempHome, code: string, o: {env?: Record<string, string>} = {}): Promise<PyResult> {
  return runPython(['-c', code], {cwd: home.work, env: home.processEnv(o.env), timeoutMs: 180_000})
}

/** Runs `nexus ARGS` on a pseudo-terminal, typing `answer` at the prompt containing `prompt`. */
export function nexusOnTerminal(home: TempHome, args: string[], prompt: string, answer: string): Promise<PyResult> {
  return runPython([join(import.meta.dir, 'pty_drive.py'), prompt, answer, hostBinary(), ...args], {cwd: home.work, env: home.processEnv(), timeoutMs: 90_000})
}

/** Joins oclif's wrapped error lines (" ›   ") back into one line of text. */
function unwrap(text: string): string {
  return text.replace(/\s*\n\s*›\s*/g, ' ').replace(/\s+/g, ' ')
}

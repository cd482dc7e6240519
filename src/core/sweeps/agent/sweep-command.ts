/**
 * The command line of a trial, as wandb 0.31's agent builds it (sweeps/utils.py
 * `create_sweep_command`, `create_sweep_command_args` and `_command_run`): the sweep's `command`
 * list (default `${env} ${interpreter} ${program} ${args}`), `${envvar:NAME}` expanded inside any
 * item, and every item that is a whole `${macro}` replaced by the macro's words (an unknown
 * macro by none).
 */
import type {PyValue} from '../py-value.ts'
import {dumpPyJson} from './py-json.ts'
import {pyStr} from './py-str.ts'

type Env = Readonly<Record<string, string | undefined>>

/** The command of a sweep without one. */
export const DEFAULT_SWEEP_COMMAND: readonly string[] = ['${env}', '${interpreter}', '${program}', '${args}']

const ENV_VAR = /\$\{envvar:([A-Z0-9_]*)\}/g

/**
 * The sweep's command with `${envvar:NAME}` replaced by NAME's value (or by NAME itself when it is
 * not set), in string items only. A missing, empty or non-list `command` gives the default.
 */
export function expandEnvVars(command: PyValue | undefined, env: Env): PyValue[] {
  const items: PyValue[] = Array.isArray(command) && command.length > 0 ? command : [...DEFAULT_SWEEP_COMMAND]
  return items.map((item) => (typeof item === 'string' ? item.replace(ENV_VAR, (_, name: string) => env[name] ?? name) : item))
}

/** The words each `${macro}` stands for, from a run command's parameters (create_sweep_command_args). */
export function macroWords(args: ReadonlyMap<string, PyValue>): Record<string, string[]> {
  const words: Record<string, string[]> = {
    args: [],
    args_no_equals: [],
    args_no_hyphens: [],
    args_no_boolean_flags: [],
    args_append_hydra: [],
    args_override_hydra: [],
  }
  for (const [param, value] of args) {
    const flag = `${param}=${pyStr(value)}`
    words.args.push(`--${flag}`)
    words.args_no_hyphens.push(flag)
    words.args_no_equals.push(`--${param}`, pyStr(value))
    words.args_append_hydra.push(`+${flag}`)
    words.args_override_hydra.push(`++${flag}`)
    if (typeof value === 'boolean') {
      if (value) words.args_no_boolean_flags.push(`--${param}`)
    } else {
      words.args_no_boolean_flags.push(`--${flag}`)
    }
  }
  words.args_json = [dumpPyJson(new Map(args))]
  // wandb extends the command list by the dict itself, which adds its keys
  words.args_dict = [...args.keys()]
  return words
}

/** What `${interpreter}`, `${program}`, `${env}` and `${args_json_file}` stand for. */
export interface CommandContext {
  program: string
  /** The path of the trial's JSON parameter file. */
  argsJsonFile: string
  platform: NodeJS.Platform
}

/**
 * The trial's argv: each item of the (env-expanded) command as Python's `str`, a whole-item
 * `${macro}` replaced by its words. `${interpreter}` is `python` (found on PATH by
 * `/usr/bin/env`), `${env}` is `/usr/bin/env` (nothing on Windows).
 */
export function buildCommandLine(command: readonly PyValue[], args: ReadonlyMap<string, PyValue>, ctx: CommandContext): string[] {
  const words: Record<string, string[]> = {
    ...macroWords(args),
    interpreter: ['python'],
    program: [ctx.program],
    args_json_file: [ctx.argsJsonFile],
    ...(ctx.platform === 'win32' ? {} : {env: ['/usr/bin/env']}),
  }
  const out: string[] = []
  for (const item of command) {
    const text = pyStr(item)
    if (text.startsWith('${') && text.endsWith('}')) out.push(...(Object.hasOwn(words, text.slice(2, -1)) ? words[text.slice(2, -1)] : []))
    else out.push(text)
  }
  return out
}

/** Whether the command uses `${args_json_file}` (then the agent writes the JSON file). */
export function usesArgsJsonFile(command: readonly PyValue[]): boolean {
  return command.some((item) => item === '${args_json_file}')
}

/** wandb's "About to run command" text: words with a space in double quotes. */
export function commandText(argv: readonly string[]): string {
  return argv.map((w) => (w.includes(' ') ? `"${w}"` : w)).join(' ')
}

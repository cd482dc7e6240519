/**
 * Starting one trial for a `run` (or `resume`) command as wandb 0.31's `_command_run` does: the
 * parameter file (WANDB_SWEEP_PARAM_PATH), the JSON file when the command wants one, the
 * environment (the agent's, plus WANDB_RUN_ID and WANDB_SWEEP_PARAM_PATH, minus WANDB_SERVICE,
 * plus the source's extra variables), and the command line from the sweep's `command`.
 */
import {isDict, type PyDict, type PyValue} from '../py-value.ts'
import {pyReprValue, pyStr} from './py-str.ts'
import {toPyValue} from './py-json.ts'
import {buildCommandLine, commandText, expandEnvVars, usesArgsJsonFile, macroWords} from './sweep-command.ts'
import {paramFileText, trialFilePaths, writeTrialFile} from './trial-files.ts'
import type {SpawnTrial, TrialProcess} from './trial-process.ts'
import type {AgentArgs, AgentOutput} from './types.ts'

/** Why a trial could not be started (logged as wandb logs a failed command). */
export class TrialStartError extends Error {
  override name = 'TrialStartError'
}

/** What the launcher needs. */
export interface TrialLauncherDeps {
  sweepId: string
  /** The sweep config's `command` (undefined: the default command; PyValues or plain JSON values). */
  command: unknown
  /** The agent's environment; WANDB_RUN_ID and WANDB_SWEEP_PARAM_PATH are set in it per trial, as wandb sets os.environ. */
  env: Record<string, string | undefined>
  cwd: string
  platform: NodeJS.Platform
  spawn: SpawnTrial
  out: AgentOutput
  trialEnv: (runId: string) => Record<string, string>
}

/** A name the server chose that is safe as part of a file name (no separators, not "." or ".."). */
export function isSafeName(name: string): boolean {
  return name.length > 0 && !/[/\\\0]/.test(name) && name !== '.' && name !== '..'
}

/** Starts trials. One per agent. */
export class TrialLauncher {
  #command: PyValue[] | undefined

  constructor(readonly deps: TrialLauncherDeps) {}

  /**
   * Starts the trial `runId`; throws TrialStartError (bad run id, no program, a macro that cannot
   * be built) or the spawner's error (a program that cannot be started).
   */
  launch(runId: string, program: string | null, rawArgs: AgentArgs): TrialProcess {
    const d = this.deps
    if (!isSafeName(runId)) throw new TrialStartError(`refusing run id ${JSON.stringify(runId)}: it is not a plain file name`)
    const args = pyArgs(rawArgs)
    d.out.log('INFO', `Agent starting run with config:\n${[...args].map(([k, v]) => `\t${k}: ${pyStr(v)}`).join('\n')}`)
    // wandb expands ${envvar:…} once, at the first run, in the environment of that moment
    this.#command ??= expandEnvVars(d.command === undefined ? undefined : toPyValue(d.command), d.env)
    const paths = trialFilePaths(d.env.WANDB_DIR, d.sweepId, runId)
    d.env.WANDB_RUN_ID = runId
    d.env.WANDB_SWEEP_PARAM_PATH = paths.yaml
    writeTrialFile(d.cwd, paths.yaml, paramFileText(rawArgsDict(rawArgs)))
    const env: Record<string, string> = {}
    for (const [k, v] of Object.entries(d.env)) if (v !== undefined && k !== 'WANDB_SERVICE') env[k] = v
    Object.assign(env, d.trialEnv(runId))
    if (usesArgsJsonFile(this.#command)) writeTrialFile(d.cwd, paths.json, macroWords(args).args_json[0])
    if (program === null) throw new TrialStartError('the sweep has no program to run (set `program` in the sweep config)')
    const argv = buildCommandLine(this.#command, args, {program, argsJsonFile: paths.json, platform: d.platform})
    d.out.log('INFO', `About to run command: ${commandText(argv)}`)
    if (argv.length === 0) throw new TrialStartError('the sweep command is empty')
    return d.spawn(argv, {env, cwd: d.cwd})
  }
}

/** The parameters as Python values, `{name: value}`, in the command's order. */
function pyArgs(raw: AgentArgs): Map<string, PyValue> {
  const out = new Map<string, PyValue>()
  for (const [k, v] of Object.entries(raw)) {
    if (v === null || typeof v !== 'object' || !('value' in v)) throw new TrialStartError(`No "value" found for command["args"]["${k}"]`)
    out.set(k, toPyValue(v.value))
  }
  return out
}

/** The command's `args` as wandb writes them to the parameter file (each `{value: …}` mapping whole). */
function rawArgsDict(raw: AgentArgs): PyDict {
  const out: PyDict = new Map()
  for (const [k, v] of Object.entries(raw)) {
    const py = toPyValue(v)
    out.set(k, isDict(py) ? py : new Map([['value', py]]))
  }
  return out
}

/** Python's repr of a list of run ids ("['a', 'b']"). */
export function runIdList(ids: readonly string[]): string {
  return pyReprValue(ids.slice())
}

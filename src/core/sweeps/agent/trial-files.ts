/**
 * The files wandb's agent writes for a trial under `<WANDB_DIR>/wandb/sweep-<sweep>/`:
 * `config-<run>.yaml` (WANDB_SWEEP_PARAM_PATH, which wandb.init reads the parameters from) and,
 * when the command uses `${args_json_file}`, `config-<run>.json`.
 */
import {mkdirSync, writeFileSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import type {PyDict, PyValue} from '../py-value.ts'
import {dumpPyYaml} from '../yaml-dump.ts'

/** The trial files' paths as wandb names them (relative when WANDB_DIR is unset or relative). */
export function trialFilePaths(wandbDir: string | undefined, sweepId: string, runId: string): {yaml: string; json: string} {
  const dir = join('wandb', `sweep-${sweepId}`)
  const base = wandbDir ?? ''
  return {yaml: join(base, dir, `config-${runId}.yaml`), json: join(base, dir, `config-${runId}.json`)}
}

/**
 * config_util.save_config_file_from_dict: "wandb_version: 1", then (for a non-empty dict) a blank
 * line and the dict as YAML in its own key order. Each top-level key is dumped on its own so
 * that order holds (dumpPyYaml sorts keys, as `wandb sweep` needs).
 */
export function paramFileText(args: PyDict): string {
  if (args.size === 0) return 'wandb_version: 1'
  return `wandb_version: 1\n\n${[...args].map(([k, v]) => dumpPyYaml(new Map<string, PyValue>([[k, v]]))).join('')}`
}

/** Writes `text` at `path` (relative to `cwd`), creating its folders. */
export function writeTrialFile(cwd: string, path: string, text: string): void {
  const full = resolve(cwd, path)
  mkdirSync(dirname(full), {recursive: true})
  writeFileSync(full, text)
}

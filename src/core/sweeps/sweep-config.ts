/**
 * The sweep config file, as `wandb sweep` 0.31 reads and prepares it before the upload:
 * `load_sweep_config` (yaml.safe_load; unreadable, malformed and empty files are errors), the
 * CLI's overrides (--name, --program, --controller), `_validate_config_and_fill_distribution`
 * (min/max without a distribution become int_uniform or uniform, mixed bounds are an error), and
 * the YAML text it uploads. Where wandb 0.31 crashes with a Python traceback (a config that is a
 * list or a number, a parameter that is a number), this raises a SweepConfigError naming the
 * problem instead.
 */
import {readFileSync} from 'node:fs'
import {SweepConfigError, SweepFileError} from './errors.ts'
import {deepCopy, isDict, isPyInt, isTruthy, PyFloat, type PyDict, type PyValue} from './py-value.ts'
import {dumpPyYaml} from './yaml-dump.ts'
import {loadPyYaml, YamlLoadError} from './yaml-load.ts'

/**
 * The search methods the sweep config schema allows (wandb/sweeps config/schema.json: `method`
 * is required; "custom" is for scheduler sweeps run with optuna or ax).
 */
export const SWEEP_METHODS = ['bayes', 'random', 'grid', 'custom'] as const

/**
 * Reads and parses a sweep config file. Throws SweepFileError when it cannot be read and
 * SweepConfigError for malformed YAML ("Error in configuration file: …"), an empty document
 * ("Configuration file is empty", also for `{}` and other false values, as in Python), or a
 * document that is not a mapping.
 */
export function loadSweepConfig(path: string): PyDict {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    throw new SweepFileError(path, err)
  }
  return parseSweepConfig(text)
}

/** parseSweepConfig's work on text already read (see loadSweepConfig). */
export function parseSweepConfig(text: string): PyDict {
  let config: PyValue
  try {
    config = loadPyYaml(text)
  } catch (err) {
    if (err instanceof YamlLoadError) throw new SweepConfigError(`Error in configuration file: ${err.message}`, {cause: err})
    throw err
  }
  if (!isTruthy(config)) throw new SweepConfigError('Configuration file is empty')
  if (!isDict(config)) throw new SweepConfigError(`The sweep configuration must be a mapping of settings (method, parameters, …), not ${describe(config)}.`)
  return config
}

/** What the CLI flags change in the config before it is validated (cli.py `sweep`). */
export interface ConfigOverrides {
  /** --name: the sweep's display name (config `name`). */
  name?: string
  /** --program: the training script (config `program`). */
  program?: string
  /** --controller: `controller.type = local`. */
  controller?: boolean
}

/** Applies the CLI's overrides in place, as wandb does (`controller` is created when missing). */
export function applyOverrides(config: PyDict, o: ConfigOverrides): void {
  if (o.name) config.set('name', o.name)
  if (o.program) config.set('program', o.program)
  if (o.controller) {
    if (!config.has('controller')) config.set('controller', new Map())
    const controller = config.get('controller')
    if (!isDict(controller)) throw new SweepConfigError(`The sweep config's controller must be a mapping (like {type: local}), not ${describe(controller ?? null)}.`)
    controller.set('type', 'local')
  }
}

/** True when the config asks for a local controller (`controller: {type: local}`). */
export function wantsLocalController(config: PyDict): boolean {
  const controller = config.get('controller')
  if (controller === undefined) return false
  if (!isDict(controller)) throw new SweepConfigError(`The sweep config's controller must be a mapping (like {type: local}), not ${describe(controller)}.`)
  return controller.get('type') === 'local'
}

/**
 * Checks what nothing can run without: `method` must be one of SWEEP_METHODS (wandb 0.31 leaves
 * this to the server, which refuses the sweep; nexus says so before sending anything).
 */
export function checkMethod(config: PyDict): void {
  const method = config.get('method')
  if (method === undefined || method === null) {
    throw new SweepConfigError(`The sweep config has no method; add one of: ${SWEEP_METHODS.join(', ')} (for example \`method: random\`).`)
  }
  if (typeof method !== 'string' || !(SWEEP_METHODS as readonly string[]).includes(method)) {
    const what = typeof method === 'string' ? JSON.stringify(method) : describe(method)
    throw new SweepConfigError(`The sweep config's method ${what} is not one of: ${SWEEP_METHODS.join(', ')}.`)
  }
}

/**
 * `_validate_config_and_fill_distribution`: a copy of the config in which every parameter with
 * `min` and `max` but no `distribution` gets "int_uniform" (both ints) or "uniform" (both
 * floats). Mixed bounds raise SweepConfigError with wandb's message. A parameters value that
 * Python cannot walk (a number, None…) raises SweepConfigError where wandb crashes.
 */
export function fillDistributions(config: PyDict): PyDict {
  const out = deepCopy(config)
  if (!out.has('parameters')) return out
  const parameters = out.get('parameters') as PyValue
  if (!isDict(parameters)) {
    if ((typeof parameters === 'string' || Array.isArray(parameters)) && !isTruthy(parameters)) return out
    throw new SweepConfigError(`The sweep config's parameters must be a mapping of parameter names to their settings, not ${describe(parameters)}.`)
  }
  for (const [name, parameter] of parameters) {
    if (!isDict(parameter)) {
      if (typeof parameter === 'string' || Array.isArray(parameter)) continue // wandb passes these on; the server judges them
      throw new SweepConfigError(`Parameter ${name} must be a mapping (like {values: [...]} or {min: 0, max: 1}), not ${describe(parameter)}.`)
    }
    if (!parameter.has('min') || !parameter.has('max') || parameter.has('distribution')) continue
    const min = parameter.get('min') as PyValue
    const max = parameter.get('max') as PyValue
    if (isPyInt(min) && isPyInt(max)) parameter.set('distribution', 'int_uniform')
    else if (min instanceof PyFloat && max instanceof PyFloat) parameter.set('distribution', 'uniform')
    else {
      throw new SweepConfigError(`Parameter ${name} is ambiguous, please specify bounds as both floats (for a float_uniform distribution) or ints (for an int_uniform distribution).`)
    }
  }
  return out
}

/** The YAML text wandb uploads for `config` (PyYAML's dump of the JSON round trip). */
export function configYaml(config: PyDict): string {
  return dumpPyYaml(config)
}

function describeScalar(v: PyValue): string {
  if (v === null) return 'None'
  if (typeof v === 'boolean') return v ? 'True' : 'False'
  if (v instanceof PyFloat) return String(v.value)
  if (Array.isArray(v) || v instanceof Map) return describe(v)
  return String(v)
}

/** A short phrase for the type of a value in messages ("a list", "the number 5"). */
function describe(v: PyValue): string {
  if (v === null) return 'empty (null)'
  if (typeof v === 'boolean') return `the boolean ${v}`
  if (typeof v === 'bigint' || v instanceof PyFloat) return `the number ${describeScalar(v)}`
  if (typeof v === 'string') return `the text ${JSON.stringify(v)}`
  if (Array.isArray(v)) return 'a list'
  return 'a mapping'
}

/**
 * Where a sweep lives: the `entity/project/sweep` paths the CLI accepts (sweep_utils.parse_sweep_id),
 * and the entity and project `wandb sweep` 0.31 creates a sweep in: the flag, then
 * WANDB_ENTITY / WANDB_PROJECT, then the config's `entity` / `project`, then the settings files,
 * and for the project finally the git repository name (util.auto_project_name) or
 * "uncategorized". An entity left open is filled in by the server (the viewer's default entity).
 */
import {basename, dirname, isAbsolute, join, relative, resolve, sep} from 'node:path'
import {SettingsFiles, resolveEnvironment, type Environment} from '../credentials/index.ts'
import {SweepConfigError, SweepIdError} from './errors.ts'
import {isTruthy, type PyDict} from './py-value.ts'

/** A parsed sweep path: the sweep's name (its id) and the entity and project when given. */
export interface SweepPath {
  entity?: string
  project?: string
  name: string
}

/**
 * parse_sweep_id: `sweep`, `project/sweep` or `entity/project/sweep` (empty parts count as not
 * given; an empty sweep part leaves the whole text as the id, as wandb does). Throws SweepIdError
 * for more than three parts.
 */
export function parseSweepPath(text: string): SweepPath {
  const parts = text.split('/')
  if (parts.length > 3) throw new SweepIdError(text)
  const name = parts[parts.length - 1] || text
  const project = parts.length >= 2 ? parts[parts.length - 2] || undefined : undefined
  const entity = parts.length === 3 ? parts[0] || undefined : undefined
  return {name, ...(entity ? {entity} : {}), ...(project ? {project} : {})}
}

/** The `entity` and `project` of the SDK's settings (WANDB_ENTITY / WANDB_PROJECT, then the settings files). */
export interface SettingsDefaults {
  entity?: string
  project?: string
}

/** WANDB_ENTITY / WANDB_PROJECT, else the settings files' `entity` / `project` (wandb.Api().settings). */
export function settingsDefaults(e: Environment & {files?: SettingsFiles} = {}): SettingsDefaults {
  const r = resolveEnvironment(e)
  const files = (e.files ?? SettingsFiles.load(r)).all()
  const pick = (envName: string, key: string) => r.env[envName] || files.get(key) || undefined
  const entity = pick('WANDB_ENTITY', 'entity')
  const project = pick('WANDB_PROJECT', 'project')
  return {...(entity ? {entity} : {}), ...(project ? {project} : {})}
}

/** Inputs of resolveDestination. */
export interface DestinationOptions extends Environment {
  /** --entity / --project. */
  entity?: string
  project?: string
  /** The settings defaults (else read from the environment and the settings files). */
  defaults?: SettingsDefaults
  /** Finds the git repository root of a directory (default: `git rev-parse --show-toplevel`). */
  gitRoot?: (cwd: string) => string | undefined
}

/** The entity (undefined: the server's default) and project a new sweep is created in. */
export function resolveDestination(config: PyDict, o: DestinationOptions = {}): {entity?: string; project: string} {
  const r = resolveEnvironment(o)
  const defaults = o.defaults ?? settingsDefaults(o)
  const entity = o.entity || r.env.WANDB_ENTITY || configText(config, 'entity') || defaults.entity || undefined
  const program = config.get('program')
  const project =
    o.project ||
    r.env.WANDB_PROJECT ||
    configText(config, 'project') ||
    defaults.project ||
    autoProjectName(typeof program === 'string' ? program : undefined, r.cwd, o.gitRoot ?? ((cwd) => gitRoot(cwd, r.env)))
  return {...(entity ? {entity} : {}), project}
}

/** A config key that must be text when set (`entity`, `project`). */
function configText(config: PyDict, key: string): string | undefined {
  const v = config.get(key)
  if (v === undefined || !isTruthy(v)) return undefined
  if (typeof v !== 'string') throw new SweepConfigError(`The sweep config's ${key} must be text.`)
  return v
}

/**
 * util.auto_project_name: outside a git repository "uncategorized"; inside, the repository's
 * folder name, plus "-<path>" when `program` lies in a subfolder (path separators as "_").
 */
export function autoProjectName(program: string | undefined, cwd: string, findRoot: (cwd: string) => string | undefined): string {
  const root = findRoot(cwd)
  if (!root) return 'uncategorized'
  const repo = basename(root)
  if (program === undefined) return repo
  const prog = isAbsolute(program) ? program : join('.', program)
  const progDir = dirname(resolve(cwd, prog))
  if (!progDir.startsWith(root)) return repo
  const sub = relative(root, progDir) || '.'
  return (sub === '.' ? repo : `${repo}-${sub}`).replaceAll(sep, '_')
}

/** `git rev-parse --show-toplevel` in `cwd` as wandb runs it (GIT_DIR & co. removed), or undefined. */
export function gitRoot(cwd: string, env: Readonly<Record<string, string | undefined>> = process.env): string | undefined {
  const git = env.GIT_PYTHON_GIT_EXECUTABLE || 'git'
  const childEnv: Record<string, string> = {}
  for (const [k, v] of Object.entries(env)) if (v !== undefined && !['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE'].includes(k)) childEnv[k] = v
  try {
    const p = Bun.spawnSync([git, 'rev-parse', '--show-toplevel'], {cwd, env: childEnv, stdin: 'ignore', stdout: 'pipe', stderr: 'ignore'})
    if (p.exitCode !== 0) return undefined
    return p.stdout.toString().trim() || undefined
  } catch {
    return undefined
  }
}

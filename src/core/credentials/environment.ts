/**
 * What the credentials engine reads from the process: environment variables, the working
 * directory, the home directory and the platform. Every engine function takes an optional
 * `Environment` so tests (and the commands) can run it against an isolated one.
 */
import {homedir} from 'node:os'
import {join, resolve} from 'node:path'

/** Environment variables, as in process.env. */
export type Env = Readonly<Record<string, string | undefined>>

/** The process context of the engine; every field defaults to the current process's. */
export interface Environment {
  env?: Env
  /** The working directory (the workspace root unless WANDB_DIR is set). */
  cwd?: string
  /** 'win32' selects `_netrc` as the default netrc name. */
  platform?: NodeJS.Platform
}

/** An Environment with every field filled in. */
export interface ResolvedEnvironment {
  env: Env
  cwd: string
  platform: NodeJS.Platform
}

/** Fills in the defaults of `e` from the current process. */
export function resolveEnvironment(e: Environment = {}): ResolvedEnvironment {
  return {env: e.env ?? process.env, cwd: e.cwd ?? process.cwd(), platform: e.platform ?? process.platform}
}

/** A non-empty environment variable, else undefined (the SDK treats empty values as unset here). */
export function envValue(env: Env, name: string): string | undefined {
  const v = env[name]
  return v === undefined || v === '' ? undefined : v
}

/** The home directory as Python's expanduser sees it: HOME (USERPROFILE on Windows), else the OS's. */
export function homeDir(e: ResolvedEnvironment): string {
  const fromEnv = e.platform === 'win32' ? (envValue(e.env, 'USERPROFILE') ?? envValue(e.env, 'HOME')) : envValue(e.env, 'HOME')
  return fromEnv ?? homedir()
}

/** Python's `Path(p).expanduser()` for `~` and `~/…` (relative paths are resolved against cwd). */
export function expandUser(p: string, e: ResolvedEnvironment): string {
  if (p === '~') return homeDir(e)
  if (p.startsWith('~/') || (e.platform === 'win32' && p.startsWith('~\\'))) return join(homeDir(e), p.slice(2))
  return resolve(e.cwd, p)
}

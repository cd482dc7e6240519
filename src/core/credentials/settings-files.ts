/**
 * The two settings files the SDK reads (wandb/sdk/lib/settings_file.py): the global one
 * ($WANDB_CONFIG_DIR/settings, else ~/.config/wandb/settings) and the workspace one
 * (<root>/wandb/settings, or <root>/.wandb/settings when that folder exists; root = WANDB_DIR or
 * the working directory). Workspace values override global ones. Writes follow the SDK's
 * SettingsFiles: a global `set` also removes the key from the workspace file; only changed files
 * are written. Files are edited in place (see SettingsIni), and a malformed file is an error
 * naming its line, never silently overwritten.
 */
import {existsSync, mkdirSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {CredentialsFileError, SettingsFileSyntaxError} from './errors.ts'
import {envValue, expandUser, homeDir, resolveEnvironment, type Environment} from './environment.ts'
import {IniSyntaxError, SettingsIni} from './settings-ini.ts'
import {readTextIfExists, writeFileAtomic} from './text-files.ts'

/** $WANDB_CONFIG_DIR/settings, else ~/.config/wandb/settings (wandb_setup._load_settings). */
export function globalSettingsPath(e: Environment = {}): string {
  const r = resolveEnvironment(e)
  const dir = envValue(r.env, 'WANDB_CONFIG_DIR')
  return dir ? join(expandUser(dir, r), 'settings') : join(homeDir(r), '.config', 'wandb', 'settings')
}

/** <root>/wandb/settings or <root>/.wandb/settings (Settings.settings_workspace / wandb_dir). */
export function workspaceSettingsPath(e: Environment = {}): string {
  const r = resolveEnvironment(e)
  const root = resolve(r.cwd, r.env.WANDB_DIR ?? '')
  const flag = envValue(r.env, 'WANDB_USE_DOT_WANDB')?.toLowerCase()
  const useDot = flag === undefined ? existsSync(join(root, '.wandb')) : ['1', 'true', 'yes', 'on', 't', 'y'].includes(flag)
  return join(root, useDot ? '.wandb' : 'wandb', 'settings')
}

/** One change made to a settings file. `before`/`after` undefined = the key is absent. */
export interface SettingsChange {
  path: string
  key: string
  before: string | undefined
  after: string | undefined
}

/** One settings file, loaded (empty when missing), edited in memory, saved when changed. */
export class SettingsFile {
  readonly path: string
  readonly exists: boolean
  readonly #ini: SettingsIni
  #changes: SettingsChange[] = []

  private constructor(path: string, text: string | undefined) {
    this.path = path
    this.exists = text !== undefined
    try {
      this.#ini = new SettingsIni(text ?? '')
    } catch (err) {
      if (err instanceof IniSyntaxError) throw new SettingsFileSyntaxError(path, err.line, err.reason)
      throw err
    }
  }

  /** Reads and parses `path`; SettingsFileSyntaxError when malformed, CredentialsFileError when unreadable. */
  static load(path: string): SettingsFile {
    return new SettingsFile(path, readTextIfExists(path))
  }

  /** The file's `[default]` settings. */
  entries(): Map<string, string> {
    return this.#ini.entries()
  }

  get(key: string): string | undefined {
    return this.#ini.get(key)
  }

  set(key: string, value: string): void {
    const before = this.get(key)
    if (this.#ini.set(key, value)) this.#changes.push({path: this.path, key: key.toLowerCase(), before, after: value})
  }

  delete(key: string): void {
    const before = this.get(key)
    if (this.#ini.delete(key)) this.#changes.push({path: this.path, key: key.toLowerCase(), before, after: undefined})
  }

  /** The changes not yet saved. */
  get changes(): readonly SettingsChange[] {
    return this.#changes
  }

  /** Writes the file if anything changed (parent folders created); returns what was saved. */
  save(): SettingsChange[] {
    const saved = this.#changes
    if (saved.length === 0) return []
    try {
      mkdirSync(dirname(this.path), {recursive: true})
      writeFileAtomic(this.path, this.#ini.toString())
    } catch (err) {
      throw new CredentialsFileError('write', this.path, err)
    }
    this.#changes = []
    return saved
  }
}

/** The global and workspace settings files together, as the SDK's SettingsFiles. */
export class SettingsFiles {
  readonly global: SettingsFile
  readonly workspace: SettingsFile

  private constructor(global: SettingsFile, workspace: SettingsFile) {
    this.global = global
    this.workspace = workspace
  }

  /** Loads both files (a missing file is empty); throws SettingsFileSyntaxError / CredentialsFileError. */
  static load(e: Environment = {}): SettingsFiles {
    return new SettingsFiles(SettingsFile.load(globalSettingsPath(e)), SettingsFile.load(workspaceSettingsPath(e)))
  }

  /** The effective file settings: global, overridden by workspace. */
  all(): Map<string, string> {
    return new Map([...this.global.entries(), ...this.workspace.entries()])
  }

  /** Which file the effective value of `key` comes from, if any. */
  sourceOf(key: string): SettingsFile | undefined {
    if (this.workspace.get(key) !== undefined) return this.workspace
    if (this.global.get(key) !== undefined) return this.global
    return undefined
  }

  /** Sets `key` in the workspace file, or (globally) in the global file and removes it from the workspace one. */
  set(key: string, value: string, o: {globally?: boolean} = {}): void {
    if (!o.globally) return this.workspace.set(key, value)
    this.workspace.delete(key)
    this.global.set(key, value)
  }

  /** Removes `key` from the workspace file, and (globally) from the global file too. */
  clear(key: string, o: {globally?: boolean} = {}): void {
    this.workspace.delete(key)
    if (o.globally) this.global.delete(key)
  }

  /** Writes the changed files, workspace first like the SDK; returns every saved change. */
  save(): SettingsChange[] {
    return [...this.workspace.save(), ...this.global.save()]
  }
}

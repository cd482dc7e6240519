/**
 * `nexus offline` / `online` / `disabled` / `enabled`: the SDK's commands of the same names
 * (wandb/cli/cli.py), which change `mode` in the workspace settings file (./wandb/settings, the
 * file `wandb.init()` in this directory reads): offline → `mode = offline`, online → `mode`
 * removed, disabled → `mode = disabled`, enabled → `mode = online`. The file is written only when
 * the value changes. The report says what changed and what still overrides it.
 */
import {envValue, resolveEnvironment, type Environment} from './environment.ts'
import {describeSettingsChange} from './report.ts'
import {SettingsFile, globalSettingsPath, workspaceSettingsPath, type SettingsChange} from './settings-files.ts'

/** The four mode commands. */
export type ModeCommand = 'offline' | 'online' | 'disabled' | 'enabled'

/** The workspace `mode` each command leaves (undefined = removed). */
const TARGET: Record<ModeCommand, string | undefined> = {offline: 'offline', online: undefined, disabled: 'disabled', enabled: 'online'}

/** The SDK's message for each command. */
const HEADLINE: Record<ModeCommand, string> = {
  offline: 'W&B offline. Running your script from this directory will only write metadata locally. Use `nexus disabled` to completely turn off W&B.',
  online: 'W&B online. Running your script from this directory will now sync to the cloud.',
  disabled: 'W&B disabled.',
  enabled: 'W&B enabled.',
}

/** What a mode command did. */
export interface ModeResult {
  path: string
  before: string | undefined
  after: string | undefined
  /** The saved change, if the file was written. */
  change?: SettingsChange
  lines: string[]
}

/**
 * Applies `command` to the workspace settings file. Throws SettingsFileSyntaxError (file
 * untouched) for a malformed workspace file and CredentialsFileError when it cannot be written.
 */
export function setWorkspaceMode(command: ModeCommand, e: Environment = {}): ModeResult {
  const r = resolveEnvironment(e)
  const file = SettingsFile.load(workspaceSettingsPath(r))
  const before = file.get('mode')
  const after = TARGET[command]
  if (after === undefined) file.delete('mode')
  else file.set('mode', after)
  const [change] = file.save()
  const lines = [HEADLINE[command]]
  if (change) lines.push(describeSettingsChange(change))
  else lines.push(after === undefined ? `No change: ${file.path} sets no mode.` : `No change: mode is already ${after} in ${file.path}.`)
  lines.push(...overrides(r, after))
  return {path: file.path, before, after, change, lines}
}

/** Notes about settings that still win over (or fill in for) the workspace file's mode. */
function overrides(r: Environment, after: string | undefined): string[] {
  const notes: string[] = []
  const envMode = envValue(r.env ?? {}, 'WANDB_MODE')
  if (envMode && envMode !== (after ?? 'online')) notes.push(`Note: WANDB_MODE=${envMode} in this environment overrides the settings file.`)
  if (after === undefined) {
    const globalPath = globalSettingsPath(r)
    let globalMode: string | undefined
    try {
      globalMode = SettingsFile.load(globalPath).get('mode')
    } catch {
      // a malformed global file is reported by the commands that use it, not here
    }
    if (globalMode && globalMode !== 'online') notes.push(`Note: the global settings file ${globalPath} sets mode = ${globalMode}, which still applies here.`)
  }
  return notes
}

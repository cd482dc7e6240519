/**
 * What every sweep command (sweep, controller, agent) sets up before its engine runs: the base
 * URL and API key from the flags, the environment and the settings files, the sweep API on them,
 * the settings defaults (entity/project), and wandb's termlog/termwarn lines on stderr with its
 * `wandb: ` prefix (hidden by WANDB_SILENT).
 */
import {NoApiKeyError, SettingsFiles, resolveApiKey, resolveBaseUrl, type ResolvedApiKey} from '../core/credentials/index.ts'
import {SweepApi, settingsDefaults, type SettingsDefaults, type SweepOutput} from '../core/sweeps/index.ts'
import {wandbLines} from './ui/wandb-lines.ts'

export {wandbLines}

export interface SweepClient {
  /** The key and where it came from (never logged). */
  key: ResolvedApiKey
  files: SettingsFiles
  baseUrl: string
  appUrl: string
  api: SweepApi
  defaults: SettingsDefaults
  out: SweepOutput
}

export function sweepClient(flags: {'api-key'?: string; 'base-url'?: string}, log: (line: string) => void): SweepClient {
  const files = SettingsFiles.load()
  const base = resolveBaseUrl({flag: flags['base-url'], flagName: '--base-url', files})
  const key = resolveApiKey({flag: flags['api-key'], flagName: '--api-key', baseUrl: base.url, files})
  if (!key) throw new NoApiKeyError(base.url)
  return {
    key,
    files,
    baseUrl: base.url,
    appUrl: base.appUrl,
    api: new SweepApi({baseUrl: base.url, apiKey: key.apiKey}),
    defaults: settingsDefaults({files}),
    out: wandbLines(log),
  }
}

/** Aborts on the first SIGINT/SIGTERM; `stoppedBy` names it. Call `release` when done. */
export function stopOnSignal(): {signal: AbortSignal; stoppedBy: () => 'SIGINT' | 'SIGTERM' | undefined; release: () => void} {
  const abort = new AbortController()
  let by: 'SIGINT' | 'SIGTERM' | undefined
  const on = (name: 'SIGINT' | 'SIGTERM') => () => {
    by ??= name
    abort.abort(new Error(`interrupted by ${name}`))
  }
  const onInt = on('SIGINT')
  const onTerm = on('SIGTERM')
  process.once('SIGINT', onInt)
  process.once('SIGTERM', onTerm)
  return {
    signal: abort.signal,
    stoppedBy: () => by,
    release: () => {
      process.off('SIGINT', onInt)
      process.off('SIGTERM', onTerm)
    },
  }
}

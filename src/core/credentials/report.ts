/**
 * The sentences the credentials commands print, built from results (never from a key).
 */
import type {SettingsChange} from './settings-files.ts'
import type {Identity} from './viewer.ts'

/**
 * "Logged in to URL as USER." plus the default entity and the teams, like the SDK's
 * "Currently logged in as: user (entity) to host".
 */
export function describeIdentity(identity: Identity, baseUrl: string): string[] {
  const who = identity.username || '(unnamed account)'
  const lines = [`Logged in to ${baseUrl} as ${who}${identity.email ? ` <${identity.email}>` : ''}.`]
  lines.push(`Default entity: ${identity.entity || '(none)'}`)
  lines.push(`Teams: ${identity.teams.length > 0 ? identity.teams.join(', ') : '(none)'}`)
  return lines
}

/** "Updated settings file PATH: key = value (was: old)" or "…: removed key (was: old)". */
export function describeSettingsChange(c: SettingsChange): string {
  const was = c.before === undefined ? '' : ` (was: ${c.before})`
  if (c.after === undefined) return `Updated settings file ${c.path}: removed ${c.key}${was}`
  return `Updated settings file ${c.path}: ${c.key} = ${c.after}${was}`
}

/**
 * The access-token cache shared with the SDK and Go core: `credentials_file` (by default
 * ~/.config/wandb/credentials.json) holds
 * `{"credentials": {"<base_url>": {"expires_at": "2006-01-02 15:04:05", "access_token": "…"}}}`,
 * times in UTC, mode 0600.
 */
import {readFile, writeFile} from 'node:fs/promises'

/** An access token and when it expires (ms since the epoch). */
export interface AccessToken {
  accessToken: string
  expiresAt: number
}

type StoredEntry = {expires_at?: unknown; access_token?: unknown}
type Stored = {credentials: Record<string, StoredEntry>}

/** "YYYY-MM-DD HH:MM:SS" in UTC, the layout Go core writes. */
export function formatExpiry(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ')
}

/** The time in an expires_at string, or undefined when it does not have the expected layout. */
export function parseExpiry(text: string): number | undefined {
  if (!/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(text)) return undefined
  const ms = Date.parse(`${text.replace(' ', 'T')}Z`)
  return Number.isNaN(ms) ? undefined : ms
}

/** Reads the whole file; undefined when it is missing or not a credentials file. */
export async function readCredentialsFile(path: string): Promise<Stored | undefined> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as {credentials?: unknown}
    if (parsed === null || typeof parsed !== 'object') return undefined
    const credentials = parsed.credentials && typeof parsed.credentials === 'object' ? (parsed.credentials as Record<string, StoredEntry>) : {}
    return {credentials}
  } catch {
    return undefined
  }
}

/** The cached token for `baseUrl` in a file's contents, if any and well formed. */
export function tokenFor(stored: Stored | undefined, baseUrl: string): AccessToken | undefined {
  const entry = stored?.credentials[baseUrl]
  if (!entry || typeof entry.access_token !== 'string' || typeof entry.expires_at !== 'string') return undefined
  const expiresAt = parseExpiry(entry.expires_at)
  return expiresAt === undefined ? undefined : {accessToken: entry.access_token, expiresAt}
}

/** Stores `token` for `baseUrl`, keeping the other entries. Throws on write failures. */
export async function saveToken(path: string, previous: Stored | undefined, baseUrl: string, token: AccessToken): Promise<void> {
  const credentials = {...previous?.credentials, [baseUrl]: {expires_at: formatExpiry(token.expiresAt), access_token: token.accessToken}}
  await writeFile(path, JSON.stringify({credentials}, null, 2), {mode: 0o600})
}

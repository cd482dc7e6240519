/**
 * API-key authentication of `/graphql`, file_stream and the artifact download fallbacks:
 * `Authorization: Basic base64("<any user>:KEY")` (clients use the user "api") or
 * `Bearer KEY`. With a configured key list only those keys pass; without one any key of at least
 * 40 characters passes (the clients' own format rule). Signed storage URLs need no key.
 */
import type {Viewer} from './graphql/context.ts'

/** Minimum key length accepted when no explicit key list is configured. */
export const MIN_KEY_LENGTH = 40

/** The single user every valid key belongs to. */
export const DEFAULT_VIEWER: Viewer = {username: 'nexus', entity: 'nexus', email: 'nexus@localhost'}

/** Checks request credentials. Immutable after construction. */
export class Auth {
  private readonly keys: Set<string> | null

  /** `apiKeys` empty or absent: accept any key of ≥ MIN_KEY_LENGTH characters. */
  constructor(apiKeys?: string[]) {
    this.keys = apiKeys && apiKeys.length > 0 ? new Set(apiKeys) : null
  }

  /** The viewer for a valid Authorization header, or null (→ 401). */
  authenticate(header: string | null): Viewer | null {
    const key = keyFromHeader(header)
    if (key === null) return null
    const ok = this.keys ? this.keys.has(key) : key.length >= MIN_KEY_LENGTH
    return ok ? DEFAULT_VIEWER : null
  }
}

/** Extracts the API key from a Basic or Bearer Authorization header. */
export function keyFromHeader(header: string | null): string | null {
  if (!header) return null
  const [scheme, value] = header.trim().split(/\s+/, 2)
  if (!value) return null
  if (scheme.toLowerCase() === 'bearer') return value
  if (scheme.toLowerCase() !== 'basic') return null
  const decoded = Buffer.from(value, 'base64').toString('utf8')
  const i = decoded.indexOf(':')
  return i < 0 ? null : decoded.slice(i + 1)
}

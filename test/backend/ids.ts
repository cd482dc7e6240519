/**
 * GraphQL object IDs in the W&B server's style: standard base64 of "<Type>:<n>". Clients decode
 * artifact IDs as base64 (to hex for `wandb-artifact://` references), so every ID must be valid
 * standard base64.
 */

/** Encodes a row id of a given type, e.g. toGqlId('Artifact', 3) → "QXJ0aWZhY3Q6Mw==". */
export function toGqlId(type: string, n: number | bigint): string {
  return Buffer.from(`${type}:${n}`).toString('base64')
}

/**
 * Decodes an ID made by toGqlId. Returns the numeric row id when the type matches (or, when
 * `type` is omitted, any type); null for anything else (malformed, other type, null input).
 * A bare decimal string is accepted as the row id itself, which some clients send for storage ids.
 */
export function fromGqlId(id: unknown, type?: string): number | null {
  if (typeof id !== 'string' || id === '') return null
  if (/^\d+$/.test(id)) return Number(id)
  let text: string
  try {
    text = Buffer.from(id, 'base64').toString('utf8')
  } catch {
    return null
  }
  const m = /^([A-Za-z]+):(\d+)$/.exec(text)
  if (!m) return null
  if (type !== undefined && m[1] !== type) return null
  return Number(m[2])
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789'

/** A random lower-case alphanumeric id (runs and sweeps use 8 characters, like the server). */
export function randomName(length = 8): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length))
  let out = ''
  for (const b of bytes) out += ALPHABET[b % ALPHABET.length]
  return out
}

/** Timestamps as the server renders DateTime: ISO 8601 UTC, second precision, no zone suffix. */
export function isoNow(ms: number = Date.now()): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '')
}

/** A stable 31-bit number for a string (for IDs of things without a row of their own). */
export function stableHash(s: string): number {
  let h = 0
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) >>> 0
  return h & 0x7fffffff
}

import {randomBytes} from 'node:crypto'

const ID_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789'

/** `length` characters of [a-z0-9] from crypto-random bytes (the alphabet of W&B run and sweep ids). */
export function randomId(length: number): string {
  return Array.from(randomBytes(length), (b) => ID_CHARS[b % ID_CHARS.length]).join('')
}

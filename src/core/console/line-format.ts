/**
 * The text forms of a console line sent in file_stream's output.log: the legacy plain-text form
 * and the structured JSON form used when the server has STRUCTURED_CONSOLE_LOGS. output.log on
 * disk holds the bare content instead.
 */
import {STDOUT_PREFIX} from './console-line.ts'
import type {LineIdentity} from './console-line.ts'

const pad = (n: number, width: number) => String(n).padStart(width, '0')

/** Whole microseconds since the epoch; rounding first removes float noise from fractional ms. */
function epochMicros(ms: number): number {
  return Math.round(ms * 1000)
}

/**
 * UTC time as Python's isoformat with microseconds and no zone suffix:
 * `2006-01-02T15:04:05.000000`. Sub-microsecond parts are truncated.
 */
export function formatLineTimestamp(ms: number): string {
  const micros = epochMicros(ms)
  const secondsPart = Math.floor(micros / 1_000_000)
  const d = new Date(secondsPart * 1000)
  const frac = micros - secondsPart * 1_000_000
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}` + `T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}.${pad(frac, 6)}`
  )
}

/** Local time as `YYYYMMDD_HHMMSS` plus the 9-digit nanosecond part, for multipart chunk names. */
export function formatChunkTimestamp(ms: number): {local: string; nanos: string} {
  const micros = epochMicros(ms)
  const secondsPart = Math.floor(micros / 1_000_000)
  const d = new Date(secondsPart * 1000)
  const local = `${pad(d.getFullYear(), 4)}${pad(d.getMonth() + 1, 2)}${pad(d.getDate(), 2)}` + `_${pad(d.getHours(), 2)}${pad(d.getMinutes(), 2)}${pad(d.getSeconds(), 2)}`
  return {local, nanos: pad((micros - secondsPart * 1_000_000) * 1000, 9)}
}

/**
 * `<prefix><ts> <content>`, or `<prefix><ts> [<label>] <content>` when the line has a label;
 * prefix is '' (stdout) or 'ERROR ' (stderr).
 */
export function legacyFormat(line: LineIdentity, content: string): string {
  const ts = formatLineTimestamp(line.createdAtMs)
  if (line.label !== '') return `${line.prefix}${ts} [${line.label}] ${content}`
  return `${line.prefix}${ts} ${content}`
}

/**
 * One JSON object with keys in this order: `level` ("error", stderr lines only), `ts`, `label`
 * (only when non-empty), `content`. Escaping follows Go's encoding/json defaults, which also
 * escape `<`, `>`, `&`, U+2028 and U+2029 (JSON.stringify leaves those literal).
 */
export function structuredFormat(line: LineIdentity, content: string): string {
  const obj = {
    ...(line.prefix !== STDOUT_PREFIX ? {level: 'error'} : {}),
    ts: formatLineTimestamp(line.createdAtMs),
    ...(line.label !== '' ? {label: line.label} : {}),
    content,
  }
  return JSON.stringify(obj).replace(/[<>&\u2028\u2029]/g, goEscape)
}

function goEscape(ch: string): string {
  return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`
}

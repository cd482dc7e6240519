/**
 * Run-relative names of the console log files: `output.log`, `output_<label>.log`, and multipart
 * chunks `logs/output[_<label>]_<YYYYMMDD_HHMMSS>_<nanoseconds>.log`.
 */
import {formatChunkTimestamp} from './line-format.ts'

/** The console log file of a run without a label. */
export const CONSOLE_FILE_NAME = 'output.log'

/** Folder (run-relative) that holds multipart chunks. */
export const CHUNKS_DIR = 'logs'

const BASE = 'output'
const EXTENSION = '.log'

/** Go's unicode.IsSpace for non-control code points (controls are removed before trimming). */
const SPACE = /[ \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/
const WINDOWS_FORBIDDEN = /[<>:"/\\|?*]/g
const WINDOWS_RESERVED = new Set(['CON', 'PRN', 'AUX', 'NUL', ...Array.from({length: 9}, (_, i) => `COM${i + 1}`), ...Array.from({length: 9}, (_, i) => `LPT${i + 1}`)])

/**
 * Makes a label safe inside a file name, as Go core does for the platform it runs on.
 * POSIX: `/` and NUL become `_`, other control characters are removed, then trailing dots and
 * surrounding whitespace are trimmed. Windows: `<>:"/\|?*` become `_`, trailing spaces and dots
 * are trimmed, and reserved device names get a `_safe` suffix.
 */
export function sanitizeFileName(name: string, platform: string = process.platform): string {
  return platform === 'win32' ? sanitizeWindows(name) : sanitizePosix(name)
}

function sanitizePosix(name: string): string {
  let out = ''
  for (const ch of name) {
    const cp = ch.codePointAt(0)!
    if (ch === '/' || cp === 0) out += '_'
    else if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) continue
    else out += ch
  }
  out = out.replace(/\.+$/, '')
  const chars = [...out]
  let start = 0
  let end = chars.length
  while (start < end && SPACE.test(chars[start])) start++
  while (end > start && SPACE.test(chars[end - 1])) end--
  return chars.slice(start, end).join('')
}

function sanitizeWindows(name: string): string {
  const out = name.replace(WINDOWS_FORBIDDEN, '_').replace(/[ .]+$/, '')
  return WINDOWS_RESERVED.has(out.toUpperCase()) ? `${out}_safe` : out
}

/** `output.log`, or `output_<sanitized label>.log` when `label` is non-empty. */
export function consoleFileName(label: string): string {
  return label === '' ? CONSOLE_FILE_NAME : `${BASE}_${sanitizeFileName(label)}${EXTENSION}`
}

/** Run-relative path (forward slashes) of a multipart chunk started at `startedAtMs`. */
export function chunkPath(fileName: string, startedAtMs: number): string {
  const dot = fileName.lastIndexOf('.')
  const stem = dot > 0 ? fileName.slice(0, dot) : fileName
  const ext = dot > 0 ? fileName.slice(dot) : ''
  const {local, nanos} = formatChunkTimestamp(startedAtMs)
  return `${CHUNKS_DIR}/${stem}_${local}_${nanos}${ext}`
}

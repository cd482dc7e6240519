/**
 * Finding the tfevents files of a log directory, as Go core does (tfeventfiles.go with gocloud's
 * fileblob bucket): the directory is listed RECURSIVELY, in the order of a directory walk whose
 * entries are sorted by name, with keys relative to the log directory ("sub/events.out…"); the
 * next file to read is the first key in that order that sorts after the current one (by code
 * point) and that the filter accepts.
 */
import {readdirSync} from 'node:fs'
import {join} from 'node:path'

/** Which tfevents files belong to the run. */
export interface TFEventsFileFilter {
  /** Unix seconds; files whose name carries an earlier time are from before the run. 0: no time filter. */
  startTimeSec: number
  /** The exact hostname the file name must carry after the time. Empty: no hostname filter. */
  hostname: string
}

const MAX_INT64 = 2n ** 63n - 1n

/**
 * Whether a file name (or key) is a tfevents file of the run: it contains
 * `tfevents.<unix seconds>[.<hostname>]` with a time at or after the start time, and does not
 * end with `.profile-empty` (TensorFlow profiler) or `.sagemaker-uploaded` (SageMaker temp files).
 */
export function matchesTFEventsFile(name: string, filter: TFEventsFileFilter): boolean {
  if (name.endsWith('.profile-empty') || name.endsWith('.sagemaker-uploaded')) return false
  const pattern = filter.hostname ? `tfevents\\.(\\d+)\\.${escapeRegExp(filter.hostname)}` : 'tfevents\\.(\\d+)'
  const m = new RegExp(pattern).exec(name)
  if (!m) return false
  const time = BigInt(m[1])
  if (time > MAX_INT64) return false
  return filter.startTimeSec === 0 || time >= BigInt(Math.trunc(filter.startTimeSec))
}

/**
 * Keys of the files under `dir` in walk order (see the module comment); `*.attrs` files (gocloud
 * metadata) are skipped, unreadable subdirectories too. Throws when `dir` cannot be listed.
 */
export function listLogDirectory(dir: string): string[] {
  const keys: string[] = []
  const walk = (absolute: string, prefix: string, root: boolean) => {
    let entries
    try {
      entries = readdirSync(absolute, {withFileTypes: true})
    } catch (err) {
      if (root) throw err
      return
    }
    entries.sort((a, b) => compareCodePoints(a.name, b.name))
    for (const entry of entries) {
      const key = prefix + entry.name
      if (key.endsWith('.attrs')) continue
      if (entry.isDirectory()) walk(join(absolute, entry.name), `${key}/`, false)
      else keys.push(key)
    }
  }
  walk(dir, '', true)
  return keys
}

/**
 * The key of the tfevents file to read after `lastKey` ('' before the first one), or undefined
 * when there is none yet. Throws when the directory cannot be listed.
 */
export function nextTFEventsFile(dir: string, lastKey: string, filter: TFEventsFileFilter): string | undefined {
  return listLogDirectory(dir).find((key) => compareCodePoints(key, lastKey) > 0 && matchesTFEventsFile(key, filter))
}

/** Orders strings by Unicode code point (as Python and Go's rune slices do), not by UTF-16 unit. */
export function compareCodePoints(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'))
}

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&')
}

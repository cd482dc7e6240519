/**
 * Byte sizes written and read as the SDK does (`wandb.util.to_human_size` / `from_human_size`):
 * decimal units (B, KB = 1000 B, … EB), one decimal in Python's float format ("0.0B", "1.5KB").
 */
import {ArtifactInputError} from './errors.ts'

/** The SDK's units (POW_10_BYTES), smallest first. */
const UNITS: ReadonlyArray<readonly [string, number]> = [
  ['B', 1],
  ['KB', 1e3],
  ['MB', 1e6],
  ['GB', 1e9],
  ['TB', 1e12],
  ['PB', 1e15],
  ['EB', 1e18],
]

/**
 * `size` as the SDK prints it: the first unit in which the value rounded to one decimal is below
 * 1024 (sic: the SDK compares decimal units against 1024), e.g. 1000 → "1000.0B", 1500 → "1.5KB".
 */
export function toHumanSize(size: number): string {
  for (let i = 0; i < UNITS.length; i++) {
    const [unit, value] = UNITS[i]
    const factor = pyRound1(size / value)
    if (factor < 1024 || i === UNITS.length - 1) return `${pyFloat(factor)}${unit}`
  }
  throw new Error('unreachable')
}

/**
 * Parses "10", "10B", "10 GB", "1.5mb" (units case-insensitive) into bytes, truncated to an
 * integer as the SDK does. Stricter than the SDK: it reads only a leading match, so "10G" or
 * "1.5GiB" silently meant 10 or 1 *bytes* there; here anything after the number and unit other
 * than spaces is refused with ArtifactInputError.
 */
export function fromHumanSize(text: string): number {
  const m = /^(\d+\.?\d*)\s*(B|KB|MB|GB|TB|PB|EB)?\s*$/i.exec(text)
  if (!m) {
    throw new ArtifactInputError(`Invalid size ${JSON.stringify(text)}: expected a number with an optional unit B, KB, MB, GB, TB, PB or EB (powers of 1000), like 10GB, 1.5 GB or 500MB`)
  }
  const unit = (m[2] ?? 'B').toUpperCase()
  const value = UNITS.find(([u]) => u === unit)?.[1] ?? 1
  return Math.trunc(Number(m[1]) * value)
}

/** Python's `round(x, 1)`: to the nearest tenth of the exact binary value, ties to even. */
function pyRound1(x: number): number {
  // A double lies exactly halfway between two tenths only when 4x is an odd integer (x = k + 0.25 or k + 0.75).
  const quarter = x * 4
  if (Number.isInteger(quarter) && Math.abs(quarter % 2) === 1) {
    const lo = Math.floor(x * 10)
    return (lo % 2 === 0 ? lo : lo + 1) / 10
  }
  return Number(x.toFixed(1))
}

/** Python's `str(float)` for the values toHumanSize prints (non-negative, below 1e16). */
function pyFloat(x: number): string {
  const s = String(x)
  return Number.isInteger(x) && !/e/.test(s) ? `${s}.0` : s
}

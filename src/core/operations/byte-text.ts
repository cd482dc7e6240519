/** Byte counts as Go core's operation progress shows them: "512B", "1.5KB", "12.0MB", "1.25GB". */

const KB = 1024
const MB = 1024 * KB
const GB = 1024 * MB

/**
 * `value` with `digits` decimals, ties rounded to even as Go's fmt does (JavaScript's toFixed
 * rounds them up: 1.25 → "1.3" where Go writes "1.2"). Values here are n / 2^k, so ties are exact.
 */
function fixed(value: number, digits: number): string {
  const scaled = value * 10 ** digits
  const floor = Math.floor(scaled)
  if (scaled - floor === 0.5 && floor % 2 === 0) return (floor / 10 ** digits).toFixed(digits)
  return value.toFixed(digits)
}

/** A short human size: bytes below 1 KiB, then KB and MB with one decimal, GB with two (powers of 1024). */
export function shortBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) throw new RangeError(`operations: not a byte count: ${bytes}`)
  const n = Math.floor(bytes)
  if (n < KB) return `${n}B`
  if (n < MB) return `${fixed(n / KB, 1)}KB`
  if (n < GB) return `${fixed(n / MB, 1)}MB`
  return `${fixed(n / GB, 2)}GB`
}

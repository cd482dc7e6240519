/**
 * Instants and their Go layouts as leet prints them: RFC3339 in local time ("started"),
 * RFC3339Nano in UTC (JSON), and 15:04:05 in local time (console lines). Go's zero time
 * (0001-01-01 UTC) stands for a missing protobuf timestamp.
 */

/** Seconds since the Unix epoch plus nanoseconds (0..999999999). */
export interface Instant {
  seconds: bigint
  nanos: number
}

/** Go's time.Time{}: what a record without a timestamp yields. */
export const ZERO_TIME: Instant = {seconds: -62135596800n, nanos: 0}

export function isZeroTime(t: Instant): boolean {
  return t.seconds === ZERO_TIME.seconds && t.nanos === 0
}

/** A file modification time in nanoseconds (fs.statSync(p, {bigint: true}).mtimeNs). */
export function instantFromNs(ns: bigint): Instant {
  const seconds = ns >= 0n ? ns / 1_000_000_000n : -((-ns + 999_999_999n) / 1_000_000_000n)
  return {seconds, nanos: Number(ns - seconds * 1_000_000_000n)}
}

interface Parts {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
  /** Offset east of UTC in minutes. */
  offset: number
}

function parts(t: Instant, local: boolean): Parts {
  const date = new Date(Number(t.seconds) * 1000)
  if (!local) {
    return {
      year: date.getUTCFullYear(),
      month: date.getUTCMonth() + 1,
      day: date.getUTCDate(),
      hour: date.getUTCHours(),
      minute: date.getUTCMinutes(),
      second: date.getUTCSeconds(),
      offset: 0,
    }
  }
  return {
    year: date.getFullYear(),
    month: date.getMonth() + 1,
    day: date.getDate(),
    hour: date.getHours(),
    minute: date.getMinutes(),
    second: date.getSeconds(),
    offset: -date.getTimezoneOffset(),
  }
}

const p2 = (n: number) => String(n).padStart(2, '0')

function dateTime(p: Parts): string {
  return `${String(p.year).padStart(4, '0')}-${p2(p.month)}-${p2(p.day)}T${p2(p.hour)}:${p2(p.minute)}:${p2(p.second)}`
}

function zone(offset: number): string {
  if (offset === 0) return 'Z'
  const sign = offset < 0 ? '-' : '+'
  const abs = Math.abs(offset)
  return `${sign}${p2(Math.floor(abs / 60))}:${p2(abs % 60)}`
}

/** t.Local().Format(time.RFC3339). */
export function rfc3339Local(t: Instant): string {
  const p = parts(t, true)
  return dateTime(p) + zone(p.offset)
}

/** t.UTC().Format(time.RFC3339Nano), as encoding/json writes a time.Time: trailing zeros cut. */
export function rfc3339NanoUtc(t: Instant): string {
  const fraction = t.nanos === 0 ? '' : `.${String(t.nanos).padStart(9, '0').replace(/0+$/, '')}`
  return `${dateTime(parts(t, false))}${fraction}Z`
}

/** t.Local().Format("15:04:05"). */
export function clockLocal(t: Instant): string {
  const p = parts(t, true)
  return `${p2(p.hour)}:${p2(p.minute)}:${p2(p.second)}`
}

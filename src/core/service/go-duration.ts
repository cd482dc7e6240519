import {WandbError} from '../errors.ts'

const UNIT_MS: Record<string, number> = {ns: 1e-6, us: 1e-3, µs: 1e-3, μs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000}

/**
 * Parses a Go duration string ("10m", "1h30m", "1.5s", "300ms", "0") into milliseconds, as the
 * SDK passes --idle-timeout. Throws WandbError for anything Go's time.ParseDuration would reject.
 */
export function parseGoDuration(text: string): number {
  const s = text.trim()
  if (s === '0' || s === '+0' || s === '-0') return 0
  const m = /^([+-]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/.exec(s)
  if (!m) throw new WandbError(`invalid duration ${JSON.stringify(text)}`)
  let total = 0
  for (const part of s.replace(/^[+-]/, '').matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) {
    total += Number(part[1]) * UNIT_MS[part[2]]
  }
  return m[1] === '-' ? -total : total
}

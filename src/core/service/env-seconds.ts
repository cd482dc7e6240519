import type {Logger} from '../observability/index.ts'

/** A duration in seconds ≥ 0 from the environment, in ms; unset is the default, a bad value is logged and the default used. */
export function envSecondsMs(env: Readonly<Record<string, string | undefined>>, name: string, defaultS: number, logger: Logger): number {
  const text = env[name]
  if (text === undefined || text === '') return defaultS * 1000
  const seconds = Number(text)
  if (!Number.isFinite(seconds) || seconds < 0) {
    logger.warn(`main: ${name} is not a number of seconds ≥ 0; using the default`, {value: text, default_s: defaultS})
    return defaultS * 1000
  }
  return seconds * 1000
}

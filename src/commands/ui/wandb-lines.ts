import type {SweepOutput} from '../../core/sweeps/index.ts'

/**
 * wandb's termlog/termwarn/termerror lines (`wandb: …`, `wandb: WARNING …`, `wandb: ERROR …`), for
 * the commands that print what wandb prints (sweep, agent, controller, artifact ls, artifact cache
 * cleanup, clean). WANDB_SILENT (the SDK's truthy values) hides them.
 */
export function wandbLines(log: (line: string) => void, env: Readonly<Record<string, string | undefined>> = process.env): SweepOutput & {error(line: string): void} {
  const silent = isTrue(env.WANDB_SILENT)
  const out = (prefix: string) => (line: string) => {
    if (!silent) log(`wandb: ${prefix}${line}`)
  }
  return {info: out(''), warn: out('WARNING '), error: out('ERROR ')}
}

/** The SDK's reading of a boolean setting from the environment. */
function isTrue(value: string | undefined): boolean {
  return value !== undefined && ['1', 'true', 't', 'yes', 'y', 'on'].includes(value.trim().toLowerCase())
}

import {existsSync, readFileSync, writeFileSync} from 'node:fs'

/**
 * `<sync_file>.syncstate`: `{"starting_step": N}` pinning the starting step of a run so a later
 * sync of the same file reuses it (Go runsyncstate). Returns the stored step, storing `step` if
 * none was stored. A missing path (no transaction log) just returns `step`.
 */
export function getOrInitStartingStep(syncFile: string | undefined, step: bigint): bigint {
  if (!syncFile) return step
  const path = `${syncFile}.syncstate`
  if (existsSync(path)) {
    const parsed = JSON.parse(readFileSync(path, 'utf8') || '{}') as {starting_step?: number}
    if (typeof parsed.starting_step === 'number') return BigInt(parsed.starting_step)
  }
  writeFileSync(path, JSON.stringify({starting_step: Number(step)}))
  return step
}

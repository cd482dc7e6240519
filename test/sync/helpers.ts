/** Shared pieces of the sync tests: offline runs made by the real SDK, and running `nexus sync`. */
import {cpSync, mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {Backend} from '../backend/index.ts'
import {hostBinary, run, type RunResult} from '../helpers/binary.ts'
import {runScenario, runWandbCli, type ScenarioRun} from '../e2e/harness.ts'
import {normalizeRuns, type NormalizedRun} from '../e2e/normalize.ts'

/** Runs an e2e scenario offline with the SDK's own Go core; returns its home (holding wandb/). */
export async function offlineScenario(name: string, runId: string): Promise<ScenarioRun> {
  const r = await runScenario(name, {core: 'go', runId, env: {WANDB_MODE: 'offline'}})
  return r
}

/** A private copy of a home's wandb/ directory (so two syncs never see each other's markers). */
export function copyWandbDir(home: string): string {
  const dest = mkdtempSync(join(tmpdir(), 'sync-copy-'))
  cpSync(join(home, 'wandb'), join(dest, 'wandb'), {recursive: true})
  return dest
}

/** `nexus sync ARGS` with the compiled binary against `backend`. */
export function nexusSync(args: string[], backend: Backend, home: string, env: Record<string, string> = {}): Promise<RunResult> {
  return run([hostBinary(), 'sync', ...args], {cwd: home, env: {HOME: home, WANDB_BASE_URL: backend.url, WANDB_API_KEY: backend.apiKey, NO_COLOR: '1', ...env}})
}

/** `wandb sync ARGS` (the SDK's CLI with its Go core) against `backend`. */
export function goSync(args: string[], backend: Backend, home: string): Promise<ScenarioRun> {
  return runWandbCli(['sync', ...args], {core: 'go', backend, dir: home})
}

export async function state(backend: Backend): Promise<NormalizedRun[]> {
  return normalizeRuns(await backend.inspectRuns())
}

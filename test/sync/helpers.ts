/** Shared pieces of the sync tests: offline runs made by the real SDK, and running `nexus sync`. */
import {cpSync, mkdtempSync, readdirSync} from 'node:fs'
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

/** Fast retries so injected failures cost a second, not minutes. */
export const FAST_RETRIES = {
  WANDB__GRAPHQL_RETRY_WAIT_MIN_SECONDS: '1',
  WANDB__GRAPHQL_RETRY_WAIT_MAX_SECONDS: '1',
  WANDB__FILE_STREAM_RETRY_WAIT_MIN_SECONDS: '1',
  WANDB__FILE_STREAM_RETRY_WAIT_MAX_SECONDS: '1',
  WANDB__FILE_TRANSFER_RETRY_WAIT_MIN_SECONDS: '1',
  WANDB__FILE_TRANSFER_RETRY_WAIT_MAX_SECONDS: '1',
}

/** A `nexus sync` started in the background whose stderr lines can be waited for. */
export interface BackgroundSync {
  pid: number
  /** Resolves with the first stderr line matching `re` (rejects if the process ends first). */
  line(re: RegExp): Promise<string>
  kill(signal: NodeJS.Signals): void
  /** Exit code and the whole output, once it ended. */
  result(): Promise<RunResult>
}

/** Starts `nexus sync ARGS` against `backend` without waiting for it. */
export function startSync(args: string[], backend: {url: string; apiKey: string}, home: string, env: Record<string, string> = {}): BackgroundSync {
  const proc = Bun.spawn([hostBinary(), 'sync', ...args], {
    cwd: home,
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
    env: {...process.env, HOME: home, WANDB_BASE_URL: backend.url, WANDB_API_KEY: backend.apiKey, NO_COLOR: '1', ...env} as Record<string, string>,
  })
  let stderr = ''
  const waiters: Array<{re: RegExp; resolve: (l: string) => void; reject: (e: Error) => void}> = []
  const check = () => {
    for (const w of [...waiters]) {
      const hit = stderr.split('\n').find((l) => w.re.test(l))
      if (hit !== undefined) {
        waiters.splice(waiters.indexOf(w), 1)
        w.resolve(hit)
      }
    }
  }
  const reading = (async () => {
    const decoder = new TextDecoder()
    for await (const chunk of proc.stderr) {
      stderr += decoder.decode(chunk, {stream: true})
      check()
    }
    for (const w of waiters.splice(0)) w.reject(new Error(`sync ended without a line matching ${w.re}:\n${stderr}`))
  })()
  const stdout = new Response(proc.stdout).text()
  return {
    pid: proc.pid,
    line: (re) =>
      new Promise((resolve, reject) => {
        waiters.push({re, resolve, reject})
        check()
        if (proc.exitCode !== null) void reading.then(() => check())
      }),
    kill: (signal) => proc.kill(signal),
    result: async () => {
      const code = await proc.exited
      await reading
      return {code, stdout: await stdout, stderr}
    },
  }
}

/** The run directory of the only offline run under `home`, and its .wandb file. */
export function onlyRun(home: string): {dir: string; file: string} {
  const wandb = join(home, 'wandb')
  const dir = join(wandb, readdirSync(wandb).find((d) => d.startsWith('offline-run-'))!)
  return {dir, file: join(dir, readdirSync(dir).find((f) => f.endsWith('.wandb'))!)}
}

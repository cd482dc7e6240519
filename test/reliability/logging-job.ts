/**
 * A training job under a scheduler, for the reliability tests: the real SDK runs
 * scenarios/steady_logger.py (~100 steps/s) on one core in its own process group, and the test
 * stops it the way schedulers do once it has logged a given number of steps.
 */
import {mkdtempSync, readdirSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {Backend} from '../backend/index.ts'
import {isolatedEnv, nexusOverlay, SCENARIOS_DIR, type CoreKind} from '../e2e/harness.ts'
import {requirePython} from '../helpers/python.ts'
import {nodePids} from '../helpers/shared-node.ts'
import {Record as WandbRecord} from '../../src/core/proto.ts'
import {TransactionLogReader} from '../../src/core/txlog/index.ts'

export interface LoggingJob {
  /** The isolated home (holds wandb/). */
  dir: string
  /** The Python script's pid (leader of its own process group). */
  pid: number
  /** The service the SDK started (a child of the script): with sharing, the stand-in. */
  servicePid: number
  /** The node service serving this job (sharing on), else undefined. */
  nodePid: number | undefined
  /** The job's XDG_RUNTIME_DIR (its own unless `env` names one), where its node service listens. */
  runtime: string
  exited: Promise<number>
  /** The script's exit code once it has exited, null before. */
  readonly exitCode: number | null
  /** SIGKILL to the script; harmless once it has exited. */
  kill(): void
}

/** Starts the job and resolves once it printed `step N` (N a multiple of 100). */
export async function startLoggingJob(
  core: Exclude<CoreKind, 'nexus-attached'>,
  o: {backend?: Backend; runId: string; untilStep: number; env?: Record<string, string>; dir?: string; overlay?: string},
): Promise<LoggingJob> {
  // Jobs given the same dir share HOME, WANDB_DIR and cwd, as the processes of one batch job do.
  const dir = o.dir ?? mkdtempSync(join(tmpdir(), `reliability-${core}-`))
  const runtime = o.env?.XDG_RUNTIME_DIR ?? mkdtempSync(join(tmpdir(), 'reliability-rt-'))
  const env: Record<string, string> = {
    ...(Object.fromEntries(Object.entries(process.env).filter(([k, v]) => v !== undefined && !k.startsWith('WANDB_') && k !== 'PYTHONPATH')) as Record<string, string>),
    ...isolatedEnv(dir, o.backend),
    XDG_RUNTIME_DIR: runtime,
    PYTHONPATH: core === 'nexus' ? `${o.overlay ?? nexusOverlay()}:${SCENARIOS_DIR}` : SCENARIOS_DIR,
    E2E_RUN_ID: o.runId,
    E2E_SECONDS: '30',
    ...o.env,
  }
  const proc = Bun.spawn([requirePython(), join(SCENARIOS_DIR, 'steady_logger.py')], {cwd: dir, env, stdin: 'ignore', stdout: 'pipe', stderr: 'pipe', detached: true})
  const stderr = new Response(proc.stderr).text()
  const reader = proc.stdout.getReader()
  const decoder = new TextDecoder()
  let out = ''
  while (!out.includes(`step ${o.untilStep}\n`)) {
    const {value, done} = await reader.read()
    if (done) throw new Error(`the job ended before step ${o.untilStep}: ${out.slice(-500)} ${(await stderr).slice(-2000)}`)
    out += decoder.decode(value, {stream: true})
  }
  void (async () => {
    while (!(await reader.read()).done) {}
  })()
  const children = Bun.spawnSync(['pgrep', '-P', String(proc.pid)])
    .stdout.toString()
    .trim()
    .split('\n')
    .filter(Boolean)
    .map(Number)
  if (children.length !== 1) throw new Error(`expected one service process under the script, found ${children.length}`)
  const [nodePid] = nodePids(runtime)
  return {
    dir,
    runtime,
    nodePid,
    pid: proc.pid,
    servicePid: children[0],
    exited: proc.exited,
    get exitCode() {
      return proc.exitCode
    },
    kill: () => proc.kill('SIGKILL'),
  }
}

/** Waits until `pid` is gone (the service outlives its parent by a few moments). */
export async function waitGone(pid: number): Promise<void> {
  for (;;) {
    try {
      process.kill(pid, 0)
    } catch {
      return
    }
    await Bun.sleep(20)
  }
}

/** The job's run directory and its .wandb file. */
export function runFiles(dir: string, runId?: string): {runDir: string; wandbFile: string} {
  const w = join(dir, 'wandb')
  const runDir = join(w, readdirSync(w).find((d) => /^(offline-)?run-/.test(d) && (runId === undefined || d.endsWith(`-${runId}`)))!)
  return {runDir, wandbFile: join(runDir, readdirSync(runDir).find((f) => f.endsWith('.wandb'))!)}
}

/** What a .wandb file holds: history records, the exit record's code (if any). */
export function logContents(file: string): {history: number; exitCode: number | undefined} {
  const reader = TransactionLogReader.open(file)
  let history = 0
  let exitCode: number | undefined
  try {
    for (let r = reader.next(); r; r = reader.next()) {
      const rec = WandbRecord.fromBinary(r.data)
      if (rec.record_type.oneofKind === 'history') history++
      if (rec.record_type.oneofKind === 'exit') exitCode = rec.record_type.exit.exit_code
    }
  } finally {
    reader.close()
  }
  return {history, exitCode}
}

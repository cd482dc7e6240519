/**
 * Test helpers for the sweep agent: wandb's own agent as an oracle for trial command lines,
 * environments and parameter files (wandb_agent_oracle.py), a recording spawner, a recording
 * output, and a scripted command source.
 */
import {join} from 'node:path'
import {runPython} from '../../../helpers/python.ts'
import type {AgentCommand, AgentCommandSource, AgentOutput, AgentSweep, SpawnTrial, TrialExit, TrialProcess} from '../../../../src/core/sweeps/agent/index.ts'

export interface OracleCase {
  cwd: string
  env: Record<string, string>
  sweep: string
  command: unknown[] | null
  runs: string[]
}
export interface OracleTrial {
  argv: string[]
  env: Record<string, string>
  yaml: string
  json: string | null
  log: string[]
}

/** Runs the cases through wandb 0.31's Agent._command_run. */
export async function wandbAgentOracle(cases: OracleCase[]): Promise<({trials: OracleTrial[]} | {error: string})[]> {
  const r = await runPython([join(import.meta.dir, 'wandb_agent_oracle.py')], {stdin: JSON.stringify(cases), timeoutMs: 120_000})
  if (r.code !== 0) throw new Error(`wandb_agent_oracle.py exited ${r.code}: ${r.stderr.slice(-3000)}`)
  return JSON.parse(r.stdout)
}

/** A trial the test ends by hand; records the signals it got. */
export class FakeTrial implements TrialProcess {
  static #pids = 1000
  readonly pid = FakeTrial.#pids++
  readonly signals: string[] = []
  #ended: TrialExit | undefined
  #resolve!: (e: TrialExit) => void
  readonly exited = new Promise<TrialExit>((resolve) => (this.#resolve = resolve))
  /** When set, a signal in this list ends the trial as that signal would. */
  diesOn: string[] = ['SIGKILL']

  constructor(
    readonly argv: readonly string[],
    readonly env: Record<string, string>,
    readonly cwd: string,
  ) {}

  poll(): TrialExit | undefined {
    return this.#ended
  }

  signal(signal: NodeJS.Signals): void {
    if (this.#ended) return
    this.signals.push(signal)
    if (this.diesOn.includes(signal)) this.end({code: null, signal})
  }

  end(exit: TrialExit = {code: 0, signal: null}): void {
    if (this.#ended) return
    this.#ended = exit
    this.#resolve(exit)
  }
}

/** A spawner that records FakeTrials (or throws `failWith` for argv[0]). */
export function fakeSpawner(o: {failWith?: Record<string, Error>} = {}): {spawn: SpawnTrial; trials: FakeTrial[]} {
  const trials: FakeTrial[] = []
  return {
    trials,
    spawn: (argv, opts) => {
      const fail = o.failWith?.[argv[0]]
      if (fail) throw fail
      const t = new FakeTrial(argv, opts.env, opts.cwd)
      trials.push(t)
      return t
    },
  }
}

/** An AgentOutput that keeps every line. */
export class RecordingOutput implements AgentOutput {
  readonly lines: string[] = []
  info(line: string): void {
    this.lines.push(`wandb: ${line}`)
  }
  error(line: string): void {
    this.lines.push(`wandb: ERROR ${line}`)
  }
  log(level: 'INFO' | 'ERROR', message: string): void {
    this.lines.push(`${level} - ${message}`)
  }
}

/**
 * A command source whose heartbeats answer from a script: `next` returns the commands for one
 * heartbeat (given its run state), or throws. Records every run state, trial end and close.
 */
export class ScriptedSource implements AgentCommandSource {
  readonly beats: Record<string, unknown>[] = []
  readonly ended: [string, number | null][] = []
  closed = 0
  constructor(
    readonly sweep: AgentSweep,
    readonly next: (runState: Record<string, unknown>, beat: number) => AgentCommand[],
    readonly extraEnv: Record<string, string> = {},
  ) {}
  async start(): Promise<AgentSweep> {
    return this.sweep
  }
  async heartbeat(runState: Record<string, unknown>): Promise<AgentCommand[]> {
    this.beats.push({...runState})
    return this.next(runState, this.beats.length)
  }
  trialEnv(): Record<string, string> {
    return this.extraEnv
  }
  async trialEnded(runId: string, exitCode: number | null): Promise<void> {
    this.ended.push([runId, exitCode])
  }
  async close(): Promise<void> {
    this.closed += 1
  }
}

/** A run command for `runId` with plain parameter values. */
export function runCommand(runId: string, args: Record<string, unknown> = {a: 1}, program: string | null = 'train.py'): AgentCommand {
  return {type: 'run', runId, program, args: Object.fromEntries(Object.entries(args).map(([k, v]) => [k, {value: v}]))}
}

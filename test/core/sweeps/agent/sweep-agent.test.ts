/**
 * SweepAgent's loop with a scripted command source, fake trials, a manual clock and fake signals:
 * heartbeats and run states, --count, stop (SIGTERM, then SIGKILL after the kill delay), exit,
 * the failure checks (flapping, max initial failures, max consecutive failures), the shutdown
 * steps on signals (wait, terminate, kill; --forward-signals and --term-timeout), a deleted sweep.
 */
import {afterAll, describe, expect, test} from 'bun:test'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {AgentSettingError, FAILING_EXIT, SweepAgent, SweepGoneError, agentSettings, type AgentCommand, type SignalSource, type SweepAgentDeps} from '../../../../src/core/sweeps/agent/index.ts'
import {ManualClock, settle} from '../../../fakes/manual-clock.ts'
import {RecordingOutput, ScriptedSource, fakeSpawner, runCommand} from './helpers.ts'

const dirs: string[] = []
afterAll(() => {
  for (const d of dirs) rmSync(d, {recursive: true, force: true})
})

/** Signals a test sends by hand. */
class FakeSignals implements SignalSource {
  handler: ((s: NodeJS.Signals) => void) | undefined
  subscribed: readonly NodeJS.Signals[] = []
  unsubscribed = 0
  subscribe(signals: readonly NodeJS.Signals[], handler: (s: NodeJS.Signals) => void): () => void {
    this.subscribed = signals
    this.handler = handler
    return () => {
      this.unsubscribed += 1
      this.handler = undefined
    }
  }
  send(s: NodeJS.Signals): void {
    if (this.subscribed.includes(s)) this.handler?.(s)
  }
}

const SWEEP = {id: 'sw1', entity: 'ent', project: 'proj', config: {program: 'train.py'}}

/** An agent on fakes; `script` answers each heartbeat. */
function setup(
  script: (runState: Record<string, unknown>, beat: number) => AgentCommand[],
  o: Partial<SweepAgentDeps> & {env?: Record<string, string>; failWith?: Record<string, Error>; config?: Record<string, unknown>} = {},
) {
  const cwd = mkdtempSync(join(tmpdir(), 'nexus-agent-'))
  dirs.push(cwd)
  const clock = new ManualClock()
  const source = new ScriptedSource({...SWEEP, config: o.config ?? SWEEP.config}, script)
  const out = new RecordingOutput()
  const spawner = fakeSpawner({failWith: o.failWith})
  const signals = new FakeSignals()
  const env = {WANDB_SWEEP_ID: 'sw1', ...o.env}
  const beatTimes: number[] = []
  const origHeartbeat = source.heartbeat.bind(source)
  source.heartbeat = (state) => {
    beatTimes.push(clock.now() - Date.UTC(2024, 0, 1))
    return origHeartbeat(state)
  }
  const agent = new SweepAgent({source, out, env, cwd, clock, spawn: spawner.spawn, signals, platform: 'linux', settings: agentSettings(env), ...o})
  let code: number | undefined
  let failure: unknown
  const done = agent.run().then(
    (c) => (code = c),
    (err) => (failure = err),
  )
  /** Lets the agent run its loop for `seconds` of fake time. */
  const tick = async (seconds: number) => {
    await settle()
    await clock.advance(seconds * 1000)
  }
  return {agent, clock, source, out, spawner, signals, env, cwd, beatTimes, done, tick, result: () => ({code, failure})}
}

describe('the heartbeat loop', () => {
  test('heartbeats every 5 s with the live runs, starts a trial per run command, reaps it, and stops after --count trials', async () => {
    const a = setup((_state, beat) => (beat === 1 ? [runCommand('r1')] : beat === 3 ? [runCommand('r2', {a: 2})] : []), {count: 2})
    await a.tick(5)
    expect(a.source.beats).toEqual([{}])
    expect(a.spawner.trials).toHaveLength(1)
    expect(a.spawner.trials[0].argv).toEqual(['/usr/bin/env', 'python', 'train.py', '--a=1'])
    expect(a.spawner.trials[0].env).toMatchObject({WANDB_RUN_ID: 'r1', WANDB_SWEEP_ID: 'sw1', WANDB_DIR: a.cwd, WANDB_SWEEP_PARAM_PATH: join(a.cwd, 'wandb', 'sweep-sw1', 'config-r1.yaml')})
    await a.tick(5)
    expect(a.source.beats).toEqual([{}, {r1: true}])
    a.spawner.trials[0].end({code: 0, signal: null})
    await a.tick(5)
    expect(a.source.beats).toEqual([{}, {r1: true}, {}])
    expect(a.source.ended).toEqual([['r1', 0]])
    a.spawner.trials[1].end({code: 0, signal: null})
    await a.tick(5)
    await a.done
    expect(a.result().code).toBe(0)
    expect(a.source.beats).toHaveLength(3)
    expect(a.beatTimes).toEqual([5000, 10000, 15000])
    expect(a.source.ended).toEqual([
      ['r1', 0],
      ['r2', 0],
    ])
    expect(a.source.closed).toBe(1)
    expect(a.signals.unsubscribed).toBe(1)
    expect(a.signals.subscribed).toEqual(['SIGINT'])
    expect(a.out.lines).toEqual([
      'INFO - Running runs: []',
      'INFO - Agent received command: run',
      'INFO - Agent starting run with config:\n\ta: 1',
      'INFO - About to run command: /usr/bin/env python train.py --a=1',
      "INFO - Running runs: ['r1']",
      'INFO - Cleaning up finished run: r1',
      'INFO - Agent received command: run',
      'INFO - Agent starting run with config:\n\ta: 2',
      'INFO - About to run command: /usr/bin/env python train.py --a=2',
      "INFO - Running runs: ['r2']",
      'INFO - Cleaning up finished run: r2',
    ])
  })

  test('WANDB_AGENT_REPORT_INTERVAL repeats the "Running runs" line when that many seconds have passed', async () => {
    const a = setup(() => [], {env: {WANDB_AGENT_REPORT_INTERVAL: '12'}})
    await a.tick(30)
    expect(a.out.lines.filter((l) => l.startsWith('INFO - Running runs'))).toHaveLength(2)
    await a.agent.close()
    await a.tick(5)
    await a.done
    expect(a.result().code).toBe(0)
  })

  test('stop sends SIGTERM, a later stop within the kill delay nothing, one after it SIGKILL; a stop for an unknown run is logged', async () => {
    const a = setup(
      (_state, beat) =>
        beat === 1
          ? [runCommand('r1')]
          : beat === 8
            ? [{type: 'exit'}]
            : beat >= 2
              ? [
                  {type: 'stop', runId: 'r1'},
                  {type: 'stop', runId: 'nope'},
                ]
              : [],
      {env: {WANDB_AGENT_KILL_DELAY: '20'}},
    )
    a.spawner.trials.length = 0
    await a.tick(5)
    const trial = a.spawner.trials[0]
    trial.diesOn = ['SIGKILL']
    await a.tick(5)
    expect(trial.signals).toEqual(['SIGTERM'])
    await a.tick(20)
    expect(trial.signals).toEqual(['SIGTERM'])
    await a.tick(5)
    expect(trial.signals).toEqual(['SIGTERM', 'SIGKILL'])
    expect(a.out.lines).toContain('INFO - Stop: r1')
    expect(a.out.lines).toContain('INFO - Kill: r1')
    expect(a.out.lines).toContain('ERROR - Run nope not running')
    // the killed trial ends by a signal: not counted as a failure
    await a.tick(5)
    expect(a.source.ended).toEqual([['r1', null]])
    await a.agent.close()
    await a.tick(5)
    await a.done
  })

  test('exit kills every trial and ends the agent with 0, without terminating them again', async () => {
    const a = setup((_state, beat) => (beat === 1 ? [runCommand('r1')] : beat === 2 ? [{type: 'exit'}] : []))
    await a.tick(10)
    await a.done
    expect(a.result().code).toBe(0)
    expect(a.spawner.trials[0].signals).toEqual(['SIGKILL'])
    expect(a.out.lines.at(-1)).toBe('INFO - Received exit command. Killing runs and quitting.')
    expect(a.source.beats).toHaveLength(2)
  })

  test('a run after exit in the same answer is still started, as in wandb, and then terminated (SIGTERM) on the way out', async () => {
    const a = setup((_state, beat) => (beat === 1 ? [{type: 'exit'}, runCommand('r2')] : []))
    await a.tick(5)
    expect(a.spawner.trials).toHaveLength(1)
    expect(a.spawner.trials[0].signals).toEqual(['SIGTERM'])
    expect(a.out.lines.at(-1)).toBe('wandb: Terminating and syncing runs. Send shutdown signal again to kill.')
    a.spawner.trials[0].end({code: null, signal: 'SIGTERM'})
    await a.done
    expect(a.result().code).toBe(0)
  })

  test('a run command for a run id that is a path is refused and counted as a failed trial', async () => {
    const a = setup((_state, beat) => (beat === 1 ? [runCommand('../x')] : []), {maxConsecutiveFailedRuns: 1})
    await a.tick(10)
    await a.done
    expect(a.spawner.trials).toHaveLength(0)
    expect(a.out.lines.some((l) => l.startsWith('ERROR - Could not start run ../x: refusing run id'))).toBe(true)
    expect(a.result().code).toBe(FAILING_EXIT)
  })
})

describe('failing trials', () => {
  /** Every heartbeat with no live run hands out a new run, as the server does. */
  const endless = (state: Record<string, unknown>, beat: number) => (Object.keys(state).length === 0 ? [runCommand(`r${beat}`)] : [])

  test("three failures in the first 60 s stop the agent (flapping) with exit 1 and wandb's lines", async () => {
    const a = setup(endless)
    for (let i = 0; i < 3; i++) {
      await a.tick(5)
      a.spawner.trials.at(-1)!.end({code: 1, signal: null})
    }
    await a.tick(5)
    await a.done
    expect(a.result().code).toBe(FAILING_EXIT)
    expect(a.spawner.trials).toHaveLength(3)
    expect(a.out.lines.slice(-2)).toEqual(['ERROR - Detected 3 failed runs in the first 60 seconds, shutting down.', 'INFO - To disable this check set WANDB_AGENT_DISABLE_FLAPPING=true'])
    expect(a.source.ended.map(([, c]) => c)).toEqual([1, 1, 1])
  })

  test('with WANDB_AGENT_DISABLE_FLAPPING=true the agent goes on until WANDB_AGENT_MAX_INITIAL_FAILURES failures outnumber successes', async () => {
    const a = setup(endless, {env: {WANDB_AGENT_DISABLE_FLAPPING: 'true', WANDB_AGENT_MAX_INITIAL_FAILURES: '4'}})
    const codes = [0, 1, 1, 1, 1, 1]
    for (const code of codes) {
      await a.tick(5)
      a.spawner.trials.at(-1)!.end({code, signal: null})
    }
    await a.tick(5)
    await a.done
    // after 0,1,1,1,1: failed 4 ≥ finished 4 and 4 ≥ 4 → stop at the fifth trial
    expect(a.spawner.trials).toHaveLength(5)
    expect(a.result().code).toBe(FAILING_EXIT)
    expect(a.out.lines.slice(-2)).toEqual(['ERROR - Detected 4 failed runs in a row, shutting down.', 'INFO - To change this value set WANDB_AGENT_MAX_INITIAL_FAILURES=val'])
  })

  test('failures spread over more than 60 s are not flapping', async () => {
    const a = setup(endless, {env: {WANDB_AGENT_MAX_INITIAL_FAILURES: '100'}})
    for (let i = 0; i < 4; i++) {
      await a.tick(25)
      a.spawner.trials.at(-1)!.end({code: 2, signal: null})
    }
    await a.tick(5)
    expect(a.result().code).toBeUndefined()
    expect(a.spawner.trials.length).toBeGreaterThanOrEqual(4)
    await a.agent.close()
    await a.tick(5)
    await a.done
  })

  test('--max-consecutive-failed-runs counts failures in a row (a success resets it) and prints a termerror', async () => {
    const a = setup(endless, {maxConsecutiveFailedRuns: 2, env: {WANDB_AGENT_DISABLE_FLAPPING: 'true', WANDB_AGENT_MAX_INITIAL_FAILURES: '100'}})
    for (const code of [1, 0, 1, 1]) {
      await a.tick(5)
      a.spawner.trials.at(-1)!.end({code, signal: null})
    }
    await a.tick(5)
    await a.done
    expect(a.spawner.trials).toHaveLength(4)
    expect(a.result().code).toBe(FAILING_EXIT)
    expect(a.out.lines.slice(-2)).toEqual(['ERROR - Detected 2 consecutive failed runs, shutting down.', 'wandb: ERROR Detected 2 consecutive failed runs, shutting down.'])
  })

  test('a program that cannot be started counts as a failed trial, so the failure checks stop the agent', async () => {
    const enoent = Object.assign(new Error("ENOENT: no such file or directory, posix_spawn 'my-trainer'"), {code: 'ENOENT'})
    const a = setup(endless, {failWith: {'my-trainer': enoent}, config: {program: 'x', command: ['my-trainer', '${args}']}})
    await a.tick(30)
    await a.done
    expect(a.result().code).toBe(FAILING_EXIT)
    expect(a.out.lines.filter((l) => l.startsWith('ERROR - Could not start run'))).toHaveLength(3)
    expect(a.out.lines).toContain("ERROR - Could not start run r1: ENOENT: no such file or directory, posix_spawn 'my-trainer'")
  })
})

describe('shutdown signals', () => {
  const oneRun = (_state: Record<string, unknown>, beat: number) => (beat === 1 ? [runCommand('r1')] : [])

  test('Ctrl-C waits for the run to end, then the agent exits 130', async () => {
    const a = setup(oneRun)
    await a.tick(5)
    a.signals.send('SIGINT')
    await a.tick(5)
    expect(a.out.lines.at(-1)).toBe('wandb: ctrl-c received. Waiting for runs to end. Send ctrl-c again to terminate them.')
    expect(a.result().code).toBeUndefined()
    expect(a.spawner.trials[0].signals).toEqual([])
    a.spawner.trials[0].end()
    await a.done
    expect(a.result().code).toBe(130)
    expect(a.source.beats).toHaveLength(1)
  })

  test('a second Ctrl-C sends SIGTERM to the runs, a third SIGKILL', async () => {
    const a = setup(oneRun)
    await a.tick(5)
    const trial = a.spawner.trials[0]
    trial.diesOn = ['SIGKILL']
    a.signals.send('SIGINT')
    await a.tick(1)
    a.signals.send('SIGINT')
    await a.tick(1)
    expect(trial.signals).toEqual(['SIGTERM'])
    expect(a.out.lines.at(-1)).toBe('wandb: Terminating and syncing runs. Send shutdown signal again to kill.')
    a.signals.send('SIGINT')
    await a.done
    expect(trial.signals).toEqual(['SIGTERM', 'SIGKILL'])
    expect(a.out.lines.at(-1)).toBe('wandb: Killing runs and quitting.')
    expect(a.result().code).toBe(130)
  })

  test('without --forward-signals only SIGINT is handled and nothing is passed on to runs', async () => {
    const a = setup(oneRun)
    await a.tick(5)
    a.signals.send('SIGTERM')
    await a.tick(5)
    expect(a.spawner.trials[0].signals).toEqual([])
    expect(a.source.beats).toHaveLength(2)
    a.signals.send('SIGINT')
    a.spawner.trials[0].end()
    await a.done
    expect(a.spawner.trials[0].signals).toEqual([])
  })

  test('--forward-signals passes signals on to the runs; SIGTERM starts the shutdown; --term-timeout kills runs that outlast it', async () => {
    const a = setup(oneRun, {forwardSignals: true, termTimeoutSeconds: 10})
    await a.tick(5)
    const trial = a.spawner.trials[0]
    trial.diesOn = ['SIGKILL']
    a.signals.send('SIGUSR1')
    await a.tick(5)
    expect(trial.signals).toEqual(['SIGUSR1'])
    expect(a.source.beats).toHaveLength(2)
    a.signals.send('SIGTERM')
    await a.tick(1)
    expect(trial.signals).toEqual(['SIGUSR1', 'SIGTERM'])
    expect(a.out.lines.at(-1)).toBe('wandb: SIGTERM received. Waiting for runs to end. Send SIGTERM again to terminate them.')
    await a.tick(10)
    await a.done
    expect(a.out.lines.slice(-2)).toEqual(['wandb: Child runs took longer than 10 seconds to end. Attempting to kill them.', 'wandb: Killing runs and quitting.'])
    expect(trial.signals).toEqual(['SIGUSR1', 'SIGTERM', 'SIGKILL'])
    expect(a.result().code).toBe(143)
  })
})

describe('a deleted sweep', () => {
  test('with no run going the agent reports it and fails with SweepGoneError', async () => {
    const a = setup(() => {
      throw new SweepGoneError()
    })
    await a.tick(5)
    await a.done
    expect(a.result().failure).toBeInstanceOf(SweepGoneError)
    expect(a.out.lines.at(-1)).toBe('wandb: ERROR Sweep was deleted or agent was not found.')
    expect(a.source.closed).toBe(1)
  })

  test('with a run going, the run may finish; no more heartbeats; then the agent exits 0', async () => {
    const a = setup((_state, beat) => {
      if (beat === 1) return [runCommand('r1')]
      throw new SweepGoneError()
    })
    await a.tick(10)
    expect(a.out.lines.at(-1)).toBe('wandb: ERROR Sweep was deleted or agent was not found. Active runs will be allowed to finish before the agent exits.')
    await a.tick(10)
    expect(a.source.beats).toHaveLength(2)
    a.spawner.trials[0].end()
    await a.tick(5)
    await a.done
    expect(a.result().code).toBe(0)
  })
})

describe('agentSettings', () => {
  test("wandb's defaults; integer variables as Python int() reads them; bad report interval or kill delay refused; bad max failures ignored", () => {
    expect(agentSettings({})).toEqual({pollIntervalMs: 5000, reportIntervalMs: 0, killDelayMs: 30000, flappingMaxFailures: 3, flappingMs: 60000, maxInitialFailures: 5, disableFlapping: false})
    expect(agentSettings({WANDB_AGENT_KILL_DELAY: ' 1_0 ', WANDB_AGENT_REPORT_INTERVAL: '+3', WANDB_AGENT_MAX_INITIAL_FAILURES: '7', WANDB_AGENT_DISABLE_FLAPPING: 'true'})).toMatchObject({
      killDelayMs: 10000,
      reportIntervalMs: 3000,
      maxInitialFailures: 7,
      disableFlapping: true,
    })
    expect(agentSettings({WANDB_AGENT_MAX_INITIAL_FAILURES: 'many', WANDB_AGENT_DISABLE_FLAPPING: 'yes'})).toMatchObject({maxInitialFailures: 5, disableFlapping: false})
    const refusal = (env: Record<string, string>) => {
      try {
        agentSettings(env)
      } catch (err) {
        expect(err).toBeInstanceOf(AgentSettingError)
        return (err as AgentSettingError).userText
      }
      throw new Error('not refused')
    }
    expect(refusal({WANDB_AGENT_REPORT_INTERVAL: '1.5'})).toBe('Invalid agent report interval: WANDB_AGENT_REPORT_INTERVAL must be a whole number of seconds, not "1.5".')
    expect(refusal({WANDB_AGENT_KILL_DELAY: 'soon'})).toBe('Invalid agent kill delay: WANDB_AGENT_KILL_DELAY must be a whole number of seconds, not "soon".')
    expect(agentSettings({NEXUS_AGENT_POLL_INTERVAL: '0.2'}).pollIntervalMs).toBe(200)
  })
})

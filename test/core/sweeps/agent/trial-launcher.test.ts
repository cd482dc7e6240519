/**
 * The trial a run command starts (command line with every macro, environment, parameter files,
 * log lines), compared with what wandb 0.31's own agent (Agent._command_run) would start for the
 * same sweep command and heartbeat JSON.
 */
import {afterAll, describe, expect, test} from 'bun:test'
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {TrialLauncher, TrialStartError, parseCommands, type AgentCommand} from '../../../../src/core/sweeps/agent/index.ts'
import {loadPyYaml, toJsonValue} from '../../../../src/core/sweeps/index.ts'
import {RecordingOutput, fakeSpawner, wandbAgentOracle, type OracleCase} from './helpers.ts'

const dirs: string[] = []
afterAll(() => {
  for (const d of dirs) rmSync(d, {recursive: true, force: true})
})
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'nexus-agent-'))
  dirs.push(d)
  return d
}

const EVERY_MACRO = [
  '${env}',
  '${interpreter}',
  '${program}',
  '${args}',
  '${args_no_hyphens}',
  '${args_no_boolean_flags}',
  '${args_json}',
  '${args_json_file}',
  '${args_no_equals}',
  '${args_append_hydra}',
  '${args_override_hydra}',
  '${args_dict}',
  '${unknown_macro}',
  'x${envvar:MY_VAR}y${envvar:NOT_SET_VAR}z',
  '--home=${envvar:MY_VAR}',
  42,
  true,
  1.5,
  null,
  '${program}x',
  'plain word',
]

const RUN_TRICKY = JSON.stringify({
  type: 'run',
  run_id: 'run1',
  program: 'train.py',
  args: {zeta: {value: 1}, alpha: {value: true}, off: {value: false}, none: {value: null}, name: {value: 'a b "c" \'d\''}, uni: {value: 'é 日本'}},
})
  .replace('"zeta":{"value":1}', '"zeta":{"value":1.0}')
  .replace('}}}', '}, "lr": {"value": 1e-05}, "big": {"value": 1e16}, "neg": {"value": -0.0}, "nested": {"value": {"y": [1, 2.5, "s"], "x": {"k": null}}}}}')
const RUN_PLAIN = JSON.stringify({type: 'run', run_id: 'run2', program: 'other.py', args: {b: {value: 2}, a: {value: 'x'}}})
const RUN_EMPTY = JSON.stringify({type: 'run', run_id: 'run3', program: 'noargs.py', args: {}})

/** The same case for wandb (its own folder) and for nexus (another). */
function cases(): {oracle: OracleCase[]; nexusCwds: string[]} {
  const specs: {env: Record<string, string>; command: unknown[] | null; runs: string[]}[] = [
    {env: {WANDB_SWEEP_ID: 'sw1', MY_VAR: 'value of my var', WANDB_ENTITY: 'ent', WANDB_PROJECT: 'proj', WANDB_SERVICE: 'drop-me'}, command: EVERY_MACRO, runs: [RUN_TRICKY, RUN_PLAIN]},
    {env: {WANDB_SWEEP_ID: 'sw2'}, command: null, runs: [RUN_PLAIN, RUN_EMPTY]},
    {env: {WANDB_SWEEP_ID: 'sw3', WANDB_DIR: 'relative-dir'}, command: ['${env}', '${interpreter}', '${program}', '${args_json_file}', '${envvar:WANDB_RUN_ID}'], runs: [RUN_PLAIN, RUN_EMPTY]},
  ]
  const oracle: OracleCase[] = []
  const nexusCwds: string[] = []
  for (const s of specs) {
    const w = tempDir()
    const n = tempDir()
    // WANDB_DIR: absolute (as the agent sets it from its cwd) unless the case sets a relative one
    oracle.push({cwd: w, env: {WANDB_DIR: w, ...s.env}, sweep: s.env.WANDB_SWEEP_ID, command: s.command, runs: s.runs})
    nexusCwds.push(n)
  }
  return {oracle, nexusCwds}
}

describe("TrialLauncher against wandb 0.31's Agent._command_run", () => {
  test("every macro, the default command, ${envvar:…}, the environment, the parameter files and the log lines are wandb's", async () => {
    const {oracle, nexusCwds} = cases()
    const expected = await wandbAgentOracle(oracle)
    for (const [i, c] of oracle.entries()) {
      const want = expected[i]
      if ('error' in want) throw new Error(`oracle case ${i}: ${want.error}`)
      const cwd = nexusCwds[i]
      const env: Record<string, string | undefined> = {...c.env, WANDB_DIR: c.env.WANDB_DIR === c.cwd ? cwd : c.env.WANDB_DIR}
      const out = new RecordingOutput()
      const {spawn, trials} = fakeSpawner()
      const launcher = new TrialLauncher({sweepId: c.sweep, command: c.command ?? undefined, env, cwd, platform: 'linux', spawn, out, trialEnv: () => ({})})
      for (const [j, text] of c.runs.entries()) {
        out.lines.length = 0
        const [cmd] = parseCommands(text, out) as Extract<AgentCommand, {type: 'run'}>[]
        launcher.launch(cmd.runId, cmd.program, cmd.args)
        const trial = trials[j]
        const w = want.trials[j]
        const fix = (s: string) => s.replaceAll(c.cwd, '<DIR>')
        const mine = (s: string) => s.replaceAll(cwd, '<DIR>')
        expect(trial.argv.map(mine)).toEqual(w.argv.map(fix))
        const wandbEnv = Object.fromEntries(
          Object.entries(trial.env)
            .filter(([k]) => k.startsWith('WANDB_'))
            .map(([k, v]) => [k, mine(v)]),
        )
        expect(wandbEnv).toEqual(Object.fromEntries(Object.entries(w.env).map(([k, v]) => [k, fix(v)])))
        const base = join(cwd, env.WANDB_DIR === cwd ? '' : (env.WANDB_DIR as string), 'wandb', `sweep-${c.sweep}`)
        const yaml = readFileSync(join(base, `config-${cmd.runId}.yaml`), 'utf8')
        if (text === RUN_TRICKY) {
          // dumpPyYaml sorts nested keys and escapes non-ASCII (wandb sweep's dumper); wandb's
          // SafeDumper here keeps both: the same values, the top-level order kept
          expect(toJsonValue(loadPyYaml(yaml))).toEqual(toJsonValue(loadPyYaml(w.yaml)))
          expect([...(loadPyYaml(yaml) as Map<string, unknown>).keys()]).toEqual([...(loadPyYaml(w.yaml) as Map<string, unknown>).keys()])
        } else {
          expect(yaml).toBe(w.yaml)
        }
        const jsonPath = join(base, `config-${cmd.runId}.json`)
        expect(existsSync(jsonPath) ? readFileSync(jsonPath, 'utf8') : null).toBe(w.json)
        expect(out.lines.map(mine)).toEqual(w.log.map((l) => `INFO - ${fix(l)}`))
        expect(trial.cwd).toBe(cwd)
      }
    }
  }, 120_000)
})

describe('TrialLauncher refusals', () => {
  const launcher = (cwd: string) =>
    new TrialLauncher({
      sweepId: 'sw',
      command: undefined,
      env: {WANDB_DIR: cwd},
      cwd,
      platform: 'linux',
      spawn: fakeSpawner().spawn,
      out: new RecordingOutput(),
      trialEnv: () => ({}),
    })

  test('a run id that is not a plain file name is refused before anything is written', () => {
    const cwd = tempDir()
    for (const id of ['../escape', 'a/b', '..', '.', '', 'a\\b']) {
      expect(() => launcher(cwd).launch(id, 'train.py', {a: {value: 1}})).toThrow(TrialStartError)
    }
    expect(existsSync(join(cwd, 'wandb'))).toBe(false)
    expect(existsSync(join(cwd, '..', 'escape'))).toBe(false)
  })

  test('a sweep without a program is refused with a sentence naming the fix', () => {
    expect(() => launcher(tempDir()).launch('r1', null, {a: {value: 1}})).toThrow('the sweep has no program to run (set `program` in the sweep config)')
  })

  test("the source's extra environment reaches the trial", () => {
    const cwd = tempDir()
    const {spawn, trials} = fakeSpawner()
    new TrialLauncher({
      sweepId: 'sw',
      command: undefined,
      env: {WANDB_DIR: cwd, WANDB_SERVICE: 'x'},
      cwd,
      platform: 'linux',
      spawn,
      out: new RecordingOutput(),
      trialEnv: (id) => ({WANDB_MODE: 'offline', ID: id}),
    }).launch('r1', 'train.py', {})
    expect(trials[0].env).toMatchObject({WANDB_MODE: 'offline', ID: 'r1', WANDB_RUN_ID: 'r1'})
    expect(trials[0].env.WANDB_SERVICE).toBeUndefined()
    expect(trials[0].argv).toEqual(['/usr/bin/env', 'python', 'train.py'])
  })

  test('on Windows ${env} stands for nothing', () => {
    const cwd = tempDir()
    const {spawn, trials} = fakeSpawner()
    new TrialLauncher({sweepId: 'sw', command: undefined, env: {WANDB_DIR: cwd}, cwd, platform: 'win32', spawn, out: new RecordingOutput(), trialEnv: () => ({})}).launch('r1', 'train.py', {
      x: {value: 1},
    })
    expect(trials[0].argv).toEqual(['python', 'train.py', '--x=1'])
  })
})

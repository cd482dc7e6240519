/**
 * The sweep config as `wandb sweep` prepares it: reading the file, the errors and their exit
 * codes, the CLI overrides, the method check, and the uploaded text compared with what wandb
 * 0.31's own functions produce for the same file.
 */
import {afterAll, describe, expect, test} from 'bun:test'
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {ExitCode} from '../../../src/core/exit-codes.ts'
import {SweepConfigError, SweepFileError, applyOverrides, checkMethod, configYaml, fillDistributions, loadSweepConfig, parseSweepConfig, wantsLocalController} from '../../../src/core/sweeps/index.ts'
import {pyJson, wandbSweepOracle} from './helpers.ts'

const dir = mkdtempSync(join(tmpdir(), 'nexus-sweep-config-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

function file(name: string, text: string): string {
  const p = join(dir, name)
  writeFileSync(p, text)
  return p
}

/** The error a call throws (fails the test when it does not throw). */
function thrown(f: () => unknown): Error {
  try {
    f()
  } catch (err) {
    return err as Error
  }
  throw new Error('expected an error')
}

describe('loading the file', () => {
  test('a missing file or a directory is a local-file error (exit 8) naming the path', () => {
    const missing = thrown(() => loadSweepConfig(join(dir, 'nope.yaml')))
    expect(missing).toBeInstanceOf(SweepFileError)
    expect((missing as SweepFileError).exitCode).toBe(ExitCode.LOCAL_FILE)
    expect((missing as SweepFileError).userText).toBe(`Couldn't open sweep file: ${join(dir, 'nope.yaml')} (ENOENT).`)
    mkdirSync(join(dir, 'adir'), {recursive: true})
    expect((thrown(() => loadSweepConfig(join(dir, 'adir'))) as SweepFileError).exitCode).toBe(ExitCode.LOCAL_FILE)
  })

  test('malformed YAML is a config error (exit 2) with wandb\'s "Error in configuration file" and the position', () => {
    const err = thrown(() => loadSweepConfig(file('bad.yaml', 'method: [grid\nparameters: {}\n'))) as SweepConfigError
    expect(err).toBeInstanceOf(SweepConfigError)
    expect(err.exitCode).toBe(ExitCode.USAGE)
    expect(err.userText).toStartWith('Error in configuration file: ')
    expect(err.userText).toMatch(/line \d+/)
  })

  test('documents Python finds false are "Configuration file is empty"; other non-mappings are refused by name', () => {
    for (const text of ['', '# nothing\n', '{}\n', '[]\n', 'false\n', '0\n', "''\n", 'null\n']) {
      expect((thrown(() => parseSweepConfig(text)) as SweepConfigError).userText).toBe('Configuration file is empty')
    }
    expect((thrown(() => parseSweepConfig('- a\n- b\n')) as SweepConfigError).userText).toContain('must be a mapping of settings (method, parameters, …), not a list')
    expect((thrown(() => parseSweepConfig('hello\n')) as SweepConfigError).userText).toContain('not the text "hello"')
  })

  test('a config with a date in it is refused (wandb fails in json.dumps)', () => {
    expect((thrown(() => parseSweepConfig('method: grid\nstart: 2024-01-31\n')) as SweepConfigError).userText).toContain('is a date')
  })
})

describe('preparing the config', () => {
  const CONFIGS = [
    'method: random\nparameters:\n  lr: {min: 0.0001, max: 0.1}\n  layers: {min: 1, max: 4}\n  opt: {values: [adam, sgd]}\n',
    'method: bayes\nmetric: {name: loss, goal: minimize}\nparameters:\n  lr: {min: 0.0, max: 1.0}\n  n: {min: 1, max: 3, distribution: q_uniform}\n',
    'method: grid\nparameters:\n  flag: {values: [yes, no, "yes", on]}\n  ids: {values: ["008", "09", "0x1", "1e-5", 1e-5, 1.0e+5]}\n',
    'method: random\nparameters:\n  lr: {min: 1e-5, max: 1e-1}\n', // strings in PyYAML: ambiguous
    'method: random\nparameters:\n  a: {min: 1, max: 2.5}\n', // mixed: ambiguous
    'method: random\nparameters:\n  a: {min: true, max: 3}\n', // bool is an int in Python
    'method: random\nparameters:\n  nested:\n    parameters:\n      x: {min: 0, max: 1}\n',
    'method: random\nparameters:\n  a: {values: [1]}\n  b: a string parameter\n  c: [1, 2]\n',
    'program: train.py\nmethod: grid\ndescription: "long description with spaces that goes on and on and on beyond the eighty column limit of PyYAML"\ncommand:\n  - ${env}\n  - python\n  - ${program}\n  - ${args}\nparameters:\n  u: {value: "héllo wörld"}\n',
    'method: random\nparameters: []\n',
    'method: random\n',
    'method: random\nparameters:\n  x: {min: .inf, max: .nan}\n',
  ]

  test('the uploaded text is byte for byte what wandb 0.31 uploads, and the same configs are refused', async () => {
    const expected = await wandbSweepOracle(CONFIGS.map((prepare) => ({prepare})))
    const ours = CONFIGS.map((text) => {
      try {
        return {yaml: configYaml(fillDistributions(parseSweepConfig(text)))}
      } catch (err) {
        return {error: (err as Error).message}
      }
    })
    expect(ours.map((o) => ('yaml' in o ? o.yaml : 'ERROR'))).toEqual(expected.map((e) => e.yaml ?? 'ERROR'))
    expect(ours[3]).toEqual({error: expect.stringContaining('Parameter lr is ambiguous')})
    expect(expected[3].error).toContain('Parameter lr is ambiguous, please specify bounds as both floats (for a float_uniform distribution) or ints (for an int_uniform distribution).')
  }, 120_000)

  test('a parameter Python cannot look into (a number, null) is a config error where wandb crashes', () => {
    for (const text of ['method: random\nparameters:\n  a: 5\n', 'method: random\nparameters:\n  a:\n', 'method: random\nparameters: 3\n']) {
      const err = thrown(() => fillDistributions(parseSweepConfig(text))) as SweepConfigError
      expect(err).toBeInstanceOf(SweepConfigError)
      expect(err.exitCode).toBe(ExitCode.USAGE)
    }
  })

  test('filling distributions leaves the loaded config as it was (wandb deep-copies)', () => {
    const config = parseSweepConfig('method: random\nparameters:\n  a: {min: 1, max: 2}\n')
    const filled = fillDistributions(config)
    expect(pyJson(config)).toBe('{"method": "random", "parameters": {"a": {"min": 1, "max": 2}}}')
    expect(pyJson(filled)).toBe('{"method": "random", "parameters": {"a": {"min": 1, "max": 2, "distribution": "int_uniform"}}}')
  })

  test('--name, --program and --controller set name, program and controller.type like the CLI', () => {
    const config = parseSweepConfig('method: grid\nname: old\ncontroller: {other: 1}\n')
    applyOverrides(config, {name: 'new name', program: 'train.py', controller: true})
    expect(pyJson(config)).toBe('{"method": "grid", "name": "new name", "controller": {"other": 1, "type": "local"}, "program": "train.py"}')
    expect(wantsLocalController(config)).toBe(true)
    const plain = parseSweepConfig('method: grid\n')
    applyOverrides(plain, {controller: true})
    expect(pyJson(plain)).toBe('{"method": "grid", "controller": {"type": "local"}}')
    expect(wantsLocalController(parseSweepConfig('method: grid\ncontroller: {type: cloud}\n'))).toBe(false)
    expect(wantsLocalController(parseSweepConfig('method: grid\n'))).toBe(false)
    expect(thrown(() => wantsLocalController(parseSweepConfig('method: grid\ncontroller: local\n')))).toBeInstanceOf(SweepConfigError)
  })

  test('the method must be there and be one of bayes, random, grid, custom', () => {
    for (const m of ['bayes', 'random', 'grid', 'custom']) expect(() => checkMethod(parseSweepConfig(`method: ${m}\n`))).not.toThrow()
    expect((thrown(() => checkMethod(parseSweepConfig('parameters: {a: {values: [1]}}\n'))) as SweepConfigError).userText).toBe(
      'The sweep config has no method; add one of: bayes, random, grid, custom (for example `method: random`).',
    )
    expect((thrown(() => checkMethod(parseSweepConfig('method: hyperband\n'))) as SweepConfigError).userText).toBe('The sweep config\'s method "hyperband" is not one of: bayes, random, grid, custom.')
    expect((thrown(() => checkMethod(parseSweepConfig('method: [grid]\n'))) as SweepConfigError).userText).toContain('method a list is not one of')
  })
})

/**
 * Our PyYAML (safe_load + wandb's dump) against the real one: every document loads to the same
 * values (compared as Python's json.dumps text) or fails in both, and every value dumps to the
 * same bytes.
 */
import {describe, expect, test} from 'bun:test'
import {PyFloat, dumpPyYaml, loadPyYaml, pyFloatRepr, type PyValue} from '../../../src/core/sweeps/index.ts'
import {prng, pyJson, pyyaml, randomString, randomValue} from './helpers.ts'

const SCALARS = [
  'yes',
  'No',
  'on',
  'OFF',
  'y',
  'n',
  'Y',
  '~',
  'null',
  'NULL',
  'Null',
  'nUll',
  '',
  '1',
  '-1',
  '+1',
  '0',
  '00',
  '07',
  '08',
  '0o7',
  '0b101',
  '0b102',
  '0x1F',
  '-0x1f',
  '0x1g',
  '1_000',
  '1:30',
  '1:30.5',
  '190:20:30',
  '-1:00',
  '12:61',
  '1.0',
  '1.',
  '.5',
  '-.5',
  '+.5',
  '1e5',
  '1e-5',
  '1.0e5',
  '1.0e+5',
  '1.0E-5',
  '-1.5e+3',
  '.inf',
  '-.inf',
  '+.INF',
  '.Inf',
  '.NaN',
  '.nan',
  'NaN',
  'inf',
  '2020-01-01',
  '2020-1-1 10:00:00',
  '2001-12-14t21:59:43.10-05:00',
  '=',
  '1_0.5',
  '0.5_5',
  '-0',
  '-0.0',
  '0.0',
  '1__2',
  'true',
  'True',
  'TRUE',
  'tRue',
  '0.1',
  '3.14159265358979',
  '123456789012345678901234567890',
  '1e400',
  '1.0e+400',
  '-.inf_',
  'a: b',
  'x #y',
  "'q'",
  '"d"',
  '[1, 2]',
  '{a: 1}',
  '- x',
  '? k',
  '& a',
  '!foo x',
  '!!str 1',
  '!!int "5"',
  '!!int 0x10',
  '!!float 1',
  '!!float "1e3"',
  '!!bool yes',
  '!!bool y',
  '!!null x',
  '! 12',
  '!!python/name:os.system',
  '!!timestamp 2020-01-01',
  '!!set {a}',
  '|\n  lit\n  two\n',
  '>\n  folded\n  text\n',
  '"esc\\tape\\u00e9"',
  "'it''s'",
]

const DOCUMENTS = [
  'method: random\nparameters:\n  lr: {min: 0.0001, max: 0.1}\n  layers: {values: [1, 2, 3]}\n',
  'a: &x {k: 1, j: [1, 2]}\nb: *x\nc: [*x, *x]\n',
  'base: &b {x: 1, y: 2}\nother:\n  <<: *b\n  y: 3\n  z: 4\n',
  'one: &o {a: 1}\ntwo: &t {a: 2, b: 2}\nboth:\n  <<: [*o, *t]\n  c: 3\n',
  'a: 1\na: 2\nb: 3\n',
  '1: int key\n1.5: float key\nyes: bool key\nnull: null key\n~: tilde\n"str": s\n',
  '? complex\n: value\n? [1, 2]\n: list key\n',
  '{a: 1}: b\n',
  'a: 1\n---\nb: 2\n',
  'a: [1, 2\n',
  'a:\n  - b\n - c\n',
  '- just\n- a list\n',
  'scalar document\n',
  '',
  '# only a comment\n',
  '{}\n',
  'when: 2020-01-01\n',
  '2020-01-01: date key\n',
  'a: &a [*a]\n',
  'a: *nothing\n',
  'empty:\nnested:\n  empty:\n  list:\n  -\n  - x\n',
  'multi: plain\n  continued\n  line\n',
  'quoted: "a\\nb"\nsingle: \'a\n\n  b\'\n',
  '<<: {a: 1}\nb: 2\n',
  'a: {<<: {x: 1}, y: 2}\n',
  'k: =\n',
  '=: v\n',
  'u: "\\U0001F600 é"\n',
  `long: ${'word '.repeat(30)}end\n`,
  'x: !!binary aGVsbG8=\n',
  'x: !!omap [a: 1]\n',
]

function compareLoad(text: string, expected: {json?: string; dump?: string; error?: string}): string | undefined {
  let value: PyValue
  try {
    value = loadPyYaml(text)
  } catch (err) {
    return expected.error ? undefined : `we failed (${(err as Error).message}), PyYAML loaded ${expected.json}`
  }
  if (expected.error) return `PyYAML failed (${expected.error}), we loaded ${pyJson(value)}`
  if (pyJson(value) !== expected.json) return `values differ: ours ${pyJson(value)}, PyYAML ${expected.json}`
  const dumped = dumpPyYaml(value)
  if (dumped !== expected.dump) return `dumps differ:\n--- ours\n${dumped}--- PyYAML\n${expected.dump}`
  return undefined
}

describe('PyYAML compatibility', () => {
  test('plain, quoted and tagged scalars resolve as PyYAML 1.1 resolves them (1e-5 a string, yes a bool, 1.0 a float…)', async () => {
    const docs = SCALARS.flatMap((s) => [`v: ${s}\n`, `- ${s}\n`, `v: [${s}]\n`])
    const expected = await pyyaml(docs.map((load) => ({load})))
    const problems = docs.map((d, i) => [d, compareLoad(d, expected[i])] as const).filter(([, p]) => p !== undefined)
    expect(problems).toEqual([])
    // the ones that matter most for sweeps, spelled out
    expect(pyJson(loadPyYaml('v: 1e-5'))).toBe('{"v": "1e-5"}')
    expect(pyJson(loadPyYaml('v: 1.0'))).toBe('{"v": 1.0}')
    expect(pyJson(loadPyYaml('v: yes'))).toBe('{"v": true}')
  }, 120_000)

  test('documents with anchors, merges, odd keys, block scalars and errors load and dump like PyYAML', async () => {
    const expected = await pyyaml(DOCUMENTS.map((load) => ({load})))
    const problems = DOCUMENTS.map((d, i) => [d, compareLoad(d, expected[i])] as const).filter(([, p]) => p !== undefined)
    expect(problems).toEqual([])
    expect(expected.filter((e) => e.error).length).toBeGreaterThan(8)
  }, 120_000)

  test("2000 random values dump to the same bytes as yaml.dump with wandb's NonOctalStringDumper", async () => {
    const rand = prng(20250131)
    const values: PyValue[] = Array.from(
      {length: 2000},
      () =>
        new Map([
          [randomString(rand), randomValue(rand)],
          ['method', 'random'],
          [randomString(rand), randomValue(rand)],
        ]),
    )
    const expected = await pyyaml(values.map((v) => ({dump: pyJson(v)})))
    const problems: string[] = []
    values.forEach((v, i) => {
      if (expected[i].error) problems.push(`PyYAML failed on ${pyJson(v)}: ${expected[i].error}`)
      else if (dumpPyYaml(v) !== expected[i].dump) problems.push(`${pyJson(v)}\n--- ours\n${dumpPyYaml(v)}--- PyYAML\n${expected[i].dump}`)
    })
    expect(problems.slice(0, 5)).toEqual([])
  }, 120_000)

  test('what we dump loads back to the same values (random round trips)', () => {
    const rand = prng(7)
    for (let i = 0; i < 500; i++) {
      const v = new Map([[randomString(rand), randomValue(rand)]])
      expect(dumpPyYaml(loadPyYaml(dumpPyYaml(v)))).toBe(dumpPyYaml(v))
    }
  })

  test("known leniency: a tab after a colon, which PyYAML's scanner refuses, is read as a separator", async () => {
    const [expected] = await pyyaml([{load: 'tabs:\t1\n'}])
    expect(expected.error).toContain('ScannerError')
    expect(pyJson(loadPyYaml('tabs:\t1\n'))).toBe('{"tabs": 1}')
  })

  test('floats print as Python repr does', () => {
    const cases: [number, string][] = [
      [0.1, '0.1'],
      [1e-5, '1e-05'],
      [0.0001, '0.0001'],
      [1e16, '1e+16'],
      [1234567890123456, '1234567890123456.0'],
      [1 / 3, '0.3333333333333333'],
      [-0, '-0.0'],
      [5e-324, '5e-324'],
      [1.7976931348623157e308, '1.7976931348623157e+308'],
      [100, '100.0'],
      [-2.5e-7, '-2.5e-07'],
    ]
    expect(cases.map(([x]) => pyFloatRepr(x))).toEqual(cases.map(([, s]) => s))
    expect(
      dumpPyYaml(
        new Map([
          ['a', new PyFloat(1e-5)],
          ['b', new PyFloat(Number.NaN)],
          ['c', new PyFloat(1e16)],
        ]),
      ),
    ).toBe('a: 1.0e-05\nb: .nan\nc: 1.0e+16\n')
  })
})

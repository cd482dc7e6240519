/**
 * Test helpers for the sweep engine: PyYAML itself as an oracle (pyyaml_oracle.py with the venv's
 * Python), Python's json.dumps text of our values, and seeded random sweep-config-like values.
 */
import {join} from 'node:path'
import {runPython} from '../../helpers/python.ts'
import {PyFloat, type PyValue} from '../../../src/core/sweeps/index.ts'

const ORACLE = join(import.meta.dir, 'pyyaml_oracle.py')

export type OracleCase = {load: string} | {dump: string}
export type OracleResult = {json?: string; dump?: string; error?: string}

/** Runs the cases through the real PyYAML; fails on any Python-level problem. */
export async function pyyaml(cases: OracleCase[]): Promise<OracleResult[]> {
  const r = await runPython([ORACLE], {stdin: JSON.stringify(cases), timeoutMs: 120_000})
  if (r.code !== 0) throw new Error(`pyyaml_oracle.py exited ${r.code}: ${r.stderr.slice(-3000)}`)
  return JSON.parse(r.stdout) as OracleResult[]
}

/** Python's `json.dumps(value)` (default separators, ensure_ascii, NaN/Infinity allowed): the agent's own. */
export {dumpPyJson as pyJson} from '../../../src/core/sweeps/agent/index.ts'

/** A seeded PRNG (Park–Miller), so failures reproduce. */
export function prng(seed: number): () => number {
  let s = seed % 2147483647
  if (s <= 0) s += 2147483646
  return () => ((s = (s * 16807) % 2147483647) - 1) / 2147483646
}

const PIECES = [
  'a',
  'lr',
  'x',
  ' ',
  ' ',
  '  ',
  ':',
  ': ',
  '#',
  ' #',
  '-',
  '- ',
  '?',
  '? ',
  "'",
  '"',
  '\\',
  '\n',
  '\t',
  'é',
  'ü',
  '日本',
  '😀',
  '\u2028',
  '\x85',
  '\xa0',
  '0',
  '008',
  '.',
  '[',
  ']',
  '{',
  '}',
  ',',
  '!',
  '&',
  '*',
  '%',
  '@',
  '`',
  '|',
  '>',
  '~',
  'yes',
  'null',
  '1.5',
  '0x1',
  '<<',
  '=',
  '1e-5',
  '---',
  '...',
  '2020-01-01',
  'word',
  'value',
  'learning_rate',
  '\r',
  '\0',
  '\x7f',
  '\ufeff',
]
const FLOATS = [0.1, 1.5, -2.25, 1e-5, 0.0001, 1e16, 1234567890123456, 1e22, 1.7976931348623157e308, 5e-324, -0.0, 0, 3, 1 / 3, 2 ** 53, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]

/** A random string: short tricky pieces, or a long sentence (folding at 80 columns). */
export function randomString(rand: () => number): string {
  if (rand() < 0.15) {
    const words = Array.from({length: 5 + Math.floor(rand() * 30)}, () => ['word', 'longerword', 'x', 'a-b', 'é', "it's", '"q"', '', 'ab:c'][Math.floor(rand() * 9)])
    return words.join(rand() < 0.8 ? ' ' : '  ')
  }
  const n = Math.floor(rand() * 4)
  let s = ''
  for (let i = 0; i < n; i++) s += PIECES[Math.floor(rand() * PIECES.length)]
  return s
}

/** A random value of the kinds a sweep config holds after json.loads. */
export function randomValue(rand: () => number, depth = 0): PyValue {
  const r = rand()
  if (depth < 3 && r < 0.2) return new Map(Array.from({length: Math.floor(rand() * 4)}, () => [randomString(rand), randomValue(rand, depth + 1)] as [string, PyValue]))
  if (depth < 3 && r < 0.35) return Array.from({length: Math.floor(rand() * 4)}, () => randomValue(rand, depth + 1))
  if (r < 0.45) return BigInt(Math.floor((rand() - 0.5) * 1e6)) * (rand() < 0.1 ? 10n ** 20n : 1n)
  if (r < 0.6) return new PyFloat(rand() < 0.5 ? FLOATS[Math.floor(rand() * FLOATS.length)] : (rand() - 0.5) * 10 ** Math.floor(rand() * 40 - 20))
  if (r < 0.65) return rand() < 0.5
  if (r < 0.7) return null
  return randomString(rand)
}

const WANDB_ORACLE = join(import.meta.dir, 'wandb_sweep_oracle.py')

export type WandbCase = {prepare: string} | {parse: string} | {project: string | null; cwd: string} | {url: [string, string | null, string | null, string]} | {repr: string}
export type WandbResult = {yaml?: string; parts?: {entity: string | null; project: string | null; name: string}; project?: string; url?: string | null; repr?: string; error?: string}

/** Runs the cases through wandb 0.31's own sweep helpers (wandb_sweep_oracle.py). */
export async function wandbSweepOracle(cases: WandbCase[]): Promise<WandbResult[]> {
  const env: Record<string, string | undefined> = {}
  for (const k of Object.keys(process.env)) if (k.startsWith('WANDB_')) env[k] = undefined
  const r = await runPython([WANDB_ORACLE], {stdin: JSON.stringify(cases), timeoutMs: 120_000, env: {...env, WANDB_SILENT: 'true'}})
  if (r.code !== 0) throw new Error(`wandb_sweep_oracle.py exited ${r.code}: ${r.stderr.slice(-3000)}`)
  return JSON.parse(r.stdout) as WandbResult[]
}

/**
 * The real sweeps 0.2.0 (search_oracle.py run by the venv's Python) as the oracle of the search
 * tests, plus small builders for runs. One Python process answers a whole batch of cases.
 */
import {join} from 'node:path'
import {runPython} from '../../../helpers/python.ts'
import type {RunState, SweepRun} from '../../../../src/core/sweeps/search/index.ts'

const ORACLE = join(import.meta.dir, 'search_oracle.py')

export type OracleResult<T = unknown> = {ok: T} | {error: string}

/** Runs the cases through sweeps; fails on a Python-level crash of the script itself. */
export async function sweepsOracle(cases: Record<string, unknown>[]): Promise<OracleResult[]> {
  const r = await runPython([ORACLE], {stdin: JSON.stringify(cases), timeoutMs: 120_000})
  if (r.code !== 0) throw new Error(`search_oracle.py exited ${r.code}: ${r.stderr.slice(-3000)}`)
  return JSON.parse(r.stdout) as OracleResult[]
}

/** The value of an ok result (fails the test with the Python error otherwise). */
export function ok<T>(r: OracleResult): T {
  if ('error' in r) throw new Error(`sweeps raised ${r.error}`)
  return r.ok as T
}

/** A run with just what a test needs. */
export function run(name: string, state: RunState, o: {config?: Record<string, unknown>; history?: Record<string, unknown>[]; summary?: Record<string, unknown>} = {}): SweepRun {
  const config: Record<string, {value: unknown}> = {}
  for (const [k, v] of Object.entries(o.config ?? {})) config[k] = {value: v}
  return {name, state, config, summaryMetrics: o.summary ?? {}, history: o.history ?? []}
}

/** The error a call throws (fails the test when it does not throw). */
export function thrown(f: () => unknown): Error {
  try {
    f()
  } catch (err) {
    return err as Error
  }
  throw new Error('expected an error')
}

/**
 * The codebase's habits, checked in the suite: the typecheck (`tsc --noEmit`) and Biome's lint and
 * format check (`biome check`, configured in biome.json) pass with nothing to report. Fix with
 * `npx bun run format` and the lint messages printed here.
 */
import {describe, expect, test} from 'bun:test'
import {join} from 'node:path'
import {run} from '../helpers/binary.ts'
import {REPO_ROOT} from '../helpers/python.ts'

const bin = (name: string) => join(REPO_ROOT, 'node_modules', '.bin', name)

describe('code style', () => {
  test('tsc --noEmit reports no type errors', async () => {
    const r = await run([bin('tsc'), '--noEmit', '-p', 'tsconfig.json'], {cwd: REPO_ROOT})
    expect(`${r.stdout}${r.stderr}`.trim()).toBe('')
    expect(r.code).toBe(0)
  }, 120_000)

  test('biome check (lint and format) reports nothing', async () => {
    const r = await run([bin('biome'), 'check', '.', '--max-diagnostics=50'], {cwd: REPO_ROOT})
    expect(r.code, `${r.stdout}${r.stderr}`).toBe(0)
  }, 120_000)
})

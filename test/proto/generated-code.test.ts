/**
 * proto/gen is exactly what scripts/gen-proto.sh makes of proto/*.proto: generated code that was
 * not regenerated after a schema edit (or was edited by hand) fails here.
 */
import {expect, test} from 'bun:test'
import {mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, relative} from 'node:path'
import {REPO_ROOT} from '../helpers/python.ts'

const GEN_DIR = join(REPO_ROOT, 'proto', 'gen')

/** Paths of every file under dir, relative to it, sorted. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, {recursive: true, withFileTypes: true})
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort()
}

test('proto/gen is byte for byte what scripts/gen-proto.sh generates from proto/*.proto', async () => {
  const out = mkdtempSync(join(tmpdir(), 'proto-gen-'))
  try {
    const proc = Bun.spawn(['bash', join(REPO_ROOT, 'scripts', 'gen-proto.sh'), out], {
      cwd: REPO_ROOT,
      stdout: 'pipe',
      stderr: 'pipe',
    })
    const [stderr, code] = await Promise.all([new Response(proc.stderr).text(), proc.exited])
    expect({code, stderr: code === 0 ? '' : stderr}).toEqual({code: 0, stderr: ''})

    const fresh = filesUnder(out)
    const committed = filesUnder(GEN_DIR)
    expect(fresh).toContain('wandb_internal.ts')
    const problems = [
      ...fresh.filter((f) => !committed.includes(f)).map((f) => `missing from proto/gen: ${f}`),
      ...committed.filter((f) => !fresh.includes(f)).map((f) => `not generated (stale extra): proto/gen/${f}`),
      ...fresh.filter((f) => committed.includes(f) && !readFileSync(join(out, f)).equals(readFileSync(join(GEN_DIR, f)))).map((f) => `differs (stale; run scripts/gen-proto.sh): proto/gen/${f}`),
    ]
    expect(problems).toEqual([])
  } finally {
    rmSync(out, {recursive: true, force: true})
  }
})

/**
 * The release packages of this machine's platform (`bun scripts/package.ts`), installed as a user
 * would: the wheel into a fresh venv with wandb 0.31 (the SDK then runs on nexus; uninstalling
 * gives it its Go core back), and the npm tarballs into an empty prefix. The import hook's
 * refusal of an unsupported wandb runs against a stand-in wandb package.
 */
import {afterAll, beforeAll, describe, expect, test} from 'bun:test'
import {createHash} from 'node:crypto'
import {existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import pjson from '../../package.json' with {type: 'json'}
import {hostPlatformId} from '../../scripts/package/platforms.ts'
import {run} from '../helpers/binary.ts'
import {REPO_ROOT} from '../helpers/python.ts'

const work = mkdtempSync(join(tmpdir(), 'nexus-packages-'))
const out = join(work, 'packages')
afterAll(() => rmSync(work, {recursive: true, force: true}))

beforeAll(async () => {
  const r = await run([process.execPath, 'scripts/package.ts', '--no-build', '--platforms', hostPlatformId(), '--out', out], {cwd: REPO_ROOT})
  if (r.code !== 0) throw new Error(`package failed: ${r.stdout}${r.stderr}`)
}, 120_000)

const file = (pattern: RegExp) => {
  const found = readdirSync(out).find((f) => pattern.test(f))
  if (!found) throw new Error(`no ${pattern} in ${readdirSync(out).join(', ')}`)
  return join(out, found)
}

describe('release packages', () => {
  test('a wheel, a platform tarball, the main tarball and SHA256SUMS that match them', () => {
    const names = readdirSync(out).sort()
    expect(names).toHaveLength(4)
    const sums = readFileSync(join(out, 'SHA256SUMS'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split('  '))
    expect(sums.map(([, f]) => f).sort()).toEqual(names.filter((n) => n !== 'SHA256SUMS'))
    for (const [sum, f] of sums)
      expect(
        createHash('sha256')
          .update(readFileSync(join(out, f)))
          .digest('hex'),
      ).toBe(sum)
    expect(file(/\.whl$/)).toContain(`nexus_wandb-${pjson.version}-py3-none-`)
  })

  test('pip install: nexus on PATH and the wandb SDK on nexus; pip uninstall: wandb on its Go core again', async () => {
    const venv = join(work, 'venv')
    const py = join(venv, 'bin', 'python')
    expect((await run(['python3', '-m', 'venv', venv])).code).toBe(0)
    const pip = async (...args: string[]) => {
      const r = await run([py, '-m', 'pip', '--disable-pip-version-check', '-q', ...args])
      expect(`${r.code} ${r.stderr}`).toStartWith('0')
    }
    await pip('install', 'wandb==0.31.0')
    await pip('install', file(/\.whl$/))
    const version = await run([join(venv, 'bin', 'nexus'), '--version'])
    expect(version.stdout).toContain(`nexus/${pjson.version}`)
    const corePaths = `import wandb.util\nfrom wandb.sdk.lib.service import service_process as sp\nprint(wandb.util.get_core_path()); print(sp.get_core_path())`
    expect((await run([py, '-c', corePaths])).stdout.trim().split('\n')).toEqual([join(venv, 'bin', 'nexus'), join(venv, 'bin', 'nexus')])

    const dir = join(work, 'run')
    mkdirSync(dir)
    const script = "import wandb\nr = wandb.init(project='p', mode='offline')\nr.log({'a': 1})\nr.finish()\nprint('RUN', r.id)"
    const ran = await run([py, '-c', script], {cwd: dir, env: {WANDB_SILENT: 'true', NEXUS_SHARED_SERVICE: '0'}})
    expect(ran.code).toBe(0)
    const id = /RUN (\w+)/.exec(ran.stdout)?.[1] as string
    const runDir = readdirSync(join(dir, 'wandb')).find((n) => n.endsWith(id)) as string
    expect(readFileSync(join(dir, 'wandb', runDir, 'logs', 'debug-internal.log'), 'utf8')).toContain(`+nexus.${pjson.version}`)

    await pip('uninstall', '-y', 'nexus-wandb')
    expect(existsSync(join(venv, 'bin', 'nexus'))).toBe(false)
    const after = (await run([py, '-c', corePaths])).stdout.trim().split('\n')
    expect(after.every((p) => p.endsWith(join('wandb', 'bin', 'wandb-core')))).toBe(true)
  }, 300_000)

  test('the hook leaves an unsupported wandb on its own core and says why', async () => {
    const fake = join(work, 'fake')
    mkdirSync(join(fake, 'wandb'), {recursive: true})
    writeFileSync(join(fake, 'wandb', '__init__.py'), '__version__ = "0.40.0"\n')
    writeFileSync(join(fake, 'wandb', 'util.py'), 'def get_core_path():\n    return "/original/wandb-core"\n')
    const code = 'import nexus_wandb._hook\nimport wandb.util\nprint(wandb.util.get_core_path())'
    const r = await run(['python3', '-c', code], {env: {PYTHONPATH: `${fake}:${join(REPO_ROOT, 'packaging', 'python')}`}})
    expect(r.stdout.trim()).toBe('/original/wandb-core')
    expect(r.stderr).toContain('nexus: wandb 0.40.0 is not supported by this nexus (it speaks wandb 0.31.x)')
    const disabled = await run(['python3', '-c', code.replace('0.40', '0.31')], {env: {PYTHONPATH: `${fake}:${join(REPO_ROOT, 'packaging', 'python')}`, NEXUS_WANDB_DISABLE: '1'}})
    expect(disabled.stdout.trim()).toBe('/original/wandb-core')
  })

  test('npm: the tarballs installed into an empty prefix give a working nexus', async () => {
    const prefix = join(work, 'prefix')
    const installed = await run(['npm', 'install', '-g', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', file(new RegExp(`^nexus-wandb-${hostPlatformId()}-`)), file(/^nexus-wandb-\d/)])
    expect(`${installed.code} ${installed.stderr}`).toStartWith('0')
    const r = await run([join(prefix, 'bin', 'nexus'), '--version'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(`nexus/${pjson.version}`)
    const bad = await run([join(prefix, 'bin', 'nexus'), 'sync', 'x', '--parallel', 'lots'])
    expect(bad.code).toBe(2)
  }, 120_000)
})

/**
 * `nexus service install [--uninstall]` against a wandb package of its own (the real package's
 * files linked into a temp dir, bin/ a real copy), so the venv is never touched: install keeps the
 * original as wandb-core.orig, a reinstall keeps that original, the SDK then runs on nexus, and
 * --uninstall restores the original byte for byte.
 */
import {afterAll, beforeAll, describe, expect, test} from 'bun:test'
import {copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {hostBinary, run} from '../helpers/binary.ts'
import {goCorePath, requirePython, sitePackages} from '../helpers/python.ts'

let root: string
let pkg: string
let env: Record<string, string>

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'service-install-'))
  const real = join(sitePackages(), 'wandb')
  pkg = join(root, 'site', 'wandb')
  mkdirSync(join(pkg, 'bin'), {recursive: true})
  for (const e of readdirSync(real)) if (e !== 'bin') symlinkSync(join(real, e), join(pkg, e))
  for (const e of readdirSync(join(real, 'bin'))) copyFileSync(join(real, 'bin', e), join(pkg, 'bin', e))
  env = {PYTHONPATH: join(root, 'site'), HOME: root, WANDB_CACHE_DIR: join(root, 'cache'), WANDB_DIR: root, WANDB_MODE: 'offline', WANDB_SILENT: 'true', WANDB_ERROR_REPORTING: 'false'}
})
afterAll(() => rmSync(root, {recursive: true, force: true}))

const install = (...flags: string[]) => run([hostBinary(), 'service', 'install', '--python', requirePython(), ...flags], {env})
const core = () => join(pkg, 'bin', 'wandb-core')
const orig = () => join(pkg, 'bin', 'wandb-core.orig')

describe('nexus service install', () => {
  test('install, reinstall, an SDK run on nexus, uninstall, and uninstall again', async () => {
    const goBytes = readFileSync(goCorePath())

    const first = await install()
    expect(first.code).toBe(0)
    expect(first.stdout).toContain('Installed nexus as')
    expect(readFileSync(orig()).equals(goBytes)).toBe(true)
    expect((await run([core(), '--version'])).stdout).toStartWith('nexus/')

    const again = await install()
    expect(again.code).toBe(0)
    expect(again.stdout).toContain('Updated nexus')
    expect(readFileSync(orig()).equals(goBytes)).toBe(true) // the original is never overwritten by nexus

    // The SDK of that package now launches nexus: its core log names the nexus build.
    const sdk = await run([requirePython(), '-c', 'import wandb; r = wandb.init(project="p"); r.log({"a": 1}); r.finish()'], {cwd: root, env})
    expect(sdk.code).toBe(0)
    const logs = join(root, 'cache', 'wandb', 'logs')
    const coreLog = readdirSync(logs).find((f) => f.startsWith('core-debug-'))!
    expect(readFileSync(join(logs, coreLog), 'utf8')).toContain('+nexus.')

    const restored = await install('--uninstall')
    expect(restored.code).toBe(0)
    expect(readFileSync(core()).equals(goBytes)).toBe(true)

    const nothing = await install('--uninstall')
    expect(nothing.code).toBe(1)
    expect(nothing.stderr).toContain('not installed')
  }, 120_000)

  test('a Python that cannot be run is a clear local error (exit 8), nothing changed', async () => {
    const before = readFileSync(core())
    const res = await run([hostBinary(), 'service', 'install', '--python', join(root, 'no-such-python')], {env})
    expect(res.code).toBe(8)
    expect(res.stderr).toContain('no-such-python')
    expect(readFileSync(core()).equals(before)).toBe(true)
  })
})

/**
 * `nexus leet inspect --summary [--json]` against the real Go wandb-core 0.31 as the oracle, on
 * runs made by the real SDK (offline, on the Go core and on nexus): finished, failed, crashed,
 * a cut copy (a run still writing) and a damaged copy; the wandb-core form once nexus is
 * installed into a copy of the SDK, delegation of the other leet commands to the original core,
 * and bad input.
 */
import {afterAll, beforeAll, describe, expect, test} from 'bun:test'
import {copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {nexusOverlay} from '../e2e/harness.ts'
import {hostBinary, run} from '../helpers/binary.ts'
import {goCorePath, requirePython, sitePackages} from '../helpers/python.ts'

const SCRIPT = `
import os, sys, wandb
run = wandb.init(mode="offline", project="leetproj", name=os.environ.get("NAME") or None, id=os.environ["RID"],
    config={"lr": 0.001, "model": {"layers": 4, "act": "relu", "drop": [0.1, 0.2]}, "big": 1000000, "bigf": 1e6, "none": None},
    tags=["t1", "t2"], notes="some notes")
for i in range(5):
    sys.stdout.write(f"\\rprogress {i}/5"); sys.stdout.flush()
print()
for i in range(24):
    print(f"step {i} line")
    run.log({"loss": 1.0 / (i + 1), "acc": i * 0.1, "nested": {"a": i}, "betas": [0.9, 0.99], "n": i, "nan": float("nan")})
print("to stderr", file=sys.stderr)
run.summary["best"] = 0.42
run.summary["loss"] = 0.001
run.config.update({"late": "x"})
if os.environ.get("CRASH"):
    sys.stdout.flush(); os._exit(3)
run.finish(exit_code=int(os.environ.get("EXIT", "0")))
`

let root: string
const runs: Record<string, string> = {}
const go = () => goCorePath()

/** Runs the SDK script in its own home; returns the wandb directory holding the run. */
async function makeRun(name: string, env: Record<string, string>, onNexus = false): Promise<string> {
  const home = join(root, name)
  mkdirSync(home, {recursive: true})
  const res = await run([requirePython(), '-c', SCRIPT], {
    cwd: home,
    env: {
      HOME: home,
      WANDB_DIR: home,
      WANDB_MODE: 'offline',
      WANDB_DISABLE_GIT: 'true',
      WANDB_DISABLE_CODE: 'true',
      WANDB_ERROR_REPORTING: 'false',
      WANDB_CONFIG_DIR: join(home, '.config'),
      WANDB_CACHE_DIR: join(home, '.cache'),
      PYTHONPATH: onNexus ? nexusOverlay() : '',
      ...env,
    },
  })
  if (env.CRASH) expect(res.code).toBe(3)
  else expect(res.code).toBe(0) // finish(exit_code=N) records N; the script itself exits 0
  return join(home, 'wandb')
}

/** The .wandb file of the only run in a wandb directory. */
function wandbFile(wandbDir: string): string {
  const dir = readdirSync(wandbDir).find((d) => d.startsWith('offline-run-'))!
  const file = readdirSync(join(wandbDir, dir)).find((f) => f.endsWith('.wandb'))!
  return join(wandbDir, dir, file)
}

const inspect = (bin: string, ...args: string[]) => run([bin, 'leet', 'inspect', ...args], {cwd: root, env: {TZ: 'Europe/Berlin'}})
/** The run state's age is the only time-dependent text (the oracle runs a moment later). */
const mask = (s: string) => s.replace(/last write \S+ ago/g, 'last write N ago')

async function expectSameAsGo(args: string[]): Promise<string> {
  const [ours, theirs] = await Promise.all([inspect(hostBinary(), ...args), inspect(go(), '--no-observability', ...args)])
  expect(mask(ours.stdout)).toBe(mask(theirs.stdout))
  expect(ours.stderr).toBe(theirs.stderr)
  expect(ours.code).toBe(theirs.code)
  return ours.stdout
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'leet-'))
  const [finished, onNexus, failed, crashed] = await Promise.all([
    makeRun('finished', {RID: 'fin001', NAME: 'leet-run'}),
    makeRun('nexus', {RID: 'nex001', NAME: 'on-nexus'}, true),
    makeRun('failed', {RID: 'fail01', EXIT: '2'}),
    makeRun('crashed', {RID: 'crash1', CRASH: '1'}),
  ])
  Object.assign(runs, {finished, onNexus, failed, crashed})
  // A crashed run: no exit record and no write for 20 minutes.
  const old = new Date(Date.now() - 20 * 60_000)
  utimesSync(wandbFile(crashed), old, old)
  // A run still being written: the first 60% of a finished run's file.
  const full = readFileSync(wandbFile(finished))
  runs.cut = join(root, 'cut.wandb')
  writeFileSync(runs.cut, full.subarray(0, Math.floor(full.length * 0.6)))
  // Damage in the middle: a flipped run of bytes that breaks a chunk's checksum.
  const damaged = Buffer.from(full)
  for (let i = 2000; i < 2040; i++) damaged[i] ^= 0xff
  runs.damaged = join(root, 'damaged.wandb')
  writeFileSync(runs.damaged, damaged)
}, 180_000)
afterAll(() => rmSync(root, {recursive: true, force: true}))

describe('nexus leet inspect --summary equals wandb-core 0.31', () => {
  for (const name of ['finished', 'onNexus', 'failed', 'crashed']) {
    test(`${name} run: text and --json`, async () => {
      const text = await expectSameAsGo(['--summary', runs[name]])
      const json = await expectSameAsGo(['--summary', '--json', runs[name]])
      const parsed = JSON.parse(json)
      if (name !== 'crashed') expect(parsed.run_id).toBe({finished: 'fin001', onNexus: 'nex001', failed: 'fail01'}[name]!)
      if (name !== 'crashed') {
        expect(parsed.config.model.layers).toBe(4)
        expect(text).toContain('  bigf          1e+06\n')
        // os._exit loses what the SDK had not flushed; the others hold everything the script logged.
        expect(parsed.tags).toEqual(['t1', 't2'])
        expect(parsed.summary.best).toBe(0.42)
        expect(parsed.console_lines).toBe(26)
        expect(parsed.console).toHaveLength(20)
      }
      const state = {finished: 'finished (exit code 0)', onNexus: 'finished (exit code 0)', failed: 'failed (exit code 2)', crashed: 'crashed (no exit record, last write 20m'}[name]!
      // A killed process may not have delivered its run record at all: then Go says "unknown".
      if (name !== 'crashed' || parsed.run_id !== '') expect(text).toContain(`state    ${state}`)
    })
  }

  test('a cut copy reads as a running run, and as crashed once unwritten for 10 minutes; a damaged copy skips the damage', async () => {
    const cut = await expectSameAsGo(['--summary', '--run-file', runs.cut])
    expect(cut).toMatch(/state {4}running \(last write \d+s ago\)/)
    await expectSameAsGo(['--summary', '--json', '--run-file', runs.cut])
    const stale = join(root, 'stale.wandb')
    copyFileSync(runs.cut, stale)
    const old = new Date(Date.now() - 11 * 60_000)
    utimesSync(stale, old, old)
    const crashed = await expectSameAsGo(['--summary', '--run-file', stale])
    expect(crashed).toMatch(/\nstate {4}crashed \(no exit record, last write 11m\d+s ago\)\n/)
    expect(JSON.parse(await expectSameAsGo(['--summary', '--json', '--run-file', stale])).state).toBe('crashed')
    // The damaged chunk costs the rest of its 32 KiB block; reading goes on after it.
    const damaged = await expectSameAsGo(['--summary', '--run-file', runs.damaged])
    expect(damaged).toContain('run      leet-run (fin001)')
    await expectSameAsGo(['--summary', '--json', '--run-file', runs.damaged])
  })

  test('bad input: missing directory, a directory without latest-run, a file that is not a .wandb log', async () => {
    writeFileSync(join(root, 'text.wandb'), 'not a transaction log\n')
    mkdirSync(join(root, 'plain'), {recursive: true})
    const cases = [
      ['--summary', join(root, 'no-such-dir')],
      ['--summary', join(root, 'plain')],
      ['--summary', '--run-file', join(root, 'text.wandb')],
      ['--summary', '--run-file', join(root, 'no-such.wandb')],
      ['--summary', '--run-file', root],
    ]
    for (const args of cases) {
      const [ours, theirs] = await Promise.all([inspect(hostBinary(), ...args), inspect(go(), '--no-observability', ...args)])
      expect(ours.stderr).toBe(theirs.stderr)
      expect(ours.stderr).toStartWith('Error: ')
      expect(ours.code).toBe(1)
      expect(ours.code).toBe(theirs.code)
    }
  })
})

describe('delegation of the other leet commands', () => {
  test('with no original core: exit 3 naming what was tried', async () => {
    const res = await run([hostBinary(), 'leet', 'symon', '-h'], {env: {NEXUS_WANDB_CORE: ''}})
    expect(res.code).toBe(3)
    expect(res.stderr).toContain('wandb-core.orig')
    expect(res.stderr).toContain('NEXUS_WANDB_CORE')
  })

  test('$NEXUS_WANDB_CORE names the original: same output and exit code as Go', async () => {
    for (const args of [['symon', '-h'], ['config', '-h'], ['run'], ['-h']]) {
      const [ours, theirs] = await Promise.all([run([hostBinary(), 'leet', ...args], {env: {NEXUS_WANDB_CORE: go()}}), run([go(), 'leet', ...args])])
      expect(ours.stderr).toBe(theirs.stderr)
      expect(ours.stdout).toBe(theirs.stdout)
      expect(ours.code).toBe(theirs.code)
    }
  })
})

describe('after nexus service install', () => {
  let pkg: string
  let env: Record<string, string>
  beforeAll(async () => {
    const real = join(sitePackages(), 'wandb')
    pkg = join(root, 'site', 'wandb')
    mkdirSync(join(pkg, 'bin'), {recursive: true})
    for (const e of readdirSync(real)) if (e !== 'bin') symlinkSync(join(real, e), join(pkg, e))
    for (const e of readdirSync(join(real, 'bin'))) copyFileSync(join(real, 'bin', e), join(pkg, 'bin', e))
    env = {PYTHONPATH: join(root, 'site'), HOME: root, WANDB_DIR: root, WANDB_MODE: 'offline', WANDB_ERROR_REPORTING: 'false', TZ: 'Europe/Berlin'}
    const installed = await run([hostBinary(), 'service', 'install', '--python', requirePython()], {env})
    expect(installed.code).toBe(0)
  }, 60_000)

  test('`wandb leet inspect --summary DIR` prints what Go prints', async () => {
    const core = join(pkg, 'bin', 'wandb-core')
    expect((await run([core, '--version'])).stdout).toStartWith('nexus/')
    for (const flags of [['--summary'], ['--summary', '--json']]) {
      const [ours, theirs] = await Promise.all([
        run([requirePython(), '-m', 'wandb', 'leet', 'inspect', ...flags, runs.finished], {cwd: root, env}),
        inspect(go(), '--no-observability', ...flags, runs.finished),
      ])
      expect(ours.code).toBe(0)
      expect(mask(ours.stdout)).toBe(mask(theirs.stdout))
      expect(ours.stdout).toContain('leet-run')
    }
  }, 60_000)

  test('the installed wandb-core hands symon/config/run to wandb-core.orig', async () => {
    const core = join(pkg, 'bin', 'wandb-core')
    expect(statSync(join(pkg, 'bin', 'wandb-core.orig')).size).toBe(statSync(go()).size)
    const usageErrors = [
      ['inspect', '--bogus'],
      ['inspect', '--summary', '--follow', root],
      ['inspect', '--summary', root, 'extra'],
      ['inspect', '-h'],
    ]
    for (const args of [['symon', '-h'], ['config', '--help'], ['-h'], ['run'], ...usageErrors]) {
      const [ours, theirs] = await Promise.all([run([core, 'leet', ...args]), run([go(), 'leet', ...args])])
      expect(ours.stderr).toBe(theirs.stderr)
      expect(ours.code).toBe(theirs.code)
    }
  })

  test('wandb-core flag forms: single dash, -flag=value, --, and the ignored telemetry flags', async () => {
    const core = join(pkg, 'bin', 'wandb-core')
    const args = ['leet', 'inspect', '-summary', '-json=true', '--log-level', '0', '--base-url', 'http://x', '--', runs.finished]
    const [ours, theirs] = await Promise.all([run([core, ...args], {env: {TZ: 'UTC'}}), run([go(), ...args], {env: {TZ: 'UTC'}})])
    expect(ours.code).toBe(0)
    expect(mask(ours.stdout)).toBe(mask(theirs.stdout))
    expect(JSON.parse(ours.stdout).run_id).toBe('fin001')
  })
})

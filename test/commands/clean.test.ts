/**
 * `nexus clean` (the compiled binary) against the real `wandb clean` of wandb 0.31: two identical
 * wandb directories (online runs, synced and unsynced offline runs, old and new, with and without
 * a timestamp, a stray file), one cleaned by each; the same folders must remain and the same
 * lines be printed (the run list compared in sorted order: wandb prints directory order).
 */
import {afterEach, describe, expect, test} from 'bun:test'
import {chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync} from 'node:fs'
import {dirname, join, relative} from 'node:path'
import {SyncStateDir} from '../../src/sync/sync-state-dir.ts'
import {TempHome} from '../core/credentials/helpers.ts'
import {nexus, nexusOnTerminal, wandbCli} from './helpers.ts'

const homes: TempHome[] = []
afterEach(() => {
  for (const h of homes.splice(0)) h.dispose()
})

const HOUR = 3_600_000
/** One reference time for every layout, so both CLIs see the same folder names. */
const NOW = Date.now()

/** A run folder's timestamp `hoursAgo` hours before NOW, in local time as the SDK names folders. */
function stamp(hoursAgo: number): string {
  const d = new Date(NOW - hoursAgo * HOUR)
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}_${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`
}

/** Folder name → files in it ('' content); a name ending in '/' is a plain file instead. */
type Layout = Record<string, string[] | 'file'>

function layout(): Layout {
  return {
    [`run-${stamp(30)}-online1`]: ['files/config.yaml', 'files/media/img.png', 'logs/debug.log', 'run-online1.wandb'],
    [`run-${stamp(200)}-online2`]: ['run-online2.wandb'],
    [`run-${stamp(1)}-fresh`]: ['run-fresh.wandb'],
    'run-nostamp-online3': ['run-online3.wandb'],
    [`offline-run-${stamp(50)}-synced1`]: ['run-synced1.wandb', 'run-synced1.wandb.synced', 'files/output.log'],
    [`offline-run-${stamp(150)}-unsynced1`]: ['run-unsynced1.wandb', 'files/output.log'],
    [`offline-run-${stamp(2)}-synced2`]: ['run-synced2.wandb', 'run-synced2.wandb.synced'],
    'offline-run-nodate-unsynced2': ['run-unsynced2.wandb'],
    [`run-${stamp(40)}-notadir`]: 'file',
    'debug.log': 'file',
  }
}

/** A home whose workspace holds `dirName` (default wandb/) with `spec`. */
function workspace(spec: Layout = layout(), dirName = 'wandb'): TempHome {
  const home = new TempHome()
  homes.push(home)
  const root = join(home.work, dirName)
  mkdirSync(root, {recursive: true})
  for (const [name, files] of Object.entries(spec)) {
    if (files === 'file') {
      writeFileSync(join(root, name), 'x')
      continue
    }
    mkdirSync(join(root, name))
    for (const f of files) {
      mkdirSync(dirname(join(root, name, f)), {recursive: true})
      writeFileSync(join(root, name, f), f)
    }
  }
  return home
}

/** Everything under the workspace (wandb's own debug-cli log left out), relative paths. */
function tree(home: TempHome): string[] {
  const out: string[] = []
  const walk = (d: string) => {
    for (const e of readdirSync(d, {withFileTypes: true})) {
      if (e.name.startsWith('debug-cli.')) continue
      const p = join(d, e.name)
      out.push(relative(home.work, p))
      if (e.isDirectory()) walk(p)
    }
  }
  walk(home.work)
  return out.sort()
}

interface Outcome {
  code: number
  lines: string[]
  left: string[]
  text: string
}

async function clean(cli: 'wandb' | 'nexus', home: TempHome, args: string[], env: Record<string, string> = {}): Promise<Outcome> {
  const r = cli === 'wandb' ? await wandbCli(home, ['clean', ...args], {env}) : await nexus(home, ['clean', ...args], {env})
  return {code: r.code, lines: r.stderr.split('\n').filter((l) => l.startsWith('wandb: ')), left: tree(home), text: `${r.stdout}\n${r.stderr}`}
}

/** The listed runs ("wandb:   …") sorted within their block; other lines keep their order. */
function normalized(lines: string[]): string[] {
  const isRun = (l: string) => l.startsWith('wandb:   ')
  const runs = lines.filter(isRun).sort()
  return [...lines.filter((l) => !isRun(l)), ...runs]
}

async function both(args: string[], make: () => TempHome = () => workspace(), nexusArgs: string[] = args): Promise<[Outcome, Outcome]> {
  return [await clean('wandb', make(), args), await clean('nexus', make(), nexusArgs)]
}

function expectSame(w: Outcome, n: Outcome): void {
  expect(normalized(n.lines)).toEqual(normalized(w.lines))
  expect(n.left).toEqual(w.left)
  expect(n.code).toBe(w.code)
}

describe('nexus clean against wandb clean', () => {
  const cases: string[][] = [
    ['--force'],
    ['--include-unsynced', '--force'],
    ['--min-hours', '0', '--force'],
    ['--min-hours', '100', '--force'],
    ['--min-hours', '100', '--include-unsynced', '--force'],
  ]
  for (const args of cases) {
    test(`clean ${args.join(' ')}: the same folders remain and the same lines are printed`, async () => {
      const [w, n] = await both(args)
      expectSame(w, n)
      expect(n.code).toBe(0)
      expect(n.lines.at(-1)).toBe('wandb: Success.')
    }, 60_000)
  }

  test('what goes by default: old online runs, old synced offline runs, runs without a timestamp', async () => {
    const [w, n] = await both(['--force'])
    expectSame(w, n)
    const gone = Object.keys(layout()).filter((name) => !n.left.includes(join('wandb', name)))
    expect(gone.map((g) => g.replace(/\d{8}_\d{6}-/, '')).sort()).toEqual(['offline-run-synced1', 'run-nostamp-online3', 'run-online1', 'run-online2'])
    expect(n.lines.slice(0, 4)).toEqual([
      expect.stringMatching(/^wandb: WARNING Not a directory: wandb\/run-\d{8}_\d{6}-notadir$/),
      'wandb: Skipping 2 run(s) created fewer than 24 hours ago.',
      'wandb: Skipping 2 unsynced run(s).',
      'wandb: Found 4 run(s) to clean.',
    ])
  }, 60_000)

  test('--include-unsynced marks unsynced runs in the list', async () => {
    const [w, n] = await both(['--include-unsynced', '--force'])
    expectSame(w, n)
    expect(n.lines.filter((l) => l.includes('[unsynced]')).length).toBe(2)
  }, 60_000)

  test('without a terminal: wandb crashes at the prompt, nexus says to pass --force; nothing is removed by either', async () => {
    const [w, n] = await both(['--min-hours', '100'])
    expect(w.code).toBe(1)
    expect(w.text).toContain('NotATerminalError')
    expect(n.code).toBe(2)
    expect(n.text).toContain('There is no terminal to ask on, so nothing was removed: pass --force (or -y/--yes)')
    expect(normalized(n.lines)).toEqual(normalized(w.lines))
    expect(n.left).toEqual(w.left)
    expect(n.left).toEqual(tree(workspace()))
  }, 60_000)

  test('nothing to clean, no wandb directory, a wandb file instead of a directory (where wandb crashes)', async () => {
    const [w1, n1] = await both(['--min-hours', '100000', '--force'], () => workspace({[`run-${stamp(30)}-x`]: []}))
    expectSame(w1, n1)
    expect(n1.lines).toEqual(['wandb: Skipping 1 run(s) created fewer than 100000 hours ago.', 'wandb: Found no runs to clean up.'])
    expect(n1.code).toBe(0)
    const empty = () => {
      const h = new TempHome()
      homes.push(h)
      return h
    }
    const [w2, n2] = await both(['--force'], empty)
    expectSame(w2, n2)
    expect(n2.lines).toEqual(['wandb: ERROR No wandb directory found.'])
    expect(n2.code).toBe(1)
    const fileInstead = () => {
      const h = empty()
      writeFileSync(join(h.work, 'wandb'), 'not a folder')
      return h
    }
    // wandb crashes before its check, opening its debug log inside "wandb"; nexus says what is wrong.
    const [w3, n3] = await both(['--force'], fileInstead)
    expect(w3.code).toBe(1)
    expect(w3.text).toContain('NotADirectoryError')
    expect(n3.code).toBe(1)
    expect(n3.lines).toEqual(["wandb: ERROR Not a directory: 'wandb'"])
    expect(n3.left).toEqual(w3.left)
  }, 60_000)

  test('.wandb is used when it exists, as wandb settings choose it', async () => {
    const make = () => {
      const h = workspace(layout(), '.wandb')
      mkdirSync(join(h.work, 'wandb', `run-${stamp(30)}-plain`), {recursive: true})
      return h
    }
    const [w, n] = await both(['--force'], make)
    expectSame(w, n)
    expect(n.lines.some((l) => l.includes('.wandb/run-nostamp-online3'))).toBe(true)
    expect(n.left.some((p) => p.endsWith('-plain'))).toBe(true)
  }, 60_000)

  test('a run that cannot be removed: the same error and warning, exit 1, the file stays', async () => {
    const make = () => workspace({'run-nostamp-stuck': ['files/keep.txt']})
    const locks: (() => void)[] = []
    const lockedHome = () => {
      const h = make()
      locks.push(undeletable(join(h.work, 'wandb', 'run-nostamp-stuck', 'files', 'keep.txt')))
      return h
    }
    try {
      const [w, n] = await both(['--force'], lockedHome)
      expect(n.lines).toEqual(w.lines)
      expect(n.code).toBe(1)
      expect(w.code).toBe(1)
      expect(n.lines.at(-2)).toMatch(/^wandb: ERROR Failed to remove 'wandb\/run-nostamp-stuck': (Operation not permitted|Permission denied)$/)
      expect(n.lines.at(-1)).toBe('wandb: WARNING Some runs may not have been removed.')
      expect(n.left).toContain('wandb/run-nostamp-stuck/files/keep.txt')
    } finally {
      for (const undo of locks) undo()
    }
  }, 60_000)
})

describe('nexus clean: its own flags and safety', () => {
  test('-y/--yes are --force, --all is --include-unsynced, --path names the directory', async () => {
    const [w, n] = await both(['--include-unsynced', '--force'], () => workspace(), ['--all', '-y'])
    expectSame(w, n)
    const n2 = await clean('nexus', workspace(), ['--yes'])
    expect(n2.code).toBe(0)
    expect(n2.lines.at(-1)).toBe('wandb: Success.')
    const elsewhere = workspace(layout(), 'other/place')
    const n3 = await clean('nexus', elsewhere, ['--path', 'other/place', '-y'])
    expect(n3.code).toBe(0)
    expect(n3.lines).toContain('wandb:   other/place/run-nostamp-online3')
    expect(existsSync(join(elsewhere.work, 'other/place/run-nostamp-online3'))).toBe(false)
  }, 60_000)

  test('--json: one object with schema 1 listing what was removed and skipped', async () => {
    const home = workspace()
    const r = await nexus(home, ['clean', '--force', '--include-unsynced', '--json'])
    expect(r.code).toBe(0)
    expect(r.stderr).not.toContain('wandb: ')
    const out = JSON.parse(r.stdout)
    expect(out.schema).toBe(1)
    expect(out.wandbDir).toBe('wandb')
    expect(out.removed.length).toBe(6)
    expect(out.unsynced.map((p: string) => p.replace(/\d{8}_\d{6}-/, '')).sort()).toEqual(['wandb/offline-run-nodate-unsynced2', 'wandb/offline-run-unsynced1'])
    expect(out.skippedTooNew).toBe(2)
    expect(out.notDirectories.length).toBe(1)
    for (const p of out.removed) expect(existsSync(join(home.work, p))).toBe(false)
  })

  test('on a terminal it asks first: "n" keeps everything (exit 1), "y" removes', async () => {
    const question = 'Are you sure you want to remove 6 run(s), 2 of which are unsynced? [y/N]'
    const no = workspace()
    const before = tree(no)
    const r1 = await nexusOnTerminal(no, ['clean', '--include-unsynced'], question, 'n')
    expect(r1.code).toBe(1)
    expect(r1.stdout).toContain(`wandb: ${question}`)
    expect(tree(no)).toEqual(before)
    const yes = workspace()
    const r2 = await nexusOnTerminal(yes, ['clean', '--include-unsynced'], question, 'y')
    expect(r2.code).toBe(0)
    expect(r2.stdout).toContain('wandb: Success.')
    // Left: the two runs younger than 24 hours.
    const runDirs = readdirSync(join(yes.work, 'wandb'), {withFileTypes: true})
      .filter((e) => e.isDirectory())
      .map((e) => e.name.replace(/\d{8}_\d{6}-/, ''))
    expect(runDirs.sort()).toEqual(['offline-run-synced2', 'run-fresh'])
  }, 60_000)

  test('symbolic links are never followed: a linked run is skipped, links inside a run are removed, not their targets', async () => {
    const home = workspace({'run-nostamp-real': ['run-real.wandb']})
    const outside = home.path('precious')
    mkdirSync(join(outside, 'sub'), {recursive: true})
    writeFileSync(join(outside, 'sub', 'data.bin'), 'keep me')
    symlinkSync(outside, join(home.work, 'wandb', 'run-nostamp-linked'))
    symlinkSync(outside, join(home.work, 'wandb', 'run-nostamp-real', 'link-out'))
    const r = await clean('nexus', home, ['--force'])
    expect(r.code).toBe(0)
    expect(r.lines).toContain('wandb: WARNING Skipping symbolic link: wandb/run-nostamp-linked (not followed, not removed)')
    expect(existsSync(join(home.work, 'wandb', 'run-nostamp-real'))).toBe(false)
    expect(readFileSync(join(outside, 'sub', 'data.bin'), 'utf8')).toBe('keep me')
    expect(realpathSync(join(home.work, 'wandb', 'run-nostamp-linked'))).toBe(realpathSync(outside))
  })

  test('an offline run marked synced in the nexus sync state folder counts as synced', async () => {
    const home = workspace({[`offline-run-${stamp(30)}-ro`]: ['run-ro.wandb'], [`offline-run-${stamp(30)}-plain`]: ['run-plain.wandb']})
    const stateDir = home.path('sync-state')
    const ro = readdirSync(join(home.work, 'wandb')).find((n) => n.endsWith('-ro'))!
    const marker = new SyncStateDir(realpathSync(join(home.work, 'wandb', ro, 'run-ro.wandb')), {NEXUS_SYNC_STATE_DIR: stateDir})
    marker.ensure()
    writeFileSync(marker.file('synced'), '')
    const r = await clean('nexus', home, ['--force'], {NEXUS_SYNC_STATE_DIR: stateDir})
    expect(r.code).toBe(0)
    expect(r.lines).toContain('wandb: Skipping 1 unsynced run(s).')
    expect(existsSync(join(home.work, 'wandb', ro))).toBe(false)
    expect(r.left.some((p) => p.endsWith('-plain'))).toBe(true)
  })

  test('bad flag values are refused before anything is removed', async () => {
    const home = workspace()
    const before = tree(home)
    for (const args of [['--min-hours', 'soon'], ['--min-hours', '1.5'], ['--bogus']]) {
      const r = await nexus(home, ['clean', '--force', ...args])
      expect({args, code: r.code}).toEqual({args, code: 2})
    }
    expect(tree(home)).toEqual(before)
  })
})

/**
 * Makes unlinking `file` fail: a read-only parent folder, or for root (who ignores permissions)
 * the immutable attribute. Returns the undo.
 */
function undeletable(file: string): () => void {
  if (process.getuid?.() !== 0) {
    chmodSync(dirname(file), 0o555)
    return () => chmodSync(dirname(file), 0o755)
  }
  const set = Bun.spawnSync(['chattr', '+i', file])
  if (set.exitCode !== 0) throw new Error(`cannot make ${file} undeletable as root: chattr +i failed: ${set.stderr.toString()}`)
  return () => void Bun.spawnSync(['chattr', '-i', file])
}

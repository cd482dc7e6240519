/**
 * `nexus artifact cache cleanup` (the compiled binary) against the real `wandb artifact cache
 * cleanup` of wandb 0.31: two identical caches (files of known sizes and access times, content
 * and temporary files), one cleaned by each; the same files must remain and the same lines be
 * printed. The size parser and printer are checked against the SDK's own functions.
 */
import {afterEach, describe, expect, test} from 'bun:test'
import {chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, utimesSync, writeFileSync} from 'node:fs'
import {dirname, join, relative} from 'node:path'
import {fromHumanSize, toHumanSize} from '../../src/core/artifacts/human-size.ts'
import {TempHome} from '../core/credentials/helpers.ts'
import {runPython} from '../helpers/python.ts'
import {seededRandom} from '../helpers/seeded-random.ts'
import {nexus, wandbCli} from './helpers.ts'

const homes: TempHome[] = []
afterEach(() => {
  for (const h of homes.splice(0)) h.dispose()
})

/** A cache file: path under `<cache>/artifacts`, size, access time (seconds since the epoch). */
type CacheFile = [path: string, size: number, atime: number]

const DAY = 86_400
const T0 = 1_700_000_000
/** Content files with distinct access times (no ties, whose order is the directory's). */
const FILES: CacheFile[] = [
  ['obj/md5/aa/0001', 1500, T0 + 3 * DAY],
  ['obj/md5/aa/0002', 700, T0 + 1 * DAY],
  ['obj/md5/bb/0003', 2500, T0 + 5 * DAY],
  ['obj/md5/bb/0004', 100, T0 + 2 * DAY],
  ['obj/md5/cc/0005', 900, T0 + 6 * DAY],
  ['obj/xxh128/dd/0006', 3000, T0 + 4 * DAY],
  ['obj/etag/ee/0007', 4000, T0 + 7 * DAY],
  ['obj/etag/ee/deeper/0008', 250, T0 + 0.5 * DAY],
  ['tmp/upload-1', 400, T0 + 8 * DAY],
  ['tmp/nested/upload-2', 1100, T0],
]

/** A home whose W&B cache (WANDB_CACHE_DIR) holds `files`. */
function cacheHome(files: CacheFile[] = FILES): TempHome {
  const home = new TempHome()
  homes.push(home)
  for (const [path, size, atime] of files) {
    const full = join(cacheRoot(home), path)
    mkdirSync(dirname(full), {recursive: true})
    writeFileSync(full, Buffer.alloc(size, 7))
    utimesSync(full, atime, T0)
  }
  return home
}

/**
 * Makes unlinking `file` fail: a read-only parent folder, or for root (who ignores permissions)
 * the immutable attribute. Returns the undo. Throws when neither is possible here.
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

const cacheRoot = (home: TempHome) => join(home.dir, 'cache', 'artifacts')

/** Every file left in the cache, relative to it. */
function remaining(home: TempHome): string[] {
  const out: string[] = []
  const walk = (d: string) => {
    if (!existsSync(d)) return
    for (const e of readdirSync(d, {withFileTypes: true})) {
      const p = join(d, e.name)
      if (e.isDirectory()) walk(p)
      else out.push(relative(cacheRoot(home), p))
    }
  }
  walk(cacheRoot(home))
  return out.sort()
}

interface Outcome {
  code: number
  /** "wandb: " lines with the home folder as <HOME>. */
  lines: string[]
  left: string[]
  text: string
}

async function cleanup(cli: 'wandb' | 'nexus', home: TempHome, args: string[]): Promise<Outcome> {
  const argv = ['artifact', 'cache', 'cleanup', ...args]
  const r = cli === 'wandb' ? await wandbCli(home, argv) : await nexus(home, argv)
  const lines = r.stderr
    .split('\n')
    .filter((l) => l.startsWith('wandb: '))
    .map((l) => l.replaceAll(home.dir, '<HOME>'))
  return {code: r.code, lines, left: remaining(home), text: `${r.stdout}\n${r.stderr}`}
}

/** Both CLIs on identical caches. */
async function both(args: string[], files: CacheFile[] = FILES): Promise<[Outcome, Outcome]> {
  return [await cleanup('wandb', cacheHome(files), args), await cleanup('nexus', cacheHome(files), args)]
}

describe('nexus artifact cache cleanup against wandb', () => {
  const cases: string[][] = [
    ['5KB'],
    ['5 kb'],
    ['12345'],
    ['1.5KB'],
    ['0'],
    ['100GB'],
    ['9.6KB'],
    ['--remove-temp', '5KB'],
    ['--remove-temp', '0'],
    ['--no-remove-temp', '3KB'],
    ['--remove-temp', '100GB'],
  ]
  for (const args of cases) {
    test(`cleanup ${args.join(' ')}: the same files remain and the same lines are printed`, async () => {
      const [w, n] = await both(args)
      expect(n.code).toBe(w.code)
      expect(n.code).toBe(0)
      expect(n.left).toEqual(w.left)
      expect(n.lines).toEqual(w.lines)
      expect(n.lines.at(-1)).toMatch(/^wandb: Reclaimed \d+\.\dK?B of space$/)
    }, 60_000)
  }

  test('the least recently accessed files go first, and no more than needed', async () => {
    const [w, n] = await both(['10KB'])
    expect(n.left).toEqual(w.left)
    // 14.45 KB in all: dropping 0008 (250), 0002 (700), 0004 (100), 0001 (1500), 0006 (3000) reaches 8.9 KB.
    const gone = FILES.map(([p]) => p).filter((p) => !n.left.includes(p))
    expect(gone.sort()).toEqual(['obj/etag/ee/deeper/0008', 'obj/md5/aa/0001', 'obj/md5/aa/0002', 'obj/md5/bb/0004', 'obj/xxh128/dd/0006'])
  }, 60_000)

  test('a missing cache: nothing to do, and nexus does not create it', async () => {
    const [w, n] = await both(['1GB'], [])
    expect(n.lines).toEqual(w.lines)
    expect(n.lines).toEqual(['wandb: Reclaimed 0.0B of space'])
    expect(n.code).toBe(0)
    expect(existsSync(join(homes.at(-1)!.dir, 'cache'))).toBe(false)
  }, 60_000)

  test('a size wandb misreads ("10G" is 10 bytes there, emptying the cache) is refused and nothing is deleted', async () => {
    const [w, n] = await both(['10G'])
    expect(w.left).toEqual(['tmp/nested/upload-2', 'tmp/upload-1'])
    expect(n.code).toBe(2)
    expect(n.text).toContain('Invalid size "10G"')
    expect(n.left).toEqual(FILES.map(([p]) => p).sort())
    for (const bad of ['-1', 'ten', '1e3', '1.5GiB', '5 K B', '']) {
      const r = await cleanup('nexus', cacheHome(), [bad])
      expect({bad, code: r.code, left: r.left.length}).toEqual({bad, code: 2, left: FILES.length})
    }
  }, 60_000)

  test('--json: one object with what was removed; the bytes add up', async () => {
    const home = cacheHome()
    const r = await nexus(home, ['artifact', 'cache', 'cleanup', '--remove-temp', '6KB', '--json'])
    expect(r.code).toBe(0)
    expect(r.stderr).not.toContain('wandb: ')
    const out = JSON.parse(r.stdout)
    expect(out.schema).toBe(1)
    expect(out.cacheDir).toBe(cacheRoot(home))
    expect(out.targetSize).toBe(6000)
    const sizeOf = Object.fromEntries(FILES.map(([p, s]) => [p, s]))
    expect(out.reclaimedBytes).toBe((out.removed as string[]).reduce((n, p) => n + sizeOf[p], 0))
    expect(out.removed).toContain('tmp/upload-1')
    expect(remaining(home).length).toBe(FILES.length - out.removed.length)
    expect(out.reachedTarget).toBe(true)
  })

  test('symbolic links are neither followed nor deleted; nothing outside the cache is touched', async () => {
    const home = cacheHome()
    const outside = home.path('outside')
    mkdirSync(join(outside, 'dir'), {recursive: true})
    writeFileSync(join(outside, 'file.bin'), Buffer.alloc(5000))
    writeFileSync(join(outside, 'dir', 'inner.bin'), Buffer.alloc(5000))
    symlinkSync(join(outside, 'file.bin'), join(cacheRoot(home), 'obj', 'md5', 'aa', 'link-to-file'))
    symlinkSync(join(outside, 'dir'), join(cacheRoot(home), 'obj', 'link-to-dir'))
    symlinkSync(join(outside, 'dir'), join(cacheRoot(home), 'tmp', 'link-to-dir'))
    const r = await nexus(home, ['artifact', 'cache', 'cleanup', '--remove-temp', '0', '--json'])
    expect(r.code).toBe(0)
    const out = JSON.parse(r.stdout)
    expect(out.skipped.sort()).toEqual(['obj/link-to-dir', 'obj/md5/aa/link-to-file', 'tmp/link-to-dir'])
    expect(out.removed.length).toBe(FILES.length)
    expect(readFileSync(join(outside, 'file.bin')).length).toBe(5000)
    expect(readFileSync(join(outside, 'dir', 'inner.bin')).length).toBe(5000)
    expect(remaining(home).sort()).toEqual(['obj/link-to-dir', 'obj/md5/aa/link-to-file', 'tmp/link-to-dir'])
  })

  test('a file that cannot be deleted is not counted as reclaimed and the next one goes instead', async () => {
    const home = cacheHome()
    const file = join(cacheRoot(home), 'obj', 'etag', 'ee', 'deeper', '0008')
    const undo = undeletable(file)
    try {
      const out = JSON.parse((await nexus(home, ['artifact', 'cache', 'cleanup', '9KB', '--json'])).stdout)
      expect(out.failed.map((f: {path: string}) => f.path)).toEqual(['obj/etag/ee/deeper/0008'])
      expect(out.removed).not.toContain('obj/etag/ee/deeper/0008')
      // 0002, 0004, 0001 and 0006 leave 9.15 KB without 0008's 250 B, so 0003 (next by access time) goes too.
      expect(out.removed).toContain('obj/md5/bb/0003')
      expect(out.sizeBefore - out.sizeAfter).toBe(out.reclaimedBytes)
      expect(out.sizeAfter).toBeLessThanOrEqual(9_000)
      expect(existsSync(file)).toBe(true)
    } finally {
      undo()
    }
  })
})

describe('sizes as the SDK reads and writes them', () => {
  test('toHumanSize matches wandb.util.to_human_size', async () => {
    const rand = seededRandom(16)
    const sizes = [0, 1, 25, 250, 999, 1000, 1023, 1024, 1049, 1050, 1250, 1350, 1_023_949, 1_023_950, 1_024_000, 1_250_000, 2_500_000_000, 10 ** 15, 1023 * 10 ** 18]
    for (let i = 0; i < 300; i++) sizes.push(Math.floor(rand() * 10 ** Math.floor(rand() * 16)))
    const py = await runPython(['-c', 'import json,sys; from wandb import util; print(json.dumps([util.to_human_size(s) for s in json.load(sys.stdin)]))'], {stdin: JSON.stringify(sizes)})
    expect(py.code).toBe(0)
    expect(sizes.map(toHumanSize)).toEqual(JSON.parse(py.stdout))
  })

  test('fromHumanSize matches wandb.util.from_human_size on what it reads fully, and refuses the rest', async () => {
    const inputs = ['10', '10B', '10 B', '10gb', '1.5GB', '1.5 mb', '500MB', '0', '0.0001KB', '3.', '7EB', '10 GB ', '10G', '1.5GiB', '1e3', 'KB', '-5', ' 5', '5 K', '12abc']
    const code = [
      'import json, re, sys',
      'from wandb import util',
      'out = []',
      'for s in json.load(sys.stdin):',
      '    m = re.match(r"(\\d+\\.?\\d*)\\s*(B|KB|MB|GB|TB|PB|EB)?", s, re.IGNORECASE)',
      '    try:',
      '        out.append([util.from_human_size(s), bool(m) and m.end() == len(s.rstrip())])',
      '    except ValueError:',
      '        out.append([None, False])',
      'print(json.dumps(out))',
    ].join('\n')
    const py = await runPython(['-c', code], {stdin: JSON.stringify(inputs)})
    expect(py.code).toBe(0)
    const oracle = JSON.parse(py.stdout) as [number | null, boolean][]
    const ours = inputs.map((s) => {
      try {
        return fromHumanSize(s)
      } catch {
        return null
      }
    })
    expect(ours).toEqual(oracle.map(([value, full]) => (full ? value : null)))
    expect(ours.filter((v) => v !== null).length).toBe(12)
  })

  test('a cache file keeps its size on disk as written (the fixture is what the cases assume)', () => {
    const home = cacheHome()
    for (const [path, size] of FILES) expect(statSync(join(cacheRoot(home), path)).size).toBe(size)
  })
})

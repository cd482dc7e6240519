/**
 * `bun run package`: the release packages, from the binaries in dist/ (built first unless
 * --no-build), into dist/packages/:
 *   - nexus_wandb-<version>-py3-none-<platform>.whl for each platform (`pip install` puts `nexus` on
 *     PATH and makes the installed wandb 0.31 SDK run on nexus; `pip uninstall` undoes it);
 *   - npm tarballs: nexus-wandb-<version>.tgz and nexus-wandb-<platform>-<version>.tgz;
 *   - SHA256SUMS over all of them.
 *
 *   bun scripts/package.ts [--no-build] [--platforms linux-x64,...] [--out DIR]
 */
import {createHash} from 'node:crypto'
import {existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {basename, join, resolve} from 'node:path'
import {writeMainPackage, writePlatformPackage} from './package/npm-packages.ts'
import {PLATFORMS} from './package/platforms.ts'
import {buildWheel} from './package/wheel.ts'

const root = join(import.meta.dir, '..')
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {version: string; description: string}

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name)
  return i >= 0 ? process.argv[i + 1] : undefined
}

async function main(): Promise<void> {
  const out = resolve(option('--out') ?? join(root, 'dist', 'packages'))
  const wanted = option('--platforms')?.split(',')
  const unknown = wanted?.filter((id) => !PLATFORMS.some((p) => p.id === id)) ?? []
  if (unknown.length > 0) throw new Error(`package: unknown platform ${unknown.join(', ')} (known: ${PLATFORMS.map((p) => p.id).join(', ')})`)
  const platforms = PLATFORMS.filter((p) => !wanted || wanted.includes(p.id))
  if (!process.argv.includes('--no-build')) {
    const args = wanted && wanted.length === 1 && wanted[0] === hostId() ? ['scripts/build.ts', '--host'] : ['scripts/build.ts']
    const build = Bun.spawn([process.execPath, ...args], {cwd: root, stdout: 'inherit', stderr: 'inherit'})
    if ((await build.exited) !== 0) throw new Error('package: the build failed')
  }
  const missing = platforms.filter((p) => !existsSync(join(root, 'dist', p.binary)))
  if (missing.length > 0) throw new Error(`package: no binary for ${missing.map((p) => p.id).join(', ')} in dist/ (run \`bun run build\`)`)
  rmSync(out, {recursive: true, force: true})
  mkdirSync(out, {recursive: true})

  for (const p of platforms) {
    const binary = readFileSync(join(root, 'dist', p.binary))
    const wheel = buildWheel({version: pkg.version, platformTag: p.wheelTag(binary), binary, exe: p.exe, summary: pkg.description})
    writeFileSync(join(out, wheel.fileName), wheel.bytes)
    console.log(`wrote ${wheel.fileName}`)
  }

  const staging = mkdtempSync(join(tmpdir(), 'nexus-npm-'))
  try {
    const dirs: string[] = []
    for (const p of platforms) {
      const dir = join(staging, p.id)
      writePlatformPackage(dir, p, pkg.version, readFileSync(join(root, 'dist', p.binary)))
      dirs.push(dir)
    }
    const main = join(staging, 'main')
    writeMainPackage(main, PLATFORMS, pkg.version)
    dirs.push(main)
    for (const dir of dirs) {
      const packed = Bun.spawnSync(['npm', 'pack', '--silent', '--pack-destination', out], {cwd: dir, stdout: 'pipe', stderr: 'pipe'})
      if (packed.exitCode !== 0) throw new Error(`package: npm pack in ${basename(dir)} failed: ${packed.stderr.toString()}`)
      console.log(`wrote ${packed.stdout.toString().trim().split('\n').at(-1)}`)
    }
  } finally {
    rmSync(staging, {recursive: true, force: true})
  }

  const sums = readdirSync(out)
    .filter((f) => f !== 'SHA256SUMS')
    .sort()
    .map(
      (f) =>
        `${createHash('sha256')
          .update(readFileSync(join(out, f)))
          .digest('hex')}  ${f}`,
    )
  writeFileSync(join(out, 'SHA256SUMS'), `${sums.join('\n')}\n`)
  console.log(`wrote ${join(out, 'SHA256SUMS')}`)
}

function hostId(): string {
  const os = process.platform === 'win32' ? 'windows' : process.platform
  return `${os}-${process.arch}`
}

if (import.meta.main) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err))
    process.exit(1)
  })
}

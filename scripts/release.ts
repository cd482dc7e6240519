/**
 * `bun scripts/release.ts [--dry-run] [--no-build]`: what the release workflow runs for a tag.
 *
 * Builds the five binaries, packs the wheels and npm tarballs (scripts/package.ts), checks every
 * checksum, then publishes: the binaries, dist/SHA256SUMS and the packages to the GitHub release of
 * the tag (gh), the wheels to PyPI (twine), the npm tarballs (platform packages first, then the
 * main one, so that it never points at a version npm does not have yet). With --dry-run it does
 * everything but publishing and prints the commands it would run; it needs no credentials.
 */
import {createHash} from 'node:crypto'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

const root = join(import.meta.dir, '..')
const dist = join(root, 'dist')
const packages = join(dist, 'packages')
const dryRun = process.argv.includes('--dry-run')
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {version: string}).version
const tag = process.env.GITHUB_REF_NAME ?? `v${version}`

function step(cmd: string[]): void {
  console.log(`$ ${cmd.join(' ')}`)
  const r = Bun.spawnSync(cmd, {cwd: root, stdout: 'inherit', stderr: 'inherit'})
  if (r.exitCode !== 0) throw new Error(`release: ${cmd[0]} failed (exit ${r.exitCode})`)
}

function publish(cmd: string[]): void {
  if (dryRun) console.log(`would run: ${cmd.join(' ')}`)
  else step(cmd)
}

/** Every line of a SHA256SUMS file matches its file. */
function verifySums(dir: string): string[] {
  const lines = readFileSync(join(dir, 'SHA256SUMS'), 'utf8').trim().split('\n')
  return lines.map((line) => {
    const [sum, name] = line.split('  ')
    const actual = createHash('sha256')
      .update(readFileSync(join(dir, name)))
      .digest('hex')
    if (actual !== sum) throw new Error(`release: ${name} does not match SHA256SUMS`)
    return name
  })
}

if (tag !== `v${version}`) throw new Error(`release: tag ${tag} does not match package.json version ${version} (expected v${version})`)
if (!process.argv.includes('--no-build')) step([process.execPath, 'scripts/build.ts'])
step([process.execPath, 'scripts/package.ts', '--no-build'])
const binaries = verifySums(dist)
const packed = verifySums(packages)
console.log(`verified ${binaries.length} binaries and ${packed.length} packages`)

const wheels = packed.filter((f) => f.endsWith('.whl')).map((f) => join(packages, f))
const tarballs = packed.filter((f) => f.endsWith('.tgz'))
const mainTarball = tarballs.filter((f) => f === `nexus-wandb-${version}.tgz`)
const platformTarballs = tarballs.filter((f) => !mainTarball.includes(f))
publish([
  'gh',
  'release',
  'create',
  tag,
  '--title',
  `nexus ${version}`,
  '--notes',
  `nexus ${version} (wandb protocol 0.31)`,
  ...binaries.map((b) => join(dist, b)),
  join(dist, 'SHA256SUMS'),
  ...packed.map((p) => join(packages, p)),
])
publish(['twine', 'upload', '--non-interactive', ...wheels])
for (const t of [...platformTarballs, ...mainTarball]) publish(['npm', 'publish', '--access', 'public', join(packages, t)])
console.log(dryRun ? `dry run of ${tag} complete: nothing was published` : `released ${tag}`)

/**
 * `bun run build`: compile nexus into single-file binaries for every supported platform.
 *
 *   bun scripts/build.ts            all five targets + macOS re-signing + dist/SHA256SUMS
 *   bun scripts/build.ts --host     only the binary for this machine (dev loop, tests)
 *
 * Build flags, each found necessary by measurement (see ../shared/reference/stack-probe.md §1):
 * - --production: otherwise --compile inlines NODE_ENV="development", oclif looks for TypeScript
 *   and warns on every command;
 * - --bytecode --format=esm: bytecode cuts startup ~107 → ~64 ms; CJS would bake the build
 *   machine's path into import.meta.path and break oclif's explicit self-target;
 * - bin/full.ts is a second entry point (bin/run.ts loads it on demand), so a stand-in stays small;
 * - --external typescript: oclif's optional require('typescript') would otherwise bundle all of
 *   TypeScript (+13 MB, 3x slower startup); as an external it fails quietly, as intended;
 * - --no-compile-autoload-dotenv / --no-compile-autoload-bunfig: a compiled binary would read the
 *   user's ./.env (which could override WANDB_* variables) and ./bunfig.toml.
 */
import {createHash} from 'node:crypto'
import {existsSync, mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {adhocSignMachO} from './macho-sign.ts'

interface Target {
  bunTarget: string
  out: string
  macho: boolean
}

export const TARGETS: Target[] = [
  {bunTarget: 'bun-linux-x64', out: 'nexus-linux-x64', macho: false},
  {bunTarget: 'bun-linux-arm64', out: 'nexus-linux-arm64', macho: false},
  {bunTarget: 'bun-darwin-x64', out: 'nexus-darwin-x64', macho: true},
  {bunTarget: 'bun-darwin-arm64', out: 'nexus-darwin-arm64', macho: true},
  {bunTarget: 'bun-windows-x64', out: 'nexus-windows-x64.exe', macho: false},
]

export function hostTarget(): Target {
  const os = process.platform === 'win32' ? 'windows' : process.platform
  const found = TARGETS.find((t) => t.bunTarget === `bun-${os}-${process.arch}`)
  if (!found) throw new Error(`build: no target for ${process.platform}-${process.arch}`)
  return found
}

const root = join(import.meta.dir, '..')
const dist = join(root, 'dist')

async function compile(t: Target): Promise<void> {
  const args = [
    // The NVML sampler runs in a worker thread; its script must be an extra entry point.
    'build',
    'bin/run.ts',
    'bin/full.ts',
    'src/sysinfo/nvml-worker.ts',
    '--compile',
    '--production',
    '--bytecode',
    '--format=esm',
    '--external',
    'typescript',
    '--no-compile-autoload-dotenv',
    '--no-compile-autoload-bunfig',
    `--target=${t.bunTarget}`,
    '--outfile',
    join(dist, t.out),
  ]
  const started = performance.now()
  const proc = Bun.spawn([process.execPath, ...args], {cwd: root, stdout: 'pipe', stderr: 'pipe'})
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited])
  if (code !== 0) throw new Error(`build: ${t.bunTarget} failed (exit ${code})\n${stdout}${stderr}`)
  console.log(`built dist/${t.out} (${((performance.now() - started) / 1000).toFixed(1)} s)`)
  if (t.macho) {
    const path = join(dist, t.out)
    const signed = adhocSignMachO(readFileSync(path), 'nexus')
    writeFileSync(path, signed)
    console.log(`  re-signed dist/${t.out} (ad-hoc)`)
  }
}

async function main(): Promise<void> {
  const hostOnly = process.argv.includes('--host')
  const targets = hostOnly ? [hostTarget()] : TARGETS
  if (!hostOnly) rmSync(dist, {recursive: true, force: true})
  mkdirSync(dist, {recursive: true})
  // Sequential: two cores, and each compile is itself parallel.
  for (const t of targets) await compile(t)
  {
    // Always rewritten, so a --host rebuild never leaves a stale checksum behind.
    const lines = TARGETS.filter((t) => existsSync(join(dist, t.out))).map((t) => {
      const sum = createHash('sha256')
        .update(readFileSync(join(dist, t.out)))
        .digest('hex')
      return `${sum}  ${t.out}`
    })
    writeFileSync(join(dist, 'SHA256SUMS'), lines.join('\n') + '\n')
    console.log('wrote dist/SHA256SUMS')
  }
}

if (import.meta.main) await main()

/**
 * Smoke tests of the compiled binary (dist/), not of `bun run`: oclif's help, flag parsing and
 * exit codes must survive `bun build --compile`.
 */
import {describe, expect, test} from 'bun:test'
import {copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {createHash} from 'node:crypto'
import {DIST, hostBinary, run} from '../helpers/binary.ts'
import pjson from '../../package.json' with {type: 'json'}

const COMMANDS = ['login', 'sync', 'artifact', 'sweep', 'agent', 'controller', 'clean', 'completion', 'version', 'offline', 'online', 'disabled', 'enabled', 'service']

describe('compiled binary', () => {
  test('--version prints the nexus version and the wandb protocol version', async () => {
    const r = await run([hostBinary(), '--version'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(`nexus/${pjson.version}`)
    expect(r.stdout).toContain(`wandb-protocol/${pjson.nexus.wandbProtocol}`)
  })

  test('--help lists every command and topic', async () => {
    const r = await run([hostBinary(), '--help'])
    expect(r.code).toBe(0)
    for (const c of COMMANDS) expect(r.stdout).toMatch(new RegExp(`^\\s+${c}\\s`, 'm'))
  })

  test('sync --help shows its flags', async () => {
    const r = await run([hostBinary(), 'sync', '--help'])
    expect(r.code).toBe(0)
    for (const f of ['--entity', '--project', '--id', '--include-synced', '--[no-]mark-synced', '--parallel', '--dry-run', '--view', '--json', '--live', '--skip-console']) {
      expect(r.stdout).toContain(f)
    }
  })

  test('artifact --help lists put and get', async () => {
    const r = await run([hostBinary(), 'artifact', '--help'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('artifact put')
    expect(r.stdout).toContain('artifact get')
  })

  test('an unknown command and a bad flag value exit 2 with a message', async () => {
    const unknown = await run([hostBinary(), 'no-such-command'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('command no-such-command not found')
    const bad = await run([hostBinary(), 'sync', 'x', '--parallel', 'lots'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/parallel/)
  })

  test("the SDK's service flags parse, including a negative --log-level, without a subcommand when named wandb-core", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nexus-bin-'))
    try {
      const asCore = join(dir, 'wandb-core')
      copyFileSync(hostBinary(), asCore)
      // `--help` under the wandb-core name is the service's help
      const help = await run([asCore, '--help'])
      expect(help.code).toBe(0)
      expect(help.stdout).toContain('--port-filename')
      const bad = await run([asCore, '--log-level', 'x'])
      expect(bad.code).toBe(2)
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })

  test('dist/SHA256SUMS lists the five binaries with their hashes', () => {
    const sums = readFileSync(join(DIST, 'SHA256SUMS'), 'utf8').trim().split('\n')
    const names = sums.map((l) => l.split(/\s+/)[1]).sort()
    expect(names).toEqual(['nexus-darwin-arm64', 'nexus-darwin-x64', 'nexus-linux-arm64', 'nexus-linux-x64', 'nexus-windows-x64.exe'])
    for (const line of sums) {
      const [sum, name] = line.split(/\s+/)
      expect(
        createHash('sha256')
          .update(readFileSync(join(DIST, name)))
          .digest('hex'),
      ).toBe(sum)
    }
  })

  test('the linux-arm64 binary runs under qemu-user', async () => {
    const sysroot = '/usr/aarch64-linux-gnu'
    if (!existsSync('/usr/bin/qemu-aarch64-static') || !existsSync(sysroot)) {
      throw new Error('qemu-user-static and libc6-arm64-cross are needed: apt-get install qemu-user-static libc6-arm64-cross')
    }
    const r = await run(['/usr/bin/qemu-aarch64-static', '-L', sysroot, join(DIST, 'nexus-linux-arm64'), '--version'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('linux-arm64')
  })
})

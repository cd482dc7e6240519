import {expect, test} from 'bun:test'
import {hostBinary, run} from '../helpers/binary.ts'

test('the compiled binary lists login and the four mode commands in --help', async () => {
  const r = await run([hostBinary(), '--help'])
  expect(r.code).toBe(0)
  for (const c of ['login', 'offline', 'online', 'disabled', 'enabled']) expect(r.stdout).toMatch(new RegExp(`^\\s+${c}\\s`, 'm'))
})

test('login --help shows every flag of the issue', async () => {
  const r = await run([hostBinary(), 'login', '--help'])
  expect(r.code).toBe(0)
  for (const f of ['--key-file', '--host', '--cloud', '--relogin', '--[no-]verify', '--entity', '--status']) expect(r.stdout).toContain(f)
})

test('sync --sync-tensorboard is refused as removed (usage error, exit 2), as wandb 0.31 refuses it', async () => {
  const r = await run([hostBinary(), 'sync', '--sync-tensorboard', '/nonexistent'])
  expect(r.code).toBe(2)
  expect(r.stderr).toContain('--sync-tensorboard has been removed')
})

test('`nexus version` prints the --version line; --json the same facts as one object', async () => {
  const line = await run([hostBinary(), '--version'])
  const plain = await run([hostBinary(), 'version'])
  expect(plain.code).toBe(0)
  expect(plain.stdout).toBe(line.stdout)
  expect(plain.stdout).toMatch(/^nexus\/\S+ wandb-protocol\/0\.31\.0 /)
  const json = await run([hostBinary(), 'version', '--json'])
  expect(json.code).toBe(0)
  const v = JSON.parse(json.stdout) as {schema: number; nexus: string; wandbProtocol: string; platform: string; arch: string}
  expect(v).toMatchObject({schema: 1, wandbProtocol: '0.31.0', platform: process.platform, arch: process.arch})
  expect(line.stdout).toContain(`nexus/${v.nexus} `)
})

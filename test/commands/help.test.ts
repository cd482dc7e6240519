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

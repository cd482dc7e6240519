/**
 * `nexus artifact put/get` and `nexus sync` as a batch job sees them: progress lines off a terminal
 * at a steady pace (TransferProgressView with test time), --quiet (nothing but what went wrong) and
 * --json (one object with a schema number), through the compiled binary against the local backend.
 */
import {afterEach, describe, expect, test} from 'bun:test'
import {cpSync, mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {PLAIN_PROGRESS_EVERY_MS} from '../../src/commands/ui/sync-progress.ts'
import {TransferProgressView} from '../../src/commands/ui/transfer-progress.ts'
import {startBackend, type Backend} from '../backend/index.ts'
import {TempHome, testKey} from '../core/credentials/helpers.ts'
import {ManualClock} from '../fakes/manual-clock.ts'
import {nexus} from './helpers.ts'

const open: {homes: TempHome[]; backends: Backend[]} = {homes: [], backends: []}
afterEach(async () => {
  for (const b of open.backends.splice(0)) await b.stop()
  for (const h of open.homes.splice(0)) h.dispose()
})

describe('TransferProgressView off a terminal', () => {
  test('a line with percent, MB, rate and ETA every interval, from the latest figures; none after stop()', async () => {
    const clock = new ManualClock()
    const lines: string[] = []
    const view = new TransferProgressView({label: 'uploading', print: (l) => lines.push(l), interactive: false, clock})
    view.update({doneBytes: 0, totalBytes: 100 * 1024 * 1024})
    await clock.whenSleeping(1)
    await clock.advance(PLAIN_PROGRESS_EVERY_MS - 1)
    expect(lines).toEqual([])
    view.update({doneBytes: 20 * 1024 * 1024, totalBytes: 100 * 1024 * 1024})
    await clock.advance(1)
    expect(lines).toEqual(['nexus: uploading 20% 20.0/100.0 MB 5.0 MB/s ETA 16s'])
    await clock.advance(PLAIN_PROGRESS_EVERY_MS)
    expect(lines).toHaveLength(2)
    view.stop()
    await clock.advance(3 * PLAIN_PROGRESS_EVERY_MS)
    expect(lines).toHaveLength(2)
  })

  test('quiet: nothing at all', async () => {
    const clock = new ManualClock()
    const lines: string[] = []
    const view = new TransferProgressView({label: 'downloading', print: (l) => lines.push(l), interactive: false, clock, quiet: true})
    view.update({doneBytes: 1, totalBytes: 2})
    await clock.advance(5 * PLAIN_PROGRESS_EVERY_MS)
    view.stop()
    expect(lines).toEqual([])
  })
})

describe('nexus artifact put/get --quiet and --json', () => {
  test('put --json and get --json print one object each; --quiet leaves stderr empty', async () => {
    const backend = await startBackend({quiet: true})
    const home = new TempHome()
    open.backends.push(backend)
    open.homes.push(home)
    const env = {WANDB_BASE_URL: backend.url, WANDB_API_KEY: backend.apiKey}
    const data = join(home.work, 'data')
    mkdirSync(data)
    for (const n of ['a.txt', 'b.txt', 'c.txt']) writeFileSync(join(data, n), `file ${n}\n`)

    const put = await nexus(home, ['artifact', 'put', data, '-n', 'nexus/cli/ds', '--json'], {env})
    expect(put.code).toBe(0)
    expect(put.stderr).toBe('')
    const putJson = JSON.parse(put.stdout)
    expect(putJson).toMatchObject({schema: 1, entity: 'nexus', project: 'cli', name: 'ds', version: 0, use: 'nexus/cli/ds:v0', warnings: []})
    expect(putJson.artifactId).toBeString()

    const quiet = await nexus(home, ['artifact', 'put', data, '-n', 'nexus/cli/ds', '-q'], {env})
    expect(quiet.code).toBe(0)
    expect(quiet.stderr).toBe('')
    expect(quiet.stdout).toContain('nexus/cli/ds:v0')

    const get = await nexus(home, ['artifact', 'get', 'nexus/cli/ds:v0', '--root', join(home.work, 'out'), '--json'], {env})
    expect(get.code).toBe(0)
    expect(get.stderr).toBe('')
    expect(JSON.parse(get.stdout)).toEqual({
      schema: 1,
      root: join(home.work, 'out'),
      entity: 'nexus',
      project: 'cli',
      name: 'ds',
      version: 0,
      type: 'dataset',
      artifactId: putJson.artifactId,
      downloaded: expect.any(Number),
      reused: expect.any(Number),
      skippedReferences: [],
    })
    const plain = await nexus(home, ['artifact', 'get', 'nexus/cli/ds:v0', '--root', join(home.work, 'out2')], {env})
    expect(plain.stdout.trim()).toBe(join(home.work, 'out2'))
    expect(plain.stderr).toContain('nexus: Downloading dataset artifact nexus/cli/ds:v0')
  }, 120_000)
})

describe('nexus sync --quiet', () => {
  test('a complete sync prints nothing; a failed one prints only what went wrong', async () => {
    const backend = await startBackend({quiet: true, apiKeys: [testKey(1)]})
    const home = new TempHome()
    open.backends.push(backend)
    open.homes.push(home)
    const run = join(home.work, 'offline-run-20261127_041644-qj0rd60i')
    cpSync(join(import.meta.dir, '..', '..', 'examples', 'offline-runs', 'offline-run-20261127_041644-qj0rd60i'), run, {recursive: true})
    const ok = await nexus(home, ['sync', '-q', run], {env: {WANDB_BASE_URL: backend.url, WANDB_API_KEY: testKey(1)}})
    expect(ok.code).toBe(0)
    expect(`${ok.stdout}${ok.stderr}`).toBe('')
    expect((await backend.inspectRuns()).map((r) => r.id)).toEqual(['qj0rd60i'])
    const refused = await nexus(home, ['sync', '-q', '--include-synced', run], {env: {WANDB_BASE_URL: backend.url, WANDB_API_KEY: testKey(2)}})
    expect(refused.code).toBe(4)
    expect(refused.stdout).toBe('')
    expect(refused.stderr).toContain('401')
  }, 120_000)
})

describe('--json of login and the mode commands', () => {
  test('nexus offline/online --json: one object saying what changed; nexus login [--status] --json never holds the key', async () => {
    const backend = await startBackend({quiet: true, apiKeys: [testKey(1)]})
    const home = new TempHome()
    open.backends.push(backend)
    open.homes.push(home)
    const off = await nexus(home, ['offline', '--json'])
    expect(JSON.parse(off.stdout)).toEqual({schema: 1, command: 'offline', path: join(home.work, 'wandb', 'settings'), before: null, after: 'offline', changed: true})
    const again = await nexus(home, ['offline', '--json'])
    expect(JSON.parse(again.stdout)).toMatchObject({before: 'offline', after: 'offline', changed: false})
    expect(JSON.parse((await nexus(home, ['online', '--json'])).stdout)).toMatchObject({command: 'online', before: 'offline', after: null, changed: true})

    const login = await nexus(home, ['login', '--host', backend.url, '--json', testKey(1)])
    expect(login.code).toBe(0)
    expect(login.stdout).not.toContain(testKey(1))
    const j = JSON.parse(login.stdout)
    expect(j).toMatchObject({schema: 1, baseUrl: backend.url, user: expect.any(String), entity: 'nexus', netrc: {created: true}})
    const status = await nexus(home, ['login', '--status', '--host', backend.url, '--json'])
    expect(status.code).toBe(0)
    expect(status.stdout).not.toContain(testKey(1))
    expect(JSON.parse(status.stdout)).toMatchObject({schema: 1, baseUrl: backend.url, loggedIn: true, entity: 'nexus', problem: null})
  }, 120_000)
})

/**
 * `nexus login` through the compiled binary (dist/): exit codes, messages, and the files it
 * leaves, in an isolated home against the local backend.
 */
import {afterEach, beforeEach, describe, expect, test} from 'bun:test'
import {existsSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {startBackend} from '../backend/index.ts'
import {TempHome, testKey} from '../core/credentials/helpers.ts'
import {ExitCode} from '../../src/commands/exit-codes.ts'
import {nexus, nexusOnTerminal} from './helpers.ts'

let h: TempHome
beforeEach(() => {
  h = new TempHome()
})
afterEach(() => h.dispose())

const TWO_HOSTS = 'machine example.com\n  login foo\n  password bar\n\nmachine other.org login x password "y z"\n'
const netrc = () => join(h.home, '.netrc')
const globalSettings = () => join(h.configDir, 'settings')

describe('nexus login (binary)', () => {
  test('stores a verified key and the host, and prints the account, never the key', async () => {
    await using backend = await startBackend({quiet: true})
    writeFileSync(netrc(), TWO_HOSTS)
    const key = 'local-' + 'k'.repeat(70)
    const r = await nexus(h, ['login', '--host', backend.url, key])
    expect(r.code).toBe(ExitCode.OK)
    expect(r.stdout).toContain('Logged in to')
    expect(r.stdout).toContain('Default entity: nexus')
    expect(r.text).not.toContain(key)
    expect(readFileSync(netrc(), 'utf8')).toBe(`${TWO_HOSTS}machine ${new URL(backend.url).host}\n  login user\n  password ${key}\n`)
    expect(statSync(netrc()).mode & 0o777).toBe(0o600)
    expect(readFileSync(globalSettings(), 'utf8')).toBe(`[default]\nbase_url = ${backend.url}\n\n`)
  }, 60_000)

  test('a wrong key exits 4 with the 401, and both files stay byte for byte as they were', async () => {
    await using backend = await startBackend({quiet: true, apiKeys: [testKey(1)]})
    writeFileSync(netrc(), TWO_HOSTS)
    const r = await nexus(h, ['login', '--host', backend.url, testKey(2)])
    expect(r.code).toBe(ExitCode.AUTH)
    expect(r.text).toContain(`The API key was rejected by ${backend.url}: HTTP 401`)
    expect(r.text).toContain('Nothing was written')
    expect(readFileSync(netrc(), 'utf8')).toBe(TWO_HOSTS)
    expect(existsSync(globalSettings())).toBe(false)
  }, 60_000)

  test('an unreachable host exits 5 within seconds with a network message, writing nothing', async () => {
    const s = Bun.serve({port: 0, hostname: '127.0.0.1', fetch: () => new Response('')})
    const url = `http://127.0.0.1:${s.port}`
    s.stop(true)
    const started = performance.now()
    const r = await nexus(h, ['login', '--host', url, testKey()])
    expect(r.code).toBe(ExitCode.NETWORK)
    expect(r.text).toContain(`Could not verify the API key with ${url}: cannot connect`)
    expect(performance.now() - started).toBeLessThan(10_000)
    expect(existsSync(netrc())).toBe(false)
    expect(existsSync(globalSettings())).toBe(false)
  }, 60_000)

  test('a malformed netrc exits 8 naming the line, and is left untouched', async () => {
    await using backend = await startBackend({quiet: true})
    const bad = `${TWO_HOSTS}\nmachine broken.example\n  login u\n  passwd oops\n`
    writeFileSync(netrc(), bad)
    const r = await nexus(h, ['login', '--host', backend.url, testKey()])
    expect(r.code).toBe(ExitCode.LOCAL_FILE)
    expect(r.text).toContain(`The netrc file ${netrc()} is malformed at line 9: bad follower token 'passwd'`)
    expect(readFileSync(netrc(), 'utf8')).toBe(bad)
    expect(await backend.inspectRequests()).toEqual([])
  }, 60_000)

  test('reads the key from standard input with "-" and from --key-file', async () => {
    await using backend = await startBackend({quiet: true})
    const viaStdin = await nexus(h, ['login', '--host', backend.url, '-'], {stdin: `${testKey(5)}\n`})
    expect(viaStdin.code).toBe(0)
    expect(readFileSync(netrc(), 'utf8')).toContain(`password ${testKey(5)}\n`)
    const file = h.path('key.txt')
    writeFileSync(file, `${testKey(6)}\n`)
    const viaFile = await nexus(h, ['login', '--host', backend.url, '--key-file', file])
    expect(viaFile.code).toBe(0)
    expect(readFileSync(netrc(), 'utf8')).toBe(`machine ${new URL(backend.url).host}\n  login user\n  password ${testKey(6)}\n`)
  }, 60_000)

  test('asks on a terminal with a hidden prompt and the URL to get a key', async () => {
    await using backend = await startBackend({quiet: true})
    const key = testKey(8, 48)
    const r = await nexusOnTerminal(h, ['login', '--host', backend.url], 'hit enter: ', key)
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(`Create a new API key at: ${backend.url}/authorize`)
    expect(r.stdout).not.toContain(key)
    expect(readFileSync(netrc(), 'utf8')).toContain(`password ${key}\n`)
  }, 60_000)

  test('without a key or a terminal, exits 4 telling how to log in', async () => {
    const r = await nexus(h, ['login', '--host', 'http://127.0.0.1:1'])
    expect(r.code).toBe(ExitCode.AUTH)
    expect(r.text).toContain('No API key configured for http://127.0.0.1:1')
  }, 60_000)

  test('usage errors exit 2: --host with --cloud, KEY with --key-file, an invalid URL', async () => {
    expect((await nexus(h, ['login', '--host', 'http://h:1', '--cloud', testKey()])).code).toBe(ExitCode.USAGE)
    writeFileSync(h.path('k'), testKey())
    expect((await nexus(h, ['login', '--key-file', h.path('k'), testKey()])).code).toBe(ExitCode.USAGE)
    const badUrl = await nexus(h, ['login', '--host', 'https://app.wandb.ai', testKey()])
    expect(badUrl.code).toBe(ExitCode.USAGE)
    expect(badUrl.text).toContain('did you mean https://api.forge.coreweave.com?')
  }, 60_000)

  test('--status shows who is logged in where, and exits 4 when no key is configured', async () => {
    await using backend = await startBackend({quiet: true})
    const before = await nexus(h, ['login', '--status', '--host', backend.url])
    expect(before.code).toBe(ExitCode.AUTH)
    expect(before.stdout).toContain('API key: none configured')
    expect((await nexus(h, ['login', '--host', backend.url, backend.apiKey])).code).toBe(0)
    const after = await nexus(h, ['login', '--status'])
    expect(after.code).toBe(0)
    expect(after.stdout).toContain(`Server: ${backend.url} (from settings file ${globalSettings()})`)
    expect(after.stdout).toContain(`API key: from netrc file ${netrc()}`)
    expect(after.stdout).toContain('as nexus')
    expect(after.text).not.toContain(backend.apiKey)
  }, 60_000)
})

describe('nexus offline / online / disabled / enabled (binary)', () => {
  test('write the workspace mode and say what changed', async () => {
    const file = join(h.work, 'wandb', 'settings')
    const off = await nexus(h, ['offline'])
    expect(off.code).toBe(0)
    expect(off.stdout).toContain(`Updated settings file ${file}: mode = offline`)
    expect(readFileSync(file, 'utf8')).toBe('[default]\nmode = offline\n\n')
    const on = await nexus(h, ['online'])
    expect(on.stdout).toContain(`Updated settings file ${file}: removed mode (was: offline)`)
    expect(readFileSync(file, 'utf8')).toBe('[default]\n\n')
    expect((await nexus(h, ['disabled'])).stdout).toContain('W&B disabled.')
    expect(readFileSync(file, 'utf8')).toBe('[default]\nmode = disabled\n\n')
    expect((await nexus(h, ['enabled'])).stdout).toContain('mode = online (was: disabled)')
  }, 60_000)

  test('a malformed workspace file exits 8 naming the line', async () => {
    const file = join(h.work, 'wandb', 'settings')
    await nexus(h, ['offline'])
    writeFileSync(file, '[default]\nmode = offline\nnot a setting\n')
    const r = await nexus(h, ['online'])
    expect(r.code).toBe(ExitCode.LOCAL_FILE)
    expect(r.text).toContain(`The settings file ${file} is malformed at line 3`)
  }, 60_000)
})

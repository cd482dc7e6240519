import {afterEach, beforeEach, describe, expect, test} from 'bun:test'
import {existsSync, mkdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {startBackend} from '../../backend/index.ts'
import {ApiKeyFormatError, ApiKeyRejectedError, EntityNotAccessibleError, KeyInputError, NetrcSyntaxError, NoApiKeyError, ServerUnreachableError} from '../../../src/core/credentials/errors.ts'
import {DEFAULT_BASE_URL} from '../../../src/core/credentials/host-url.ts'
import {login} from '../../../src/core/credentials/login.ts'
import {TempHome, testKey} from './helpers.ts'

let h: TempHome
beforeEach(() => {
  h = new TempHome()
})
afterEach(() => h.dispose())

const OTHER_HOSTS = 'machine example.com\n  login foo\n  password bar\n\nmachine other.org login x password "y z"\n'
const netrc = () => join(h.home, '.netrc')
const globalSettings = () => join(h.configDir, 'settings')
const explicit = (apiKey: string) => ({apiKey, description: 'the command line'})

describe('login with an explicit key', () => {
  test('verifies, stores the key in netrc after the other hosts, and saves --host globally', async () => {
    await using backend = await startBackend({quiet: true})
    writeFileSync(netrc(), OTHER_HOSTS)
    const key = 'local-' + 'z'.repeat(60)
    const result = await login({...h.ctx, key: explicit(key), host: `${backend.url}/`})
    const machine = new URL(backend.url).host
    expect(readFileSync(netrc(), 'utf8')).toBe(`${OTHER_HOSTS}machine ${machine}\n  login user\n  password ${key}\n`)
    expect(statSync(netrc()).mode & 0o777).toBe(0o600)
    expect(readFileSync(globalSettings(), 'utf8')).toBe(`[default]\nbase_url = ${backend.url}\n\n`)
    expect(result.identity).toMatchObject({username: 'nexus', entity: 'nexus', teams: ['nexus']})
    expect(result.lines.join('\n')).toContain('Default entity: nexus')
    expect(result.lines.join('\n')).not.toContain(key)
  })

  test('writes nothing when the server rejects the key', async () => {
    await using backend = await startBackend({quiet: true, apiKeys: [testKey(1)]})
    writeFileSync(netrc(), OTHER_HOSTS)
    const err = await login({...h.ctx, key: explicit(testKey(2)), host: backend.url}).catch((e) => e)
    expect(err).toBeInstanceOf(ApiKeyRejectedError)
    expect(err.exitCode).toBe(4)
    expect(readFileSync(netrc(), 'utf8')).toBe(OTHER_HOSTS)
    expect(existsSync(globalSettings())).toBe(false)
  })

  test('writes nothing when the host is unreachable', async () => {
    const s = Bun.serve({port: 0, hostname: '127.0.0.1', fetch: () => new Response('')})
    const url = `http://127.0.0.1:${s.port}`
    s.stop(true)
    const err = await login({...h.ctx, key: explicit(testKey()), host: url}).catch((e) => e)
    expect(err).toBeInstanceOf(ServerUnreachableError)
    expect(err.exitCode).toBe(5)
    expect(existsSync(netrc())).toBe(false)
    expect(existsSync(globalSettings())).toBe(false)
  })

  test('refuses a malformed netrc before asking the server, leaving it untouched', async () => {
    await using backend = await startBackend({quiet: true})
    const bad = 'machine a login u password p\nfrobnicate\n'
    writeFileSync(netrc(), bad)
    const err = await login({...h.ctx, key: explicit(testKey()), host: backend.url}).catch((e) => e)
    expect(err).toBeInstanceOf(NetrcSyntaxError)
    expect(err).toMatchObject({line: 2, exitCode: 8})
    expect(readFileSync(netrc(), 'utf8')).toBe(bad)
    expect(await backend.inspectRequests()).toEqual([])
  })

  test('rejects a key in the wrong format without any request', async () => {
    await using backend = await startBackend({quiet: true})
    const err = await login({...h.ctx, key: explicit('too-short'), host: backend.url}).catch((e) => e)
    expect(err).toBeInstanceOf(ApiKeyFormatError)
    expect(await backend.inspectRequests()).toEqual([])
  })

  test('stores without a request when verification is off', async () => {
    await using backend = await startBackend({quiet: true, apiKeys: [testKey(1)]})
    const result = await login({...h.ctx, key: explicit(testKey(9)), host: backend.url, verify: false})
    expect(readFileSync(netrc(), 'utf8')).toContain(`password ${testKey(9)}\n`)
    expect(result.identity).toBeUndefined()
    expect(await backend.inspectRequests()).toEqual([])
  })

  test('--cloud clears a saved base_url instead of writing the default', async () => {
    mkdirSync(h.configDir, {recursive: true})
    writeFileSync(globalSettings(), '[default]\nbase_url = http://old:1\nanonymous = must\n\n')
    const result = await login({...h.ctx, key: explicit(testKey()), cloud: true, verify: false})
    expect(readFileSync(globalSettings(), 'utf8')).toBe('[default]\n\n')
    expect(readFileSync(netrc(), 'utf8')).toContain('machine api.forge.coreweave.com\n')
    expect(result.baseUrl.url).toBe(DEFAULT_BASE_URL)
  })
})

describe('login without a key', () => {
  test('verifies the key already in netrc and stores nothing', async () => {
    await using backend = await startBackend({quiet: true})
    const text = `machine ${new URL(backend.url).host}\n  login user\n  password ${backend.apiKey}\n`
    writeFileSync(netrc(), text)
    const result = await login({...h.ctx, env: {...h.env, WANDB_BASE_URL: backend.url}})
    expect(result.netrc).toBeUndefined()
    expect(result.keyDescription).toContain('netrc file')
    expect(result.identity?.username).toBe('nexus')
    expect(readFileSync(netrc(), 'utf8')).toBe(text)
  })

  test('fails with exit code 4 when nothing is configured and there is no terminal', async () => {
    const err = await login({...h.ctx, host: 'http://127.0.0.1:1'}).catch((e) => e)
    expect(err).toBeInstanceOf(NoApiKeyError)
    expect(err.exitCode).toBe(4)
  })

  test('prompts with the authorize URL, retries a rejected key, then stores the good one', async () => {
    await using backend = await startBackend({quiet: true, apiKeys: [testKey(1)]})
    const typed = [testKey(2), 'short', testKey(1)]
    const asked: string[] = []
    const notices: string[] = []
    const result = await login({
      ...h.ctx,
      host: backend.url,
      relogin: true,
      prompt: async (url) => (asked.push(url), typed.shift()!),
      notice: (line) => notices.push(line),
    })
    expect(asked).toEqual(Array(3).fill(`${backend.url}/authorize`))
    expect(notices).toHaveLength(2)
    expect(result.keyDescription).toBe('the prompt')
    expect(readFileSync(netrc(), 'utf8')).toContain(`password ${testKey(1)}\n`)
  })

  test('refuses federated identity: there is no key to log in with', async () => {
    const err = await login({...h.ctx, env: {...h.env, WANDB_IDENTITY_TOKEN_FILE: '/tmp/jwt'}, host: 'http://127.0.0.1:1'}).catch((e) => e)
    expect(err).toBeInstanceOf(KeyInputError)
  })
})

describe('login --entity', () => {
  function serviceAccountServer() {
    const viewer = {id: 'x', username: 'ci-bot', entity: 'ml-team', email: '', flags: null, teams: {edges: [{node: {name: 'ml-team'}}, {node: {name: 'research'}}]}}
    const server = Bun.serve({port: 0, hostname: '127.0.0.1', fetch: () => Response.json({data: {viewer}})})
    return {url: `http://127.0.0.1:${server.port}`, [Symbol.dispose]: () => void server.stop(true)}
  }

  test('a service account logs in with its team as default entity and can pick another team', async () => {
    using sa = serviceAccountServer()
    const result = await login({...h.ctx, key: explicit(testKey()), host: sa.url, entity: 'research'})
    expect(result.lines).toContain('Default entity: ml-team')
    expect(result.lines).toContain('Teams: ml-team, research')
    expect(readFileSync(globalSettings(), 'utf8')).toBe(`[default]\nbase_url = ${sa.url}\nentity = research\n\n`)
  })

  test('an entity the account cannot use is refused and nothing is written', async () => {
    using sa = serviceAccountServer()
    const err = await login({...h.ctx, key: explicit(testKey()), host: sa.url, entity: 'someone-else'}).catch((e) => e)
    expect(err).toBeInstanceOf(EntityNotAccessibleError)
    expect(existsSync(netrc())).toBe(false)
    expect(existsSync(globalSettings())).toBe(false)
  })
})

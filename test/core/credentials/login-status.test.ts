import {afterEach, beforeEach, describe, expect, test} from 'bun:test'
import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {startBackend} from '../../backend/index.ts'
import {ApiKeyRejectedError, NoApiKeyError} from '../../../src/core/credentials/errors.ts'
import {loginStatus} from '../../../src/core/credentials/login-status.ts'
import {TempHome, testKey} from './helpers.ts'

let h: TempHome
beforeEach(() => {
  h = new TempHome()
})
afterEach(() => h.dispose())

function configure(url: string, key: string): void {
  mkdirSync(h.configDir, {recursive: true})
  writeFileSync(join(h.configDir, 'settings'), `[default]\nbase_url = ${url}\n\n`)
  writeFileSync(join(h.home, '.netrc'), `machine ${new URL(url).host}\n  login user\n  password ${key}\n`)
}

describe('loginStatus', () => {
  test('shows the server, where the key comes from and the account, never the key', async () => {
    await using backend = await startBackend({quiet: true})
    configure(backend.url, backend.apiKey)
    const s = await loginStatus(h.ctx)
    expect(s.problem).toBeUndefined()
    expect(s.lines).toEqual([
      `Server: ${backend.url} (from settings file ${join(h.configDir, 'settings')})`,
      `API key: from netrc file ${join(h.home, '.netrc')} (machine ${new URL(backend.url).host})`,
      `Logged in to ${backend.url} as nexus <nexus@localhost>.`,
      'Default entity: nexus',
      'Teams: nexus',
    ])
    expect(s.lines.join('\n')).not.toContain(backend.apiKey)
  })

  test('reports a missing key as a problem with exit code 4', async () => {
    const s = await loginStatus({...h.ctx, host: 'http://127.0.0.1:1'})
    expect(s.lines).toContain('API key: none configured')
    expect(s.problem).toBeInstanceOf(NoApiKeyError)
    expect(s.problem?.exitCode).toBe(4)
  })

  test('reports a key the server rejects', async () => {
    await using backend = await startBackend({quiet: true, apiKeys: [testKey(1)]})
    configure(backend.url, testKey(2))
    const s = await loginStatus(h.ctx)
    expect(s.problem).toBeInstanceOf(ApiKeyRejectedError)
  })

  test('--no-verify reports the key source without asking the server', async () => {
    await using backend = await startBackend({quiet: true})
    configure(backend.url, backend.apiKey)
    const s = await loginStatus({...h.ctx, verify: false})
    expect(s.lines.at(-1)).toBe('Not verified (--no-verify).')
    expect(await backend.inspectRequests()).toEqual([])
  })
})

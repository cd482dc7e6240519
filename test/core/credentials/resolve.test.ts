import {afterEach, beforeEach, describe, expect, test} from 'bun:test'
import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {resolveApiKey, resolveCredentials} from '../../../src/core/credentials/api-key.ts'
import {resolveBaseUrl} from '../../../src/core/credentials/base-url.ts'
import {ApiKeyFormatError, InvalidBaseUrlError, KeyInputError} from '../../../src/core/credentials/errors.ts'
import {DEFAULT_BASE_URL} from '../../../src/core/credentials/host-url.ts'
import {TempHome, testKey} from './helpers.ts'

let h: TempHome
beforeEach(() => {
  h = new TempHome()
})
afterEach(() => h.dispose())

const HOST = 'http://127.0.0.1:8080'
const writeGlobal = (text: string) => {
  mkdirSync(h.configDir, {recursive: true})
  writeFileSync(join(h.configDir, 'settings'), text)
}
const writeWorkspace = (text: string) => {
  mkdirSync(join(h.work, 'wandb'), {recursive: true})
  writeFileSync(join(h.work, 'wandb', 'settings'), text)
}
const writeNetrc = (text: string) => writeFileSync(join(h.home, '.netrc'), text)

describe('resolveBaseUrl', () => {
  test('goes flag → WANDB_BASE_URL → workspace file → global file → default', () => {
    expect(resolveBaseUrl(h.ctx)).toMatchObject({url: DEFAULT_BASE_URL, source: 'default'})
    writeGlobal('[default]\nbase_url = http://global:1/\n')
    expect(resolveBaseUrl(h.ctx)).toMatchObject({url: 'http://global:1', source: 'global-settings', path: join(h.configDir, 'settings')})
    writeWorkspace('[default]\nbase_url = http://work:2\n')
    expect(resolveBaseUrl(h.ctx)).toMatchObject({url: 'http://work:2', source: 'workspace-settings'})
    const withEnv = {...h.ctx, env: {...h.env, WANDB_BASE_URL: 'http://env:3'}}
    expect(resolveBaseUrl(withEnv)).toMatchObject({url: 'http://env:3', source: 'env'})
    expect(resolveBaseUrl({...withEnv, flag: 'http://flag:4/'})).toMatchObject({url: 'http://flag:4', source: 'flag', appUrl: 'http://flag:4'})
  })

  test('names the settings file that holds an invalid URL', () => {
    writeGlobal('[default]\nbase_url = https://app.wandb.ai\n')
    expect(() => resolveBaseUrl(h.ctx)).toThrow(InvalidBaseUrlError)
    expect(() => resolveBaseUrl(h.ctx)).toThrow(expect.objectContaining({exitCode: 8, userText: expect.stringContaining(join(h.configDir, 'settings'))}))
  })
})

describe('resolveApiKey', () => {
  test('goes flag → WANDB_API_KEY → netrc for the host → settings api_key', () => {
    writeGlobal(`[default]\nbase_url = ${HOST}\napi_key = ${testKey(4)}\n`)
    expect(resolveApiKey({...h.ctx, baseUrl: HOST})).toMatchObject({apiKey: testKey(4), source: 'settings'})
    writeNetrc(`machine 127.0.0.1:8080 login user password ${testKey(3)}\n`)
    expect(resolveApiKey({...h.ctx, baseUrl: HOST})).toMatchObject({apiKey: testKey(3), source: 'netrc', machine: '127.0.0.1:8080'})
    const withEnv = {...h.ctx, env: {...h.env, WANDB_API_KEY: testKey(2)}}
    expect(resolveApiKey({...withEnv, baseUrl: HOST})).toMatchObject({apiKey: testKey(2), source: 'env', description: 'WANDB_API_KEY'})
    expect(resolveApiKey({...withEnv, baseUrl: HOST, flag: testKey(1)})).toMatchObject({apiKey: testKey(1), source: 'flag'})
  })

  test('uses a settings api_key only for the server the settings point at', () => {
    writeGlobal(`[default]\nbase_url = ${HOST}\napi_key = ${testKey(4)}\n`)
    expect(resolveApiKey({...h.ctx, baseUrl: 'http://other:1'})).toBeUndefined()
  })

  test("does not use another port's netrc entry", () => {
    writeNetrc(`machine 127.0.0.1:9090 login user password ${testKey(3)}\n`)
    expect(resolveApiKey({...h.ctx, baseUrl: HOST})).toBeUndefined()
  })

  test('rejects a key in the wrong format, naming where it came from', () => {
    const env = {...h.env, WANDB_API_KEY: 'short'}
    expect(() => resolveApiKey({...h.ctx, env, baseUrl: HOST})).toThrow(ApiKeyFormatError)
    expect(() => resolveApiKey({...h.ctx, env, baseUrl: HOST})).toThrow(expect.objectContaining({exitCode: 4, userText: expect.stringContaining('WANDB_API_KEY')}))
  })

  test('never puts the key into an error message', () => {
    const key = 'x'.repeat(39) + '!'
    try {
      resolveApiKey({...h.ctx, baseUrl: HOST, flag: key})
      throw new Error('expected a format error')
    } catch (err) {
      expect((err as ApiKeyFormatError).userText).not.toContain(key)
      expect((err as Error).message).not.toContain(key)
    }
  })

  test('refuses WANDB_API_KEY together with WANDB_IDENTITY_TOKEN_FILE, and reports an identity token alone', () => {
    const both = {...h.env, WANDB_API_KEY: testKey(), WANDB_IDENTITY_TOKEN_FILE: '/tmp/jwt'}
    expect(() => resolveCredentials({...h.ctx, env: both, baseUrl: HOST})).toThrow(KeyInputError)
    const token = {...h.env, WANDB_IDENTITY_TOKEN_FILE: '/tmp/jwt'}
    writeNetrc(`machine 127.0.0.1:8080 login user password ${testKey(3)}\n`)
    expect(resolveCredentials({...h.ctx, env: token, baseUrl: HOST})).toMatchObject({kind: 'identity-token-file', path: '/tmp/jwt'})
    expect(resolveApiKey({...h.ctx, env: token, baseUrl: HOST})).toBeUndefined()
  })
})

import {describe, expect, test} from 'bun:test'
import {InvalidBaseUrlError} from '../../../src/core/credentials/errors.ts'
import {DEFAULT_BASE_URL, appUrlOf, authorizeUrlOf, forgeUpstreamUrl, netlocOf, normalizeBaseUrl} from '../../../src/core/credentials/host-url.ts'
import {oracle} from './helpers.ts'

const URLS = [
  'http://127.0.0.1:8080',
  'http://127.0.0.1:8080/',
  'http://localhost',
  'https://wandb.example.com/prefix/',
  'https://api.example.com',
  'https://api.wandb.ai',
  'https://api.wandb.ai///',
  'http://api.wandb.ai',
  'https://wandb.ai',
  'https://app.wandb.ai',
  'https://api.forge.coreweave.com',
  'https://forge.coreweave.com/api/wandb',
  'https://forge.coreweave.com/api/wandb/',
  'https://forge.coreweave.com',
  'https://forge.coreweave.com:443/api/wandb',
  'https://qa.forge.coreweave.com/api/wandb',
  'http://api.wandb.test',
  'ftp://example.com',
  'localhost:8080',
  'not a url',
  'http://',
]

describe('normalizeBaseUrl', () => {
  test('strips trailing slashes and keeps the port and path', () => {
    expect(normalizeBaseUrl('http://127.0.0.1:8080/')).toBe('http://127.0.0.1:8080')
    expect(normalizeBaseUrl('https://w.example.com/prefix/')).toBe('https://w.example.com/prefix')
  })

  test('rejects app.wandb.ai with a hint at the default server', () => {
    expect(() => normalizeBaseUrl('https://app.wandb.ai', {source: '--host'})).toThrow(InvalidBaseUrlError)
    expect(() => normalizeBaseUrl('https://app.wandb.ai')).toThrow(expect.objectContaining({userText: expect.stringContaining(DEFAULT_BASE_URL)}))
  })

  test('is a local-file error when the URL came from a settings file', () => {
    expect(() => normalizeBaseUrl('ftp://x', {fromFile: true})).toThrow(expect.objectContaining({exitCode: 8}))
    expect(() => normalizeBaseUrl('ftp://x')).toThrow(expect.objectContaining({exitCode: 2}))
  })

  test("accepts, rejects and normalises like the SDK's HostUrl, app URL included", async () => {
    type Normalized = {url?: string; app_url?: string; ok?: false}
    const expected = await oracle<{url?: string; app_url?: string; error?: string}>('host_url', URLS)
    const actual = URLS.map((u): Normalized => {
      try {
        const url = normalizeBaseUrl(u)
        return {url, app_url: appUrlOf(url)}
      } catch {
        return {ok: false}
      }
    })
    expect(actual).toEqual(expected.map((e): Normalized => (e.error ? {ok: false} : {url: e.url, app_url: e.app_url})))
  }, 60_000)
})

describe('netlocOf', () => {
  test('is the host with its port, as written', () => {
    expect(netlocOf('http://127.0.0.1:8080/path?q')).toBe('127.0.0.1:8080')
    expect(netlocOf('https://Host.Example:443')).toBe('Host.Example:443')
    expect(netlocOf('https://api.wandb.ai')).toBe('api.wandb.ai')
  })
})

describe('app URLs', () => {
  test('WANDB_APP_URL overrides the derived UI URL', () => {
    expect(appUrlOf('http://127.0.0.1:8080', {WANDB_APP_URL: 'http://ui.local/'})).toBe('http://ui.local')
  })

  test('the authorize page of the default server is on forge.coreweave.com', () => {
    expect(authorizeUrlOf(DEFAULT_BASE_URL)).toBe('https://forge.coreweave.com/wandb/authorize')
    expect(forgeUpstreamUrl(DEFAULT_BASE_URL)).toBe('https://api.wandb.ai')
    expect(forgeUpstreamUrl('http://127.0.0.1:1')).toBe('http://127.0.0.1:1')
  })
})

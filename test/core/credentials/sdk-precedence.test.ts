/**
 * Key and server precedence checked against the real SDK: for the same files and environment,
 * resolveBaseUrl/resolveApiKey pick what the 0.31 SDK's own lookup (`_use_system_auth` with the
 * Settings' base_url) picks.
 */
import {describe, expect, test} from 'bun:test'
import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {resolveApiKey} from '../../../src/core/credentials/api-key.ts'
import {resolveBaseUrl} from '../../../src/core/credentials/base-url.ts'
import {runPython} from '../../helpers/python.ts'
import {TempHome, testKey} from './helpers.ts'

const SDK_LOOKUP = `
import json, os
from wandb.sdk import wandb_setup
from wandb.sdk.lib.wbauth import HostUrl, authenticate
host = HostUrl(wandb_setup.singleton().settings.base_url)
auth = authenticate._use_system_auth(host=host, source="oracle", update_session=False)
print("RESULT " + json.dumps({"base_url": host.url, "api_key": auth.api_key if auth is not None else None}))
`

interface Setup {
  name: string
  env?: Record<string, string>
  netrc?: string
  global?: string
  workspace?: string
}

const H = 'http://127.0.0.1:8080'
const SETUPS: Setup[] = [
  {
    name: 'env beats netrc and settings',
    env: {WANDB_API_KEY: testKey(1), WANDB_BASE_URL: H},
    netrc: `machine 127.0.0.1:8080 login user password ${testKey(2)}\n`,
    global: `[default]\napi_key = ${testKey(3)}\n`,
  },
  {name: 'netrc for the host beats a settings api_key', netrc: `machine 127.0.0.1:8080 login user password ${testKey(2)}\n`, global: `[default]\nbase_url = ${H}\napi_key = ${testKey(3)}\n`},
  {name: 'settings api_key when nothing else', global: `[default]\nbase_url = ${H}\n`, workspace: `[default]\napi_key = ${testKey(3)}\n`},
  {name: 'another port in netrc does not count', netrc: `machine 127.0.0.1:9090 login user password ${testKey(2)}\n`, global: `[default]\nbase_url = ${H}/\n`},
  {
    name: 'workspace base_url beats global, and netrc default entry applies',
    netrc: `default login user password ${testKey(4)}\n`,
    global: '[default]\nbase_url = http://global:1\n',
    workspace: `[default]\nbase_url = ${H}\n`,
  },
  {name: 'the default server falls back to the api.wandb.ai netrc entry', netrc: `machine api.wandb.ai login user password ${testKey(5)}\n`},
]

describe('precedence against the real SDK', () => {
  test('resolveBaseUrl and resolveApiKey choose what the SDK chooses', async () => {
    for (const s of SETUPS) {
      using h = new TempHome()
      if (s.netrc) writeFileSync(join(h.home, '.netrc'), s.netrc)
      for (const [path, text] of [
        [join(h.configDir, 'settings'), s.global],
        [join(h.work, 'wandb', 'settings'), s.workspace],
      ] as const) {
        if (text === undefined) continue
        mkdirSync(join(path, '..'), {recursive: true})
        writeFileSync(path, text)
      }
      const env = h.processEnv(s.env)
      const r = await runPython(['-c', SDK_LOOKUP], {cwd: h.work, env, timeoutMs: 60_000})
      const line = r.stdout.split('\n').find((l) => l.startsWith('RESULT '))
      if (!line) throw new Error(`${s.name}: python exited ${r.code}: ${r.stderr.slice(-2000)}`)
      const sdk = JSON.parse(line.slice(7)) as {base_url: string; api_key: string | null}
      const ctx = {env, cwd: h.work}
      const baseUrl = resolveBaseUrl(ctx).url
      const ours = {base_url: baseUrl, api_key: resolveApiKey({...ctx, baseUrl})?.apiKey ?? null}
      expect({name: s.name, ...ours}).toEqual({name: s.name, ...sdk})
    }
  }, 120_000)
})

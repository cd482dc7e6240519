/**
 * Proxies and TLS end to end, as Go wandb-core 0.31 honours them: a real forward proxy on
 * 127.0.0.1 (test/core/api/forward-proxy.ts) in front of the local backend, and the backend over
 * HTTPS with a self-signed certificate.
 * - a real SDK run through nexus with the http_proxy setting reaches the backend through the proxy
 *   (GraphQL, file_stream, uploads), with Proxy-Authorization from x_extra_http_headers; Go core
 *   sends the same kinds of requests through it;
 * - `nexus sync` and `nexus artifact put` follow HTTP_PROXY, and NO_PROXY sends them direct;
 * - against an untrusted certificate a run and a sync fail naming it (the offline run stays
 *   unsynced), and succeed with SSL_CERT_FILE, REQUESTS_CA_BUNDLE or insecure_disable_ssl.
 */
import {afterAll, beforeAll, describe, expect, test} from 'bun:test'
import {lookup} from 'node:dns/promises'
import {existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync} from 'node:fs'
import {hostname, tmpdir} from 'node:os'
import {join} from 'node:path'
import {startBackend, type Backend} from '../backend/index.ts'
import {startForwardProxy, type ForwardProxy, type ProxiedRequest} from '../core/api/forward-proxy.ts'
import {selfSignedCert} from '../core/api/self-signed.ts'
import {hostBinary} from '../helpers/binary.ts'
import {isolatedEnv, offlineRunDirs, runScenario, type CoreKind, type ScenarioRun} from './harness.ts'

const PROXY_AUTH = 'Basic bmV4dXM6cHJveHk=' // nexus:proxy

/** The run the SDK scenarios make: init, three steps, finish (stats off, quick init timeout). */
const SCRIPT = `
import os, sys
import wandb
extra = {}
for name in ("http_proxy", "https_proxy"):
    if os.environ.get("E2E_SETTING_" + name.upper()):
        extra[name] = os.environ["E2E_SETTING_" + name.upper()]
mode = os.environ.get("E2E_MODE", "online")
run = wandb.init(project="proxy", id=os.environ["E2E_RUN_ID"], mode=mode, settings=wandb.Settings(x_disable_stats=True, init_timeout=30, **extra))
for i in range(3):
    run.log({"x": i})
run.finish()
print("RUN_DIR=" + run.settings.sync_dir)
`

let scriptFile: string
beforeAll(() => {
  scriptFile = join(mkdtempSync(join(tmpdir(), 'e2e-proxy-script-')), 'proxy_run.py')
  writeFileSync(scriptFile, SCRIPT)
})

/** What a proxied request was for: graphql, file_stream, storage (uploads), or the target itself. */
function kind(r: ProxiedRequest): string {
  if (r.method === 'CONNECT') return 'CONNECT'
  const path = new URL(r.target).pathname
  if (path === '/graphql') return 'graphql'
  if (path.endsWith('/file_stream')) return 'file_stream'
  if (path.startsWith('/_storage/')) return `storage ${r.method}`
  return `${r.method} ${path}`
}
const kinds = (p: ForwardProxy) => [...new Set(p.requests.map(kind))].sort()

async function sdkRun(core: CoreKind, backend: Backend, runId: string, env: Record<string, string>): Promise<ScenarioRun> {
  return runScenario('proxy_run', {core, backend, runId, script: scriptFile, env, timeoutMs: 90_000})
}

async function nexus(args: string[], dir: string, env: Record<string, string>): Promise<ScenarioRun> {
  const proc = Bun.spawn([hostBinary(), ...args], {cwd: dir, env: {PATH: process.env.PATH ?? '', ...env}, stdin: 'ignore', stdout: 'pipe', stderr: 'pipe'})
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited])
  return {code, stdout, stderr, dir}
}

/** The environment of a CLI call against `backend` reached at `baseUrl`. */
function cliEnv(dir: string, backend: Backend, baseUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {...isolatedEnv(dir, backend), WANDB_BASE_URL: baseUrl, ...extra}
}

describe('an SDK run through an HTTP proxy (setting http_proxy)', () => {
  const outcome: Partial<Record<CoreKind, {run: ScenarioRun; proxy: ForwardProxy; backend: Backend}>> = {}
  beforeAll(async () => {
    for (const core of ['nexus', 'go'] as const) {
      const backend = await startBackend({quiet: true})
      const proxy = startForwardProxy({requireAuthorization: PROXY_AUTH})
      const run = await sdkRun(core, backend, `px${core}`, {E2E_SETTING_HTTP_PROXY: proxy.url, WANDB_X_EXTRA_HTTP_HEADERS: JSON.stringify({'Proxy-Authorization': PROXY_AUTH})})
      outcome[core] = {run, proxy, backend}
    }
  }, 180_000)
  afterAll(async () => {
    for (const o of Object.values(outcome)) {
      o.proxy.stop()
      await o.backend.stop()
    }
  })

  test('nexus: GraphQL, file_stream and uploads all went through the proxy, each with Proxy-Authorization', async () => {
    const {run, proxy, backend} = outcome.nexus!
    expect(run.code, run.stderr.slice(-3000)).toBe(0)
    expect(kinds(proxy)).toEqual(expect.arrayContaining(['graphql', 'file_stream', 'storage PUT']))
    expect(proxy.requests.every((r) => r.proxyAuthorization === PROXY_AUTH && r.status === 200)).toBe(true)
    const runs = await backend.inspectRuns()
    expect(runs.map((r) => r.id)).toEqual(['pxnexus'])
  })

  test('Go core sends the same kinds of requests through the proxy', () => {
    const go = outcome.go!
    expect(go.run.code, go.run.stderr.slice(-3000)).toBe(0)
    expect(kinds(outcome.nexus!.proxy)).toEqual(kinds(go.proxy))
  })

  test('nexus: a proxy that rejects the credentials (407) fails the run at once, without retrying', async () => {
    await using backend = await startBackend({quiet: true})
    await using proxy = startForwardProxy({requireAuthorization: 'Basic other'})
    const run = await sdkRun('nexus', backend, 'pxdenied', {E2E_SETTING_HTTP_PROXY: proxy.url, WANDB_X_EXTRA_HTTP_HEADERS: JSON.stringify({'Proxy-Authorization': PROXY_AUTH})})
    expect(run.code).not.toBe(0)
    expect(run.stdout + run.stderr).toContain('answered 407 Proxy Authentication Required')
    expect(proxy.requests.length).toBeLessThanOrEqual(3) // one per query run init sends, none retried
    expect(proxy.requests.every((r) => r.status === 407)).toBe(true)
    expect(await backend.inspectRuns()).toEqual([])
  }, 120_000)
})

describe('nexus sync and nexus artifact put through HTTP_PROXY', () => {
  let backend: Backend
  let offlineDir: string
  beforeAll(async () => {
    backend = await startBackend({quiet: true})
    const made = await sdkRun('nexus', backend, 'pxoffline', {E2E_MODE: 'offline'})
    expect(made.code, made.stderr.slice(-3000)).toBe(0)
    offlineDir = made.dir
  }, 120_000)
  afterAll(async () => {
    await backend.stop()
  })

  test('sync: GraphQL and file_stream go through the proxy (wandb.test is resolved by the proxy only)', async () => {
    await using proxy = startForwardProxy({hosts: {'wandb.test': '127.0.0.1'}})
    const base = `http://wandb.test:${backend.port}`
    const r = await nexus(['sync', '--no-mark-synced', ...offlineRunDirs(offlineDir)], offlineDir, cliEnv(offlineDir, backend, base, {HTTP_PROXY: proxy.url}))
    expect(r.code, r.stderr).toBe(0)
    expect(kinds(proxy)).toEqual(expect.arrayContaining(['graphql', 'file_stream']))
    expect(proxy.requests.every((q) => q.target.startsWith(base) || new URL(q.target).hostname === '127.0.0.1')).toBe(true)
    expect((await backend.inspectRuns()).map((x) => x.id)).toContain('pxoffline')
  })

  test('artifact put: GraphQL through the proxy, the artifact committed', async () => {
    await using proxy = startForwardProxy({hosts: {'wandb.test': '127.0.0.1'}})
    const dir = mkdtempSync(join(tmpdir(), 'e2e-proxy-put-'))
    mkdirSync(join(dir, 'data'))
    writeFileSync(join(dir, 'data', 'a.txt'), 'proxied artifact')
    const r = await nexus(['artifact', 'put', join(dir, 'data'), '-n', 'e2e-entity/proxy/pxdata'], dir, cliEnv(dir, backend, `http://wandb.test:${backend.port}`, {HTTP_PROXY: proxy.url}))
    expect(r.code, r.stderr).toBe(0)
    expect(kinds(proxy)).toContain('graphql')
    expect((await backend.inspectArtifacts()).map((a) => a.name)).toContain('pxdata')
  })

  test('NO_PROXY covering the server sends the sync direct', async () => {
    // a name other than "localhost" that resolves to 127.0.0.1 (loopback addresses and localhost never use an environment proxy)
    const name = hostname()
    const resolved = await lookup(name, {family: 4}).then(
      (a) => a.address,
      () => '',
    )
    if (resolved !== '127.0.0.1') {
      console.warn(`skipped: ${name} resolves to ${resolved || 'nothing'}, not 127.0.0.1`)
      return
    }
    await using proxy = startForwardProxy()
    const r = await nexus(
      ['sync', '--no-mark-synced', ...offlineRunDirs(offlineDir)],
      offlineDir,
      cliEnv(offlineDir, backend, `http://${name}:${backend.port}`, {HTTP_PROXY: proxy.url, NO_PROXY: `example.org,${name}`}),
    )
    expect(r.code, r.stderr).toBe(0)
    expect(proxy.requests).toEqual([])
    // and without NO_PROXY the same sync goes through the proxy
    await using proxy2 = startForwardProxy()
    const r2 = await nexus(['sync', '--no-mark-synced', ...offlineRunDirs(offlineDir)], offlineDir, cliEnv(offlineDir, backend, `http://${name}:${backend.port}`, {HTTP_PROXY: proxy2.url}))
    expect(r2.code, r2.stderr).toBe(0)
    expect(kinds(proxy2)).toContain('graphql')
  })
})

describe('an HTTPS server with a self-signed certificate', () => {
  let backend: Backend
  const cert = selfSignedCert()
  beforeAll(async () => {
    backend = await startBackend({quiet: true, tls: {cert: cert.cert, key: cert.key}})
  })
  afterAll(async () => {
    await backend.stop()
  })

  test('a run fails naming the certificate, and succeeds with SSL_CERT_FILE and with insecure_disable_ssl', async () => {
    const bad = await sdkRun('nexus', backend, 'tlsbad', {})
    expect(bad.code).not.toBe(0)
    expect(bad.stdout + bad.stderr).toMatch(/certificate/i)
    expect(await backend.inspectRuns()).toEqual([])
    const withCa = await sdkRun('nexus', backend, 'tlsca', {SSL_CERT_FILE: cert.certFile})
    expect(withCa.code, withCa.stderr.slice(-3000)).toBe(0)
    const insecure = await sdkRun('nexus', backend, 'tlsinsecure', {WANDB_INSECURE_DISABLE_SSL: 'true'})
    expect(insecure.code, insecure.stderr.slice(-3000)).toBe(0)
    expect((await backend.inspectRuns()).map((r) => r.id).sort()).toEqual(['tlsca', 'tlsinsecure'])
  }, 180_000)

  test('a run with the https_proxy setting tunnels through the proxy (CONNECT with Proxy-Authorization), nexus and Go alike', async () => {
    const seen: Record<string, ProxiedRequest[]> = {}
    for (const core of ['nexus', 'go'] as const) {
      await using proxy = startForwardProxy({requireAuthorization: PROXY_AUTH})
      const run = await sdkRun(core, backend, `tlsproxy${core}`, {
        E2E_SETTING_HTTPS_PROXY: proxy.url,
        SSL_CERT_FILE: cert.certFile,
        WANDB_X_EXTRA_HTTP_HEADERS: JSON.stringify({'Proxy-Authorization': PROXY_AUTH}),
      })
      expect(run.code, `${core}: ${run.stderr.slice(-3000)}`).toBe(0)
      seen[core] = [...proxy.requests]
    }
    for (const core of ['nexus', 'go']) {
      expect(seen[core].length).toBeGreaterThan(0)
      expect(seen[core].every((r) => r.method === 'CONNECT' && r.target === `127.0.0.1:${backend.port}` && r.proxyAuthorization === PROXY_AUTH && r.status === 200)).toBe(true)
    }
    expect((await backend.inspectRuns()).map((r) => r.id)).toEqual(expect.arrayContaining(['tlsproxynexus', 'tlsproxygo']))
  }, 120_000)

  test('nexus sync fails naming the certificate and keeps the offline run; REQUESTS_CA_BUNDLE or insecure_disable_ssl make it sync', async () => {
    const made = await sdkRun('nexus', backend, 'tlsoffline', {E2E_MODE: 'offline'})
    expect(made.code, made.stderr.slice(-3000)).toBe(0)
    const dir = made.dir
    const runDirs = offlineRunDirs(dir)
    const env = (extra: Record<string, string> = {}) => ({...isolatedEnv(dir, backend), ...extra})
    const bad = await nexus(['sync', ...runDirs], dir, env())
    expect(bad.code).not.toBe(0)
    expect(bad.stderr).toMatch(/certificate/i)
    expect(bad.stderr).toContain('SSL_CERT_FILE')
    expect(runDirs.every((d) => existsSync(d))).toBe(true)
    expect(runDirs.flatMap((d) => readdirSync(d)).some((f) => f.endsWith('.synced'))).toBe(false)
    expect((await backend.inspectRuns()).map((r) => r.id)).not.toContain('tlsoffline')

    const withBundle = await nexus(['sync', '--no-mark-synced', ...runDirs], dir, env({REQUESTS_CA_BUNDLE: cert.certFile}))
    expect(withBundle.code, withBundle.stderr).toBe(0)
    expect((await backend.inspectRuns()).map((r) => r.id)).toContain('tlsoffline')
    const insecure = await nexus(['sync', '--restart', ...runDirs], dir, env({WANDB_INSECURE_DISABLE_SSL: 'true'}))
    expect(insecure.code, insecure.stderr).toBe(0)
    expect(runDirs.flatMap((d) => readdirSync(d)).some((f) => f.endsWith('.synced'))).toBe(true)
  }, 120_000)
})

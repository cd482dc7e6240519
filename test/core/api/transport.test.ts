import {afterEach, describe, expect, test} from 'bun:test'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {GRAPHQL_POLICY, HttpClient, NoProxy, TlsError, Transport, TransportError, basicAuthorization, redactProxy, type RetryPolicy} from '../../../src/core/api/index.ts'
import {nullLogger} from '../../../src/core/observability/index.ts'
import {RunSettings} from '../../../src/core/settings/index.ts'
import {Settings} from '../../../src/core/proto.ts'
import {startForwardProxy, type ForwardProxy} from './forward-proxy.ts'
import {selfSignedCert} from './self-signed.ts'

const FAST: RetryPolicy = {...GRAPHQL_POLICY, name: 'fast', maxRetries: 2, waitMinMs: 5, waitMaxMs: 10, timeoutMs: 5000}
const KEY = 'k'.repeat(40)

describe('NoProxy (Go httpproxy rules)', () => {
  const cases: Array<[string, string, boolean]> = [
    ['', 'http://localhost:8080/', true],
    ['', 'http://127.0.0.9/', true],
    ['', 'http://[::1]:80/', true],
    ['', 'http://[::ffff:127.0.0.1]/', true],
    ['', 'http://wandb.test/', false],
    ['*', 'https://api.wandb.ai/', true],
    ['wandb.test', 'http://wandb.test:1234/', true],
    ['wandb.test', 'http://api.wandb.test/', true],
    ['wandb.test', 'http://notwandb.test/', false],
    ['.wandb.test', 'http://wandb.test/', false],
    ['.wandb.test', 'http://a.wandb.test/', true],
    ['*.wandb.test', 'http://wandb.test/', false],
    ['*.wandb.test', 'http://a.wandb.test/', true],
    [' WANDB.TEST ', 'http://wandb.test/', true],
    ['wandb.test:8080', 'http://wandb.test:8080/', true],
    ['wandb.test:8080', 'http://wandb.test:9090/', false],
    ['wandb.test:443', 'https://wandb.test/', true],
    ['wandb.test:80', 'https://wandb.test/', false],
    ['10.0.0.0/8', 'http://10.1.2.3/', true],
    ['10.0.0.0/8', 'http://11.1.2.3/', false],
    ['fd00::/8', 'http://[fd12::1]/', true],
    ['fd00::/8', 'http://[fe12::1]/', false],
    ['192.0.2.2', 'http://192.0.2.2:81/', true],
    ['192.0.2.2:80', 'http://192.0.2.2:81/', false],
    ['[2001:db8::1]:443', 'https://[2001:db8::1]/', true],
    ['2001:db8::1', 'https://[2001:db8:0:0:0:0:0:1]/', true],
    ['192.0.2.0/24', 'http://example.com/', false],
    ['example.com', 'http://93.184.216.34/', false],
    ['foo.com, ,bar.com', 'http://x.bar.com/', true],
  ]
  for (const [value, url, bypass] of cases) {
    test(`NO_PROXY=${JSON.stringify(value)}: ${url} ${bypass ? 'goes direct' : 'uses the proxy'}`, () => {
      expect(NoProxy.parse(value).bypasses(new URL(url))).toBe(bypass)
    })
  }
})

describe('Transport: which proxy a URL uses', () => {
  const P = 'http://proxy.test:3128'
  test('the https_proxy setting wins over HTTPS_PROXY, and NO_PROXY does not apply to it (Go ProxyFn)', () => {
    const t = Transport.fromConfig({httpsProxy: P, env: {HTTPS_PROXY: 'http://env:1', NO_PROXY: '*'}})
    expect(t.proxyFor('https://api.wandb.test/graphql')).toEqual({url: new URL(P), source: 'setting https_proxy'})
    expect(t.proxyFor('https://127.0.0.1/graphql')?.source).toBe('setting https_proxy')
  })

  test('a setting covers only its scheme; the other falls back to the environment', () => {
    const t = Transport.fromConfig({httpsProxy: P, env: {HTTP_PROXY: 'http://env:1'}})
    expect(t.proxyFor('http://wandb.test/')?.source).toBe('HTTP_PROXY')
    expect(t.proxyFor('http://wandb.test/')?.url.href).toBe('http://env:1/')
  })

  test('upper-case variables win over lower-case ones; the lower-case ones work alone', () => {
    expect(Transport.fromConfig({env: {HTTPS_PROXY: 'http://a:1', https_proxy: 'http://b:1'}}).proxyFor('https://wandb.test/')?.source).toBe('HTTPS_PROXY')
    expect(Transport.fromConfig({env: {https_proxy: 'http://b:1', no_proxy: 'other.test'}}).proxyFor('https://wandb.test/')?.source).toBe('https_proxy')
    expect(Transport.fromConfig({env: {https_proxy: 'http://b:1', no_proxy: 'wandb.test'}}).proxyFor('https://wandb.test/')).toBeUndefined()
  })

  test('HTTPS_PROXY serves https URLs only, HTTP_PROXY http URLs only', () => {
    const t = Transport.fromConfig({env: {HTTPS_PROXY: 'http://a:1'}})
    expect(t.proxyFor('http://wandb.test/')).toBeUndefined()
    expect(t.proxyFor('https://wandb.test/')).toBeDefined()
  })

  test('environment proxies skip loopback and NO_PROXY hosts; settings proxies do not', () => {
    const t = Transport.fromConfig({env: {HTTP_PROXY: P, NO_PROXY: 'direct.test'}})
    expect(t.proxyFor('http://127.0.0.1:8080/')).toBeUndefined()
    expect(t.proxyFor('http://localhost/')).toBeUndefined()
    expect(t.proxyFor('http://direct.test/')).toBeUndefined()
    expect(t.proxyFor('http://wandb.test/')?.url.host).toBe('proxy.test:3128')
    expect(Transport.fromConfig({httpProxy: P, env: {NO_PROXY: 'direct.test'}}).proxyFor('http://direct.test/')?.source).toBe('setting http_proxy')
  })

  test('an environment proxy without a scheme means http://, as in Go', () => {
    expect(Transport.fromConfig({env: {HTTPS_PROXY: 'proxy.test:3128'}}).proxyFor('https://wandb.test/')?.url.href).toBe('http://proxy.test:3128/')
  })

  test('an unusable proxy fails only the requests that need it, with a TransportError', () => {
    const t = Transport.fromConfig({httpsProxy: 'socks5://user:secret@proxy.test:1080', env: {}})
    expect(t.proxyFor('http://wandb.test/')).toBeUndefined()
    let err: unknown
    try {
      t.forUrl('https://wandb.test/')
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(TransportError)
    expect((err as TransportError).userText).toContain('socks5://')
    expect((err as TransportError).userText).not.toContain('secret')
  })

  test('HTTP_PROXY is refused in a CGI environment (REQUEST_METHOD set), as Go refuses it', () => {
    const t = Transport.fromConfig({env: {HTTP_PROXY: P, HTTPS_PROXY: P, REQUEST_METHOD: 'GET'}})
    expect(() => t.forUrl('http://wandb.test/')).toThrow(/CGI/)
    expect(t.proxyFor('https://wandb.test/')).toBeDefined()
  })

  test('direct requests still pass proxy: false, so Bun never applies its own proxy variables', () => {
    expect(Transport.fromConfig({env: {HTTP_PROXY: P}}).forUrl('http://127.0.0.1/').options).toEqual({proxy: false})
  })
})

describe('Transport: Proxy-Authorization', () => {
  const header = {'proxy-authorization': 'Bearer from-headers', 'X-Other': 'x'}
  const auth = (t: Transport, url: string) => {
    const p = t.forUrl(url).options.proxy
    return p === false ? undefined : p.headers?.['Proxy-Authorization']
  }
  test('comes from x_extra_http_headers (any case) and goes to the proxy; the URL sent to Bun has no credentials', () => {
    const t = Transport.fromConfig({httpsProxy: 'http://proxy.test:1', extraHeaders: header, env: {}})
    expect(auth(t, 'https://wandb.test/')).toBe('Bearer from-headers')
    expect(t.forUrl('https://wandb.test/').options.proxy).toMatchObject({url: 'http://proxy.test:1/', respectNoProxy: false})
  })
  test("on a CONNECT the proxy URL's credentials win; for an http target the header wins (Go's precedence)", () => {
    const t = Transport.fromConfig({httpProxy: 'http://u%40x:p%3Aw@proxy.test:1', httpsProxy: 'http://u%40x:p%3Aw@proxy.test:1', extraHeaders: header, env: {}})
    expect(auth(t, 'https://wandb.test/')).toBe(`Basic ${btoa('u@x:p:w')}`)
    expect(auth(t, 'http://wandb.test/')).toBe('Bearer from-headers')
    const urlOnly = Transport.fromConfig({httpProxy: 'http://u:p@proxy.test:1', env: {}})
    expect(auth(urlOnly, 'http://wandb.test/')).toBe(`Basic ${btoa('u:p')}`)
    const urlBare = new URL((urlOnly.forUrl('http://wandb.test/').options.proxy as {url: string}).url)
    expect(urlBare.username + urlBare.password).toBe('')
  })
  test('an empty header value is ignored', () => {
    const t = Transport.fromConfig({httpsProxy: 'http://proxy.test:1', extraHeaders: {'Proxy-Authorization': ''}, env: {}})
    expect(auth(t, 'https://wandb.test/')).toBeUndefined()
  })
  test('redactProxy hides credentials', () => {
    expect(redactProxy('http://user:pw@proxy:1/')).toBe('http://***@proxy:1/')
    expect(redactProxy('user:pw@proxy:1')).toBe('***@proxy:1')
    expect(redactProxy('http://proxy:1/')).toBe('http://proxy:1/')
  })
})

describe('Transport: settings and environment', () => {
  test('fromEnv maps the WANDB_* variables as the SDK does', () => {
    const t = Transport.fromEnv({
      WANDB_HTTP_PROXY: 'http://p.test:1/',
      WANDB_HTTPS_PROXY: 'http://q.test:2',
      WANDB_X_EXTRA_HTTP_HEADERS: '{"Proxy-Authorization": "Basic abc"}',
      WANDB_INSECURE_DISABLE_SSL: 'True',
    })
    expect(t.proxyFor('http://x.test/')).toEqual({url: new URL('http://p.test:1'), source: 'setting http_proxy'})
    expect(t.forUrl('https://x.test/').options).toEqual({proxy: {url: 'http://q.test:2/', headers: {'Proxy-Authorization': 'Basic abc'}, respectNoProxy: false}, tls: {rejectUnauthorized: false}})
    expect(Transport.fromEnv({WANDB__EXTRA_HTTP_HEADERS: '{"proxy-authorization": "B"}', WANDB_HTTPS_PROXY: 'http://q.test:2'}).describe()).toMatchObject({proxy_authorization: 'set'})
  })

  test('fromEnv rejects malformed values with a clear error', () => {
    const userText = (env: Record<string, string>) => {
      try {
        Transport.fromEnv(env)
      } catch (err) {
        expect(err).toBeInstanceOf(TransportError)
        return (err as TransportError).userText
      }
      throw new Error('no error')
    }
    expect(userText({WANDB_INSECURE_DISABLE_SSL: 'maybe'})).toContain('must be true or false')
    expect(userText({WANDB_X_EXTRA_HTTP_HEADERS: '{nope'})).toContain('must be a JSON object')
    expect(userText({WANDB_X_EXTRA_HTTP_HEADERS: '{"a": 1}'})).toContain('string values')
  })

  test('fromSettings takes the run settings first, their WANDB_* variables where unset', () => {
    const settings = new RunSettings(
      Settings.create({
        https_proxy: {value: 'http://from-settings:1'},
        insecure_disable_ssl: {value: true},
        x_extra_http_headers: {value: {'Proxy-Authorization': 'Basic s'}},
      }),
    )
    const t = Transport.fromSettings(settings, {WANDB_HTTPS_PROXY: 'http://from-env:1', WANDB_HTTP_PROXY: 'http://env-http:1'})
    expect(t.proxyFor('https://x.test/')?.url.host).toBe('from-settings:1')
    expect(t.proxyFor('http://x.test/')?.url.host).toBe('env-http:1')
    expect(t.describe()).toMatchObject({https_proxy: 'http://from-settings:1/', proxy_authorization: 'set', tls: 'insecure (verification off)'})
    // a malformed variable does not break a run whose settings the SDK validated
    expect(() => Transport.fromSettings(settings, {WANDB_INSECURE_DISABLE_SSL: 'maybe'})).not.toThrow()
  })

  test('CA bundles: SSL_CERT_FILE, SSL_CERT_DIR, REQUESTS_CA_BUNDLE add to the root store', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nexus-ca-'))
    const cert = selfSignedCert().cert
    writeFileSync(join(dir, 'a.pem'), `junk\n${cert}\n${cert}`)
    writeFileSync(join(dir, 'notes.txt'), 'not a certificate')
    for (const env of [{SSL_CERT_FILE: join(dir, 'a.pem')}, {SSL_CERT_DIR: `/nonexistent-but-skipped-no:${dir}`.replace('/nonexistent-but-skipped-no:', '')}, {REQUESTS_CA_BUNDLE: dir}]) {
      const tls = Transport.fromConfig({env}).forUrl('https://x.test/').options.tls
      expect(tls?.ca?.filter((c) => c.trim() === cert.trim()).length).toBe(2)
      expect(tls!.ca!.length).toBeGreaterThan(100) // Bun's roots stay trusted
    }
    expect(Transport.fromConfig({env: {SSL_CERT_FILE: join(dir, 'a.pem')}}).describe().tls).toContain('SSL_CERT_FILE=')
  })

  test('an unreadable or empty CA bundle fails https requests with a TransportError naming the variable', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nexus-ca-'))
    writeFileSync(join(dir, 'empty.pem'), 'nothing here')
    const missing = Transport.fromConfig({env: {SSL_CERT_FILE: join(dir, 'missing.pem')}})
    expect(() => missing.forUrl('https://x.test/')).toThrow(/SSL_CERT_FILE/)
    expect(missing.forUrl('http://x.test/').options).toEqual({proxy: false})
    expect(() => Transport.fromConfig({env: {REQUESTS_CA_BUNDLE: join(dir, 'empty.pem')}}).forUrl('https://x.test/')).toThrow(/no PEM certificate/)
  })

  test('insecure_disable_ssl turns verification off and ignores the CA variables', () => {
    expect(Transport.fromConfig({insecureDisableSsl: true, env: {SSL_CERT_FILE: '/missing'}}).forUrl('https://x.test/').options).toEqual({proxy: false, tls: {rejectUnauthorized: false}})
  })
})

describe('HttpClient through a real forward proxy and TLS', () => {
  let proxies: ForwardProxy[] = []
  let servers: Array<{stop: (force?: boolean) => void}> = []
  afterEach(() => {
    for (const p of proxies) p.stop()
    for (const s of servers) s.stop(true)
    proxies = []
    servers = []
  })
  const proxy = (o?: Parameters<typeof startForwardProxy>[0]) => {
    const p = startForwardProxy({hosts: {'wandb.test': '127.0.0.1'}, ...o})
    proxies.push(p)
    return p
  }
  const seen: Request[] = []
  const plain = () => {
    const s = Bun.serve({
      hostname: '127.0.0.1',
      port: 0,
      fetch: (r) => (seen.push(r), Response.json({host: r.headers.get('host'), auth: r.headers.get('authorization'), pa: r.headers.get('proxy-authorization')})),
    })
    servers.push(s)
    return s.port
  }
  const tlsServer = () => {
    const c = selfSignedCert()
    let hits = 0
    const s = Bun.serve({hostname: '127.0.0.1', port: 0, tls: {cert: c.cert, key: c.key}, fetch: () => (hits++, new Response('secure'))})
    servers.push(s)
    return {port: s.port, hits: () => hits}
  }
  const client = (baseUrl: string, transport: Transport) =>
    new HttpClient({baseUrl, authorization: () => basicAuthorization(KEY), logger: nullLogger, transport, extraHeaders: {'Proxy-Authorization': 'Basic cHJveHk6cHc='}})

  test('http target: an absolute-URI request through the setting proxy, Proxy-Authorization to the proxy only', async () => {
    const port = plain()
    const p = proxy({requireAuthorization: 'Basic cHJveHk6cHc='})
    const base = `http://wandb.test:${port}`
    const t = Transport.fromConfig({httpProxy: p.url, extraHeaders: {'Proxy-Authorization': 'Basic cHJveHk6cHc='}, env: {}})
    const res = await client(base, t).send({method: 'POST', url: `${base}/graphql`, json: {q: 1}, policy: FAST})
    const body = (await res.json()) as {host: string; auth: string; pa: string | null}
    expect(body).toEqual({host: `wandb.test:${port}`, auth: basicAuthorization(KEY), pa: null})
    expect(p.requests).toEqual([{method: 'POST', target: `${base}/graphql`, proxyAuthorization: 'Basic cHJveHk6cHc=', status: 200}])
  })

  test('https target: a CONNECT tunnel with Proxy-Authorization, the CA from SSL_CERT_FILE verifying the server', async () => {
    const s = tlsServer()
    const p = proxy({requireAuthorization: 'Bearer tunnel'})
    const base = `https://wandb.test:${s.port}`
    const t = Transport.fromConfig({env: {HTTPS_PROXY: p.url, SSL_CERT_FILE: selfSignedCert().certFile}, extraHeaders: {'proxy-authorization': 'Bearer tunnel'}})
    const res = await client(base, t).send({method: 'GET', url: `${base}/x`, policy: FAST})
    expect(await res.text()).toBe('secure')
    expect(p.requests).toEqual([{method: 'CONNECT', target: `wandb.test:${s.port}`, proxyAuthorization: 'Bearer tunnel', status: 200}])
  })

  test('a proxy demanding other credentials (407) fails at once, naming the proxy', async () => {
    const s = tlsServer()
    const p = proxy({requireAuthorization: 'Bearer right'})
    const base = `https://wandb.test:${s.port}`
    const t = Transport.fromConfig({httpsProxy: p.url, extraHeaders: {'Proxy-Authorization': 'Bearer wrong'}, env: {}})
    const err = await client(base, t)
      .send({method: 'GET', url: `${base}/x`, policy: FAST})
      .catch((e) => e)
    expect(String(err.message)).toContain('setting https_proxy')
    expect(String(err.message)).toContain('407')
    expect(p.requests.length).toBe(1)
  })

  test('NO_PROXY sends the request direct although HTTP_PROXY is set', async () => {
    const port = plain()
    const p = proxy()
    const base = `http://localhost:${port}`
    const t = Transport.fromConfig({env: {HTTP_PROXY: p.url, NO_PROXY: 'localhost'}})
    expect(await (await client(base, t).send({method: 'GET', url: `${base}/x`, policy: FAST})).json()).toMatchObject({host: `localhost:${port}`})
    expect(p.requests).toEqual([])
  })

  test('an untrusted certificate is a TlsError, not retried; a CA bundle or insecure_disable_ssl fixes it', async () => {
    const s = tlsServer()
    const base = `https://127.0.0.1:${s.port}`
    const err = await client(base, Transport.fromConfig({env: {}}))
      .send({method: 'GET', url: `${base}/x`, policy: FAST})
      .catch((e) => e)
    expect(err).toBeInstanceOf(TlsError)
    expect(err.message).toMatch(/certificate/)
    expect(err.message).toContain('SSL_CERT_FILE')
    expect(s.hits()).toBe(0)
    expect(await (await client(base, Transport.fromConfig({env: {REQUESTS_CA_BUNDLE: selfSignedCert().certFile}})).send({method: 'GET', url: `${base}/x`, policy: FAST})).text()).toBe('secure')
    expect(await (await client(base, Transport.fromConfig({insecureDisableSsl: true})).send({method: 'GET', url: `${base}/x`, policy: FAST})).text()).toBe('secure')
  })

  test('a client built without a transport reads the environment (the CLI default)', () => {
    const saved = process.env.WANDB_HTTPS_PROXY
    process.env.WANDB_HTTPS_PROXY = 'http://default.test:9'
    try {
      expect(new HttpClient({baseUrl: 'https://x.test', logger: nullLogger}).transport.proxyFor('https://x.test/')?.url.host).toBe('default.test:9')
    } finally {
      if (saved === undefined) delete process.env.WANDB_HTTPS_PROXY
      else process.env.WANDB_HTTPS_PROXY = saved
    }
  })
})

import {afterEach, beforeEach, describe, expect, test} from 'bun:test'
import {chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {NetrcSyntaxError} from '../../../src/core/credentials/errors.ts'
import {netrcPath, readNetrcKey, updateNetrcText, writeNetrcKey} from '../../../src/core/credentials/netrc-file.ts'
import {TempHome, oracle, testKey} from './helpers.ts'

let h: TempHome
beforeEach(() => {
  h = new TempHome()
})
afterEach(() => h.dispose())

describe('netrcPath', () => {
  test('uses NETRC, with ~ expanded, when it is set', () => {
    expect(netrcPath({...h.ctx, env: {...h.env, NETRC: '~/secrets/my-netrc'}})).toBe(join(h.home, 'secrets', 'my-netrc'))
  })

  test('prefers an existing ~/.netrc, then an existing ~/_netrc', () => {
    writeFileSync(join(h.home, '_netrc'), '')
    expect(netrcPath(h.ctx)).toBe(join(h.home, '_netrc'))
    writeFileSync(join(h.home, '.netrc'), '')
    expect(netrcPath(h.ctx)).toBe(join(h.home, '.netrc'))
  })

  test('defaults to ~/.netrc, or ~/_netrc on Windows, when neither exists', () => {
    expect(netrcPath(h.ctx)).toBe(join(h.home, '.netrc'))
    expect(netrcPath({...h.ctx, platform: 'win32', env: {...h.env, USERPROFILE: h.home}})).toBe(join(h.home, '_netrc'))
  })
})

describe('readNetrcKey', () => {
  test('looks the key up by netloc, port included', () => {
    writeFileSync(join(h.home, '.netrc'), `machine 127.0.0.1 login user password ${testKey(1)}\nmachine 127.0.0.1:8080 login user password ${testKey(2)}\n`)
    expect(readNetrcKey('http://127.0.0.1:8080', h.ctx)).toEqual({apiKey: testKey(2), path: join(h.home, '.netrc'), machine: '127.0.0.1:8080'})
    expect(readNetrcKey('http://127.0.0.1', h.ctx)?.apiKey).toBe(testKey(1))
    expect(readNetrcKey('http://127.0.0.1:9999', h.ctx)).toBeUndefined()
  })

  test('falls back to the default entry, then (for Forge) to the W&B host behind it', () => {
    writeFileSync(join(h.home, '.netrc'), `machine api.wandb.ai login user password ${testKey(3)}\n`)
    expect(readNetrcKey('https://api.forge.coreweave.com', h.ctx)).toMatchObject({apiKey: testKey(3), machine: 'api.wandb.ai'})
    writeFileSync(join(h.home, '.netrc'), `default login user password ${testKey(4)}\n`)
    expect(readNetrcKey('http://anything:1', h.ctx)).toMatchObject({apiKey: testKey(4), machine: 'default'})
  })

  test('ignores an entry without a password, and a missing file', () => {
    expect(readNetrcKey('http://h:1', h.ctx)).toBeUndefined()
    writeFileSync(join(h.home, '.netrc'), 'machine h:1 login user\n')
    expect(readNetrcKey('http://h:1', h.ctx)).toBeUndefined()
  })

  test('throws NetrcSyntaxError naming the file and line for a malformed file', () => {
    writeFileSync(join(h.home, '.netrc'), 'machine a login u password p\nbroken stuff\n')
    expect(() => readNetrcKey('http://a', h.ctx)).toThrow(NetrcSyntaxError)
    expect(() => readNetrcKey('http://a', h.ctx)).toThrow(expect.objectContaining({line: 2, userText: expect.stringContaining('malformed at line 2')}))
  })
})

describe('updateNetrcText', () => {
  const KEY = 'local-' + 'b'.repeat(50)
  const CASES: Array<{text: string | null; machine: string; password: string}> = [
    {text: null, machine: '127.0.0.1:8080', password: KEY},
    {text: '', machine: 'h', password: KEY},
    {text: 'machine example.com\n  login foo\n  password bar\n\nmachine other.org login x password "y z"\n', machine: '127.0.0.1:8080', password: KEY},
    {text: 'machine a login u password p', machine: 'b:1', password: KEY},
    {text: `machine h:1\n  login user\n  password ${testKey(1)}\n\n# keep me\nmachine z login z password z\n`, machine: 'h:1', password: KEY},
    {text: `machine x login a password b\nmachine h:1 login user password old\ndefault login d password d\n`, machine: 'h:1', password: KEY},
    {text: 'machine h:10 login u password p\nmachine h:1 login u password p\n', machine: 'h:1', password: KEY},
    {text: 'machine "unclosed login u password p\n', machine: 'h', password: KEY},
    {text: 'macdef init\nmachine h:1\n\nmachine q login q password q\n', machine: 'h:1', password: KEY},
    {text: 'machine h login u password p\n', machine: '[::1]:8080', password: KEY},
  ]

  test('appends the block the SDK writes, with a single trailing newline', () => {
    expect(updateNetrcText('', '127.0.0.1:8080', KEY)).toBe(`machine 127.0.0.1:8080\n  login user\n  password ${KEY}\n`)
  })

  test("produces byte for byte what the SDK's _update_netrc writes", async () => {
    const expected = await oracle<{text: string}>('update_netrc', CASES)
    expect(CASES.map((c) => updateNetrcText(c.text ?? '', c.machine, c.password))).toEqual(expected.map((e) => e.text))
  }, 60_000)

  test('keeps CRLF line endings of other entries (the SDK would turn them into LF)', () => {
    const out = updateNetrcText('machine a\r\n  login u\r\n  password p\r\n', 'h', KEY)
    expect(out.startsWith('machine a\r\n  login u\r\n  password p\r\n')).toBe(true)
  })
})

describe('writeNetrcKey', () => {
  test('creates the file with mode 0600 and reads back the key', () => {
    const w = writeNetrcKey('http://127.0.0.1:8080', testKey(7), h.ctx)
    expect(w).toMatchObject({path: join(h.home, '.netrc'), machine: '127.0.0.1:8080', created: true})
    expect(statSync(w.path).mode & 0o777).toBe(0o600)
    expect(readNetrcKey('http://127.0.0.1:8080', h.ctx)?.apiKey).toBe(testKey(7))
  })

  test('tightens a group-readable file to 0600', () => {
    const path = join(h.home, '.netrc')
    writeFileSync(path, 'machine a login u password p\n')
    chmodSync(path, 0o644)
    writeNetrcKey('http://h:1', testKey(), h.ctx)
    expect(statSync(path).mode & 0o777).toBe(0o600)
  })

  test('leaves a malformed file untouched and names the line', () => {
    const path = join(h.home, '.netrc')
    const original = 'machine a login u password p\n\n\n\n  bogus x\n'
    writeFileSync(path, original)
    let caught: unknown
    try {
      writeNetrcKey('http://h:1', testKey(), h.ctx)
    } catch (err) {
      caught = err
    }
    expect(caught).toBeInstanceOf(NetrcSyntaxError)
    expect((caught as NetrcSyntaxError).line).toBe(5)
    expect(readFileSync(path, 'utf8')).toBe(original)
  })

  test('writes through a symlinked netrc, keeping the link', () => {
    mkdirSync(join(h.dir, 'dotfiles'))
    const target = join(h.dir, 'dotfiles', 'netrc')
    writeFileSync(target, 'machine a login u password p\n')
    symlinkSync(target, join(h.home, '.netrc'))
    writeNetrcKey('http://h:1', testKey(), h.ctx)
    expect(lstatSync(join(h.home, '.netrc')).isSymbolicLink()).toBe(true)
    expect(readFileSync(target, 'utf8')).toContain('machine h:1\n')
  })

  test('creates the folder of a NETRC path that does not exist yet', () => {
    const env = {...h.env, NETRC: join(h.dir, 'new', 'dir', 'netrc')}
    writeNetrcKey('http://h:1', testKey(), {...h.ctx, env})
    expect(existsSync(env.NETRC)).toBe(true)
    expect(existsSync(join(h.home, '.netrc'))).toBe(false)
  })
})

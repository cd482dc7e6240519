import {describe, expect, test} from 'bun:test'
import {NetrcParseError, netrcAuthenticators, parseNetrc} from '../../../src/core/credentials/netrc-parser.ts'
import {oracle} from './helpers.ts'

const FILES = [
  'machine a.com\n  login user\n  password p1\n',
  'machine a.com login u password p1 machine b.com login v password p2',
  'machine h:8080 login user password "quoted pass"\n',
  'machine x login u account acc password p\ndefault login anonymous password dflt\n',
  '# a comment line\nmachine a login u password p # trailing comment\n',
  '#nospace comment\nmachine a login u password p\n',
  'machine a\n  # comment inside\n  login u\n  password p\n',
  'macdef init\ncd /tmp\nls\n\nmachine a login u password p\n',
  'machine a login u password p\nmachine a login u2 password p2\n',
  'machine a user u password p\n',
  'machine a login u\n',
  'machine "esc\\"aped" login u password back\\\\slash\n',
  '\n\n\n',
  '',
  // malformed
  'machine a login u password p\nbogus token\n',
  'machine a login u password p\n  frobnicate x\n',
  'machine',
  'macdef m\nno terminator\n',
  'login u password p\n',
]

describe('parseNetrc', () => {
  test('reads machine entries with login and password', () => {
    const parsed = parseNetrc('machine a.com\n  login user\n  password p1\n\nmachine b:8080 login x password "y z"\n')
    expect(parsed.hosts.get('a.com')).toEqual({login: 'user', account: '', password: 'p1'})
    expect(parsed.hosts.get('b:8080')).toEqual({login: 'x', account: '', password: 'y z'})
  })

  test('falls back to the default entry for an unknown host', () => {
    const parsed = parseNetrc('machine a login u password p\ndefault login d password dp\n')
    expect(netrcAuthenticators(parsed, 'other')?.password).toBe('dp')
    expect(netrcAuthenticators(parsed, 'a')?.password).toBe('p')
  })

  test('names the line where a bad token starts', () => {
    const err = (() => {
      try {
        parseNetrc('machine a\n  login u\n  password p\n\n  frobnicate x\n')
      } catch (e) {
        return e
      }
    })()
    expect(err).toBeInstanceOf(NetrcParseError)
    expect((err as NetrcParseError).line).toBe(5)
    expect((err as NetrcParseError).reason).toBe("bad follower token 'frobnicate'")
  })

  test('reports a first token that is not machine/default/macdef with its line', () => {
    expect(() => parseNetrc('# leading comment\n\nlogin u password p\n')).toThrow(/line 3: bad toplevel token 'login'/)
  })

  test('accepts and rejects the same files as Python netrc, with the same entries and messages', async () => {
    type Parsed = {hosts?: Record<string, [string, string, string]>; error?: string}
    const expected = await oracle<Parsed>('netrc_parse', FILES)
    const actual = FILES.map((text): Parsed => {
      try {
        const hosts: Record<string, [string, string, string]> = {}
        for (const [k, v] of parseNetrc(text).hosts) hosts[k] = [v.login, v.account, v.password]
        return {hosts}
      } catch (err) {
        return {error: (err as NetrcParseError).reason}
      }
    })
    expect(actual).toEqual(expected)
  }, 60_000)
})

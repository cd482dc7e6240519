/**
 * The service's launch line parsed without oclif (bin/run.ts's direct path): it must accept
 * exactly what the SDK sends and hand everything else to oclif (undefined), and it must agree
 * with the oclif command's flags, which are built from the same table.
 */
import {describe, expect, test} from 'bun:test'
import Service from '../../../src/commands/service/index.ts'
import {SERVICE_FLAGS, ServiceFlagError, parseServiceArgv, serviceOptionsFrom} from '../../../src/commands/service/options.ts'

describe('parseServiceArgv', () => {
  test("the SDK's launch line (service_process.py), incl. a negative log level", () => {
    const flags = parseServiceArgv(['--port-filename', '/tmp/p.txt', '--pid', '4242', '--log-level', '-4', '--no-observability', '--os-pid-shutdown'])
    expect(flags).toEqual({
      'port-filename': '/tmp/p.txt',
      pid: 4242,
      'log-level': -4,
      'no-observability': true,
      'enable-dcgm-profiling': false,
      'listen-on-localhost': false,
      detached: false,
      'idle-timeout': '10m',
      'os-pid-shutdown': true,
      'shared-node': '',
    })
  })

  test('--name=value, and a value that starts with a dash', () => {
    const flags = parseServiceArgv(['--port-filename=/tmp/a=b', '--detached', '--idle-timeout=0', '--log-level=8', '--port-filename', '-odd'])
    expect(flags?.['port-filename']).toBe('-odd')
    expect(flags?.['idle-timeout']).toBe('0')
    expect(flags?.['log-level']).toBe(8)
    expect(flags?.detached).toBe(true)
  })

  test.each([
    [['--help']],
    [['-h']],
    [['--port-filename']],
    [['--pid', 'me']],
    [['--pid', '1.5']],
    [['--detached=yes']],
    [['--unknown']],
    [['install']],
    [['--port-filename', 'p', 'extra']],
    [['-p', 'x']],
  ])('%j goes to oclif', (argv) => {
    expect(parseServiceArgv(argv)).toBeUndefined()
  })

  test('defaults equal the oclif command’s, flag for flag', () => {
    const direct = parseServiceArgv([])!
    const oclifFlags = Service.flags as Record<string, {type: string; default?: unknown}>
    expect(Object.keys(oclifFlags).sort()).toEqual(Object.keys(SERVICE_FLAGS).sort())
    for (const [name, flag] of Object.entries(oclifFlags)) {
      expect(flag.type === 'boolean' ? false : flag.default).toEqual(direct[name as keyof typeof direct])
    }
  })
})

describe('serviceOptionsFrom', () => {
  const base = parseServiceArgv([])!
  test('converts the idle timeout and the observability switch', () => {
    const o = serviceOptionsFrom({...base, 'idle-timeout': '1m30s', 'no-observability': true})
    expect(o.idleTimeoutMs).toBe(90_000)
    expect(o.observability).toBe(false)
  })
  test('a bad or negative idle timeout is a ServiceFlagError naming the flag', () => {
    expect(() => serviceOptionsFrom({...base, 'idle-timeout': 'soon'})).toThrow(ServiceFlagError)
    expect(() => serviceOptionsFrom({...base, 'idle-timeout': 'soon'})).toThrow('--idle-timeout')
    expect(() => serviceOptionsFrom({...base, 'idle-timeout': '-1s'})).toThrow('--idle-timeout must be >= 0')
  })
})

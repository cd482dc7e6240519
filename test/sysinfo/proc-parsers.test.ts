import {describe, expect, test} from 'bun:test'
import {
  countCpuList,
  parseChildren,
  parseCpuinfo,
  parseCpusAllowed,
  parseDiskstats,
  parseMeminfo,
  parseMounts,
  parseNetDev,
  parseProcStat,
  parseStatusRssBytes,
  parseTcpRetransSegs,
} from '../../src/sysinfo/proc-parsers.ts'
import {statLine} from './fakes.ts'

describe('/proc parsers', () => {
  test('stat fields are counted from the last parenthesis, so odd command names do not shift them', () => {
    expect(parseProcStat(statLine({pid: 7, ppid: 3, utime: 120, stime: 30, threads: 9, start: 4242}))).toEqual({
      ppid: 3,
      cpuTicks: 150,
      threads: 9,
      startTicks: 4242,
    })
    expect(parseProcStat('garbage')).toBeUndefined()
  })

  test('VmRSS is read in kB and returned in bytes; kernel threads have none', () => {
    expect(parseStatusRssBytes('Name:\tx\nVmRSS:\t   51200 kB\nThreads:\t3\n')).toBe(51200 * 1024)
    expect(parseStatusRssBytes('Name:\tkthreadd\nThreads:\t1\n')).toBeUndefined()
  })

  test('CPU lists count ranges and single CPUs', () => {
    expect(countCpuList('0-3,8,10-11')).toBe(7)
    expect(parseCpusAllowed('Cpus_allowed:\tff\nCpus_allowed_list:\t0-1\n')).toBe(2)
    expect(parseCpusAllowed('Name: x\n')).toBe(0)
  })

  test('meminfo uses MemAvailable, or free + buffers + cached on kernels without it', () => {
    expect(parseMeminfo('MemTotal: 1000 kB\nMemFree: 100 kB\nMemAvailable: 600 kB\n')).toEqual({total: 1024000, available: 614400})
    expect(parseMeminfo('MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 50 kB\nCached: 250 kB\n')).toEqual({total: 1024000, available: 409600})
    expect(parseMeminfo('nothing')).toBeUndefined()
  })

  test('network bytes are summed over every interface, loopback included', () => {
    const text = [
      'Inter-|   Receive                                                |  Transmit',
      ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed',
      '    lo: 1000   10    0    0    0     0          0         0 1000   10    0    0    0     0       0          0',
      '  eth0: 5000   20    0    0    0     0          0         0 7000   30    0    0    0     0       0          0',
    ].join('\n')
    expect(parseNetDev(text)).toEqual({recv: 6000, sent: 8000})
  })

  test('diskstats sectors are 512 bytes whatever the device block size', () => {
    const stats = parseDiskstats(' 254       0 vda 205451 13739 12454682 426769 18262 80374 12479744 34783 0 41836 465897\n   7       0 loop0 0 0 0 0 0 0 0 0 0 0 0\n')
    expect(stats.get('vda')).toEqual({readBytes: 12454682 * 512, writeBytes: 12479744 * 512})
    expect(stats.get('loop0')).toEqual({readBytes: 0, writeBytes: 0})
  })

  test('mount points decode octal escapes', () => {
    expect(parseMounts('/dev/sdb1 /mnt/my\\040disk ext4 rw,relatime 0 0\n')).toEqual([{device: '/dev/sdb1', mountPoint: '/mnt/my disk', fsType: 'ext4', options: ['rw', 'relatime']}])
  })

  test('TCP retransmissions come from the RetransSegs column of the Tcp table', () => {
    const snmp =
      'Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens PassiveOpens AttemptFails EstabResets CurrEstab InSegs OutSegs RetransSegs InErrs\nTcp: 1 200 120000 -1 1913 1825 14 136 0 54302 44305 18 1\n'
    expect(parseTcpRetransSegs(snmp)).toBe(18)
    expect(parseTcpRetransSegs('Ip: 1\n')).toBeUndefined()
  })

  test('children files list pids separated by spaces', () => {
    expect(parseChildren('12 13 200 ')).toEqual([12, 13, 200])
    expect(parseChildren('')).toEqual([])
  })

  test('physical cores are distinct package/core pairs; hyperthreads share one', () => {
    const cpu = (n: number, core: number) => `processor\t: ${n}\nmodel name\t: AMD EPYC\nphysical id\t: 0\ncore id\t\t: ${core}\n`
    expect(parseCpuinfo([cpu(0, 0), cpu(1, 0), cpu(2, 1), cpu(3, 1)].join('\n'))).toEqual({logical: 4, physical: 2, model: 'AMD EPYC'})
    expect(parseCpuinfo('processor\t: 0\nBogoMIPS\t: 50\n\nprocessor\t: 1\nBogoMIPS\t: 50\n')).toEqual({logical: 2, physical: 0, model: ''})
  })
})

import {afterEach, describe, expect, test} from 'bun:test'
import {LinuxSystemResource, type LinuxSystemOptions} from '../../src/sysinfo/index.ts'
import {FakeHost, statLine} from './fakes.ts'

const GiB = 1024 ** 3
const MiB = 1024 ** 2
const hosts: FakeHost[] = []
afterEach(() => hosts.splice(0).forEach((h) => h.dispose()))

const cpuinfo = [0, 1, 2, 3].map((n) => `processor\t: ${n}\nmodel name\t: Test CPU\nphysical id\t: 0\ncore id\t\t: ${n >> 1}\n`).join('\n')
const netdev = (rx: number, tx: number) =>
  `Inter-| Receive | Transmit\n face |bytes packets|bytes packets\n  eth0: ${rx} 1 0 0 0 0 0 0 ${tx} 1 0 0 0 0 0 0\n    lo: 10 1 0 0 0 0 0 0 10 1 0 0 0 0 0 0\n`
const snmp = (retrans: number) => `Tcp: RtoAlgorithm RetransSegs\nTcp: 1 ${retrans}\n`
const diskstats = (readSectors: number, writtenSectors: number) => ` 254 0 vda 1 0 ${readSectors} 0 1 0 ${writtenSectors} 0 0 0 0\n 7 0 loop0 0 0 0 0 0 0 0 0 0 0 0\n`

/** A 4-thread/2-core host with 8 GiB RAM; pid 100 (RSS 100 MiB) has a child 101 (RSS 50 MiB). */
function fakeHost(): FakeHost {
  const h = new FakeHost()
  hosts.push(h)
  return h
    .write('/proc/cpuinfo', cpuinfo)
    .write('/proc/meminfo', `MemTotal: ${8 * 1024 * 1024} kB\nMemAvailable: ${6 * 1024 * 1024} kB\n`)
    .write('/proc/net/dev', netdev(1000, 2000))
    .write('/proc/net/snmp', snmp(5))
    .write('/proc/diskstats', diskstats(2048, 4096))
    .write('/proc/self/mounts', '/dev/vda / ext4 rw 0 0\nproc /proc proc rw 0 0\n')
    .write('/proc/100/stat', statLine({pid: 100, utime: 1000, stime: 100, threads: 8, start: 50}))
    .write('/proc/100/status', `VmRSS:\t${100 * 1024} kB\n`)
    .write('/proc/100/task/100/children', '101')
    .write('/proc/101/stat', statLine({pid: 101, ppid: 100, utime: 10, stime: 0, threads: 2, start: 60}))
    .write('/proc/101/status', `VmRSS:\t${50 * 1024} kB\n`)
    .write('/proc/101/task/101/children', '')
}

const statfs = () => ({bsize: 4096, frsize: 4096, blocks: (100 * GiB) / 4096, bfree: (60 * GiB) / 4096, bavail: (50 * GiB) / 4096})

function resource(h: FakeHost, o: Partial<LinuxSystemOptions> = {}) {
  const clock = {ms: 1_000_000}
  const r = new LinuxSystemResource({
    pid: 100,
    trackProcessTree: true,
    diskPaths: ['/'],
    noCgroup: false,
    selfUsage: false,
    now: () => clock.ms,
    root: h.root,
    statfs,
    env: {},
    ...o,
  })
  return {r, clock}
}

describe('LinuxSystemResource', () => {
  test('process CPU is the tree CPU time per second divided by the physical core count', async () => {
    const h = fakeHost()
    const {r, clock} = resource(h)
    h.write('/proc/100/stat', statLine({pid: 100, utime: 1250, stime: 150, threads: 8, start: 50}))
    h.write('/proc/101/stat', statLine({pid: 101, ppid: 100, utime: 110, stime: 0, threads: 2, start: 60}))
    clock.ms += 2000
    const m = await r.sample()
    // 300 + 100 ticks = 4 CPU-seconds in 2 s = 200 % of one core; 2 physical cores → 100.
    expect(m.get('cpu')).toBeCloseTo(100, 9)
    expect(m.get('proc.cpu.threads')).toBe(10)
    expect(m.get('proc.memory.rssMB')).toBe(150)
    expect(m.get('proc.memory.percent')).toBeCloseTo((150 / (8 * 1024)) * 100, 9)
  })

  test('without process-tree tracking only the monitored pid counts', async () => {
    const h = fakeHost()
    const {r, clock} = resource(h, {trackProcessTree: false})
    h.write('/proc/100/stat', statLine({pid: 100, utime: 1100, stime: 100, threads: 8, start: 50}))
    clock.ms += 1000
    const m = await r.sample()
    expect(m.get('cpu')).toBeCloseTo(50, 9)
    expect(m.get('proc.cpu.threads')).toBe(8)
    expect(m.get('proc.memory.rssMB')).toBe(100)
  })

  test('a pid reused by a new process only sets a baseline instead of counting its whole CPU time', async () => {
    const h = fakeHost()
    const {r, clock} = resource(h)
    h.write('/proc/101/stat', statLine({pid: 101, ppid: 100, utime: 5000, stime: 0, threads: 2, start: 999}))
    clock.ms += 1000
    expect((await r.sample()).get('cpu')).toBe(0)
  })

  test('system memory, disk usage, disk I/O, network and retransmissions are reported since construction', async () => {
    const h = fakeHost()
    const {r, clock} = resource(h)
    h.write('/proc/net/dev', netdev(1000 + 4096, 2000 + 1024))
    h.write('/proc/net/snmp', snmp(9))
    h.write('/proc/diskstats', diskstats(2048 + 4096, 4096 + 2048))
    clock.ms += 1000
    const m = await r.sample()
    expect(Object.fromEntries(m)).toMatchObject({
      'network.sent': 1024,
      'network.recv': 4096,
      'network.tcpRetransmits': 4,
      'disk.vda.in': 2,
      'disk.vda.out': 1,
      memory_percent: 25,
      'proc.memory.availableMB': 6 * 1024,
      'disk./.usagePercent': (40 / 90) * 100,
      'disk./.usageGB': 40,
    })
    expect(m.has('disk.loop0.in')).toBe(false)
  })

  test('under a cgroup memory and CPU limit the limits are the denominators and throttling and OOM kills appear', async () => {
    const h = fakeHost()
      .write('/proc/self/cgroup', '0::/job\n')
      .write('/proc/self/mountinfo', '30 23 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n')
      .write('/sys/fs/cgroup/job/memory.max', `${GiB}\n`)
      .write('/sys/fs/cgroup/job/memory.current', `${256 * MiB}\n`)
      .write('/sys/fs/cgroup/job/cpu.max', '50000 100000\n')
      .write('/sys/fs/cgroup/job/cpu.stat', 'nr_periods 100\nnr_throttled 10\n')
      .write('/sys/fs/cgroup/job/memory.events', 'oom_kill 3\n')
    const {r, clock} = resource(h, {trackProcessTree: false})
    expect(r.cpuCapacity).toBe(0.5)
    h.write('/proc/100/stat', statLine({pid: 100, utime: 1100, stime: 100, threads: 8, start: 50}))
    h.write('/sys/fs/cgroup/job/cpu.stat', 'nr_periods 150\nnr_throttled 30\n')
    h.write('/sys/fs/cgroup/job/memory.events', 'oom_kill 4\n')
    clock.ms += 1000
    const m = await r.sample()
    expect(m.get('cpu')).toBeCloseTo(200, 9)
    expect(m.get('memory_percent')).toBe(25)
    expect(m.get('proc.memory.availableMB')).toBe(768)
    expect(m.get('proc.memory.percent')).toBeCloseTo((100 / 1024) * 100, 9)
    expect(m.get('proc.cpu.throttledPercent')).toBe(40)
    expect(m.get('proc.memory.oomKills')).toBe(1)
  })

  test('x_stats_no_cgroup ignores the cgroup limits', async () => {
    const h = fakeHost()
      .write('/proc/self/cgroup', '0::/job\n')
      .write('/proc/self/mountinfo', '30 23 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n')
      .write('/sys/fs/cgroup/job/memory.max', `${GiB}\n`)
      .write('/sys/fs/cgroup/job/memory.current', `${256 * MiB}\n`)
    const {r} = resource(h, {noCgroup: true})
    expect((await r.sample()).get('memory_percent')).toBe(25)
    expect(r.cpuCapacity).toBe(2)
    expect((await r.sample()).get('proc.memory.availableMB')).toBe(6 * 1024)
  })

  test('a monitored process that has exited leaves only the system-wide keys', async () => {
    const h = fakeHost()
    const {r} = resource(h, {pid: 4242})
    const m = await r.sample()
    expect([...m.keys()].filter((k) => k.startsWith('proc.') && k !== 'proc.memory.availableMB')).toEqual([])
    expect(m.has('cpu')).toBe(false)
    expect(m.has('memory_percent')).toBe(true)
  })

  test('the probe describes cores, model, memory, disks and SLURM variables', async () => {
    const h = fakeHost()
    const {r} = resource(h, {env: {SLURM_JOB_ID: '77', SLURM_NODELIST: 'n[1-2]', HOME: '/root'}})
    expect(await r.probe()).toEqual({
      cpu_count: 2,
      cpu_count_logical: 4,
      cpu: {count: 0, count_logical: 0, model: 'Test CPU'},
      memory: {total: BigInt(8 * GiB)},
      disk: {'/': {total: BigInt(100 * GiB), used: BigInt(40 * GiB)}},
      slurm: {job_id: '77', nodelist: 'n[1-2]'},
    })
  })

  test('on this Linux host it reports the keys Go core 0.31 reports here', async () => {
    let ms = Date.now()
    const now = () => (ms += 1000)
    const r = new LinuxSystemResource({pid: process.pid, trackProcessTree: false, diskPaths: ['/'], noCgroup: false, selfUsage: true, now})
    const keys = [...(await r.sample()).keys()]
    for (const k of [
      'cpu',
      'network.sent',
      'network.recv',
      'network.tcpRetransmits',
      'memory_percent',
      'proc.memory.availableMB',
      'proc.memory.rssMB',
      'proc.memory.percent',
      'proc.cpu.threads',
      'disk./.usagePercent',
      'disk./.usageGB',
      'wandb.cpu',
      'wandb.memory.rssMB',
    ]) {
      expect(keys).toContain(k)
    }
    expect(keys.some((k) => /^disk\.[^/]+\.in$/.test(k))).toBe(true)
  })
})

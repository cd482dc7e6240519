import {afterEach, describe, expect, test} from 'bun:test'
import {cgroupDir, detectCgroupLimits, minPositive} from '../../src/sysinfo/cgroup-limits.ts'
import {HostFiles} from '../../src/sysinfo/host-files.ts'
import {FakeHost} from './fakes.ts'

const hosts: FakeHost[] = []
afterEach(() => hosts.splice(0).forEach((h) => h.dispose()))
function host(): FakeHost {
  const h = new FakeHost()
  hosts.push(h)
  return h
}

const V2_MOUNT = '30 23 0:26 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw\n'

describe('cgroup limits', () => {
  test('a cgroup v2 container reports its memory.max and cpu.max quota', () => {
    const h = host()
      .write('/proc/self/cgroup', '0::/kubepods/pod1/c1\n')
      .write('/proc/self/mountinfo', V2_MOUNT)
      .write('/proc/self/status', 'Cpus_allowed_list:\t0-15\n')
      .write('/sys/fs/cgroup/kubepods/pod1/c1/memory.max', '2147483648\n')
      .write('/sys/fs/cgroup/kubepods/pod1/c1/memory.current', '536870912\n')
      .write('/sys/fs/cgroup/kubepods/pod1/c1/cpu.max', '150000 100000\n')
      .write('/sys/fs/cgroup/kubepods/pod1/c1/cpu.stat', 'usage_usec 1\nnr_periods 40\nnr_throttled 10\n')
      .write('/sys/fs/cgroup/kubepods/pod1/c1/memory.events', 'low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n')
    const cg = detectCgroupLimits(new HostFiles(h.root), 16)!
    expect(cg.version).toBe(2)
    expect(cg.memoryLimit).toBe(2147483648)
    expect(cg.cpuLimit).toBe(1.5)
    expect(cg.memoryCurrent()).toBe(536870912)
    expect(cg.cpuThrottling()).toEqual({periods: 40, throttled: 10})
    expect(cg.oomKills()).toBe(1)
  })

  test('a bind-mounted cgroup tree has the mount root stripped from the process cgroup path', () => {
    expect(cgroupDir({root: '/kubepods/pod1', mountPoint: '/sys/fs/cgroup'}, '/kubepods/pod1/c1')).toBe('/sys/fs/cgroup/c1')
    expect(cgroupDir({root: '/kubepods/pod1', mountPoint: '/sys/fs/cgroup'}, '/kubepods/pod1')).toBe('/sys/fs/cgroup')
    expect(cgroupDir({root: '/', mountPoint: '/sys/fs/cgroup/unified'}, '/')).toBe('/sys/fs/cgroup/unified')
  })

  test('a CPU affinity list smaller than the host is a CPU limit; one covering every CPU is not', () => {
    const h = host()
      .write('/proc/self/cgroup', '0::/\n')
      .write('/proc/self/mountinfo', V2_MOUNT)
      .write('/proc/self/status', 'Cpus_allowed_list:\t0-3\n')
      .write('/sys/fs/cgroup/memory.max', 'max\n')
      .write('/sys/fs/cgroup/cpu.max', 'max 100000\n')
    expect(detectCgroupLimits(new HostFiles(h.root), 16)?.cpuLimit).toBe(4)
    expect(detectCgroupLimits(new HostFiles(h.root), 4)).toBeUndefined()
  })

  test('the tighter of cpu.max and the affinity list wins, and a missing one never wins', () => {
    expect(minPositive(2.5, 4)).toBe(2.5)
    expect(minPositive(0, 4)).toBe(4)
    expect(minPositive(3, 0)).toBe(3)
    expect(minPositive(0, -1)).toBe(0)
  })

  test('cgroup v1 limits come from the memory and cpu controllers; the huge v1 "unlimited" value is no limit', () => {
    const mountinfo = ['32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu,cpuacct', '35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory'].join('\n')
    const h = host()
      .write('/proc/self/cgroup', '4:memory:/docker/abc\n3:cpu,cpuacct:/docker/abc\n0::/\n')
      .write('/proc/self/mountinfo', mountinfo)
      .write('/sys/fs/cgroup/memory/docker/abc/memory.limit_in_bytes', '1073741824\n')
      .write('/sys/fs/cgroup/memory/docker/abc/memory.usage_in_bytes', '268435456\n')
      .write('/sys/fs/cgroup/memory/docker/abc/memory.oom_control', 'oom_kill_disable 0\nunder_oom 0\noom_kill 2\n')
      .write('/sys/fs/cgroup/cpu/docker/abc/cpu.cfs_quota_us', '200000\n')
      .write('/sys/fs/cgroup/cpu/docker/abc/cpu.cfs_period_us', '100000\n')
    const cg = detectCgroupLimits(new HostFiles(h.root), 8)!
    expect([cg.version, cg.memoryLimit, cg.cpuLimit, cg.memoryCurrent(), cg.oomKills()]).toEqual([1, 1073741824, 2, 268435456, 2])

    h.write('/sys/fs/cgroup/memory/docker/abc/memory.limit_in_bytes', '9223372036854771712\n')
    h.write('/sys/fs/cgroup/cpu/docker/abc/cpu.cfs_quota_us', '-1\n')
    expect(detectCgroupLimits(new HostFiles(h.root), 8)).toBeUndefined()
  })

  test('a host without cgroup files has no limits', () => {
    expect(detectCgroupLimits(new HostFiles(host().root), 8)).toBeUndefined()
  })
})

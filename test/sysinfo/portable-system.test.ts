import {describe, expect, test} from 'bun:test'
import {PortableSystemResource, type SystemInformationApi} from '../../src/sysinfo/index.ts'
import {pickTree} from '../../src/sysinfo/portable-system.ts'

const GiB = 1024 ** 3

/** A systeminformation stand-in: pid 10 (child 11) on a 4-core machine with 16 GiB. */
function fakeSi() {
  const calls = {powerShellStart: 0, powerShellRelease: 0, processes: 0}
  let rx = 100
  let tx = 50
  const si: SystemInformationApi = {
    mem: async () => ({total: 16 * GiB, available: 12 * GiB}),
    networkStats: async () => [{rx_bytes: (rx += 1000), tx_bytes: (tx += 10)}],
    processes: async () => {
      calls.processes++
      return {
        list: [
          {pid: 10, parentPid: 1, cpu: 150, memRss: 1024 * 100},
          {pid: 11, parentPid: 10, cpu: 50, memRss: 1024 * 28},
          {pid: 12, parentPid: 1, cpu: 99, memRss: 1},
        ],
      }
    },
    cpu: async () => ({physicalCores: 4, cores: 8, brand: 'M2 Pro', manufacturer: 'Apple'}),
    powerShellStart: () => void calls.powerShellStart++,
    powerShellRelease: () => void calls.powerShellRelease++,
  }
  return {si, calls}
}

const statfs = () => ({bsize: 4096, blocks: (100 * GiB) / 4096, bfree: (75 * GiB) / 4096, bavail: (75 * GiB) / 4096})

describe('PortableSystemResource (macOS, Windows)', () => {
  test('on macOS process CPU per core is divided by the physical cores, and counters start at the first sample', async () => {
    const {si} = fakeSi()
    const r = new PortableSystemResource({si, platform: 'darwin', pid: 10, trackProcessTree: true, diskPaths: ['/'], statfs, env: {}})
    await r.sample()
    const m = Object.fromEntries(await r.sample())
    expect(m).toEqual({
      cpu: 50,
      'proc.memory.rssMB': 128,
      'proc.memory.percent': (128 / (16 * 1024)) * 100,
      'network.sent': 10,
      'network.recv': 1000,
      memory_percent: 25,
      'proc.memory.availableMB': 12 * 1024,
      'disk./.usagePercent': 25,
      'disk./.usageGB': 25,
    })
  })

  test('on Windows one PowerShell is kept for the resource lifetime and released on close', async () => {
    const {si, calls} = fakeSi()
    const r = new PortableSystemResource({si, platform: 'win32', pid: 10, trackProcessTree: false, diskPaths: ['/'], statfs, env: {}})
    expect(calls.powerShellStart).toBe(1)
    expect((await r.sample()).get('cpu')).toBe(150)
    r.close()
    r.close()
    expect(calls.powerShellRelease).toBe(1)
  })

  test('the probe reports cores, model, memory and disks', async () => {
    const {si} = fakeSi()
    const r = new PortableSystemResource({si, platform: 'darwin', pid: 0, trackProcessTree: false, diskPaths: ['/'], statfs, env: {SLURM_JOB_ID: '3'}})
    expect(await r.probe()).toEqual({
      cpu_count: 4,
      cpu_count_logical: 8,
      cpu: {count: 0, count_logical: 0, model: 'Apple M2 Pro'},
      memory: {total: BigInt(16 * GiB)},
      disk: {'/': {total: BigInt(100 * GiB), used: BigInt(25 * GiB)}},
      slurm: {job_id: '3'},
    })
  })

  test('without a monitored pid no process list is requested', async () => {
    const {si, calls} = fakeSi()
    await new PortableSystemResource({si, platform: 'darwin', pid: 0, trackProcessTree: false, diskPaths: [], statfs, env: {}}).sample()
    expect(calls.processes).toBe(0)
  })

  test('process trees are gathered through parent pids', () => {
    const list = [
      {pid: 1, parentPid: 0},
      {pid: 2, parentPid: 1},
      {pid: 3, parentPid: 2},
      {pid: 4, parentPid: 9},
    ]
    expect(pickTree(list, 1, true).map((p) => p.pid)).toEqual([1, 2, 3])
    expect(pickTree(list, 1, false).map((p) => p.pid)).toEqual([1])
    expect(pickTree(list, 7, true)).toEqual([])
  })
})

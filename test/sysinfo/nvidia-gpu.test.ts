import {afterEach, describe, expect, test} from 'bun:test'
import {NvidiaGpuResource, addGpuMetrics, architectureName, cudaVersionString} from '../../src/sysinfo/index.ts'
import {FakeHost} from './fakes.ts'
import {H200_BUS_ID, H200_UUID, RecordedNvml, recording} from './fake-nvml.ts'

const hosts: FakeHost[] = []
afterEach(() => hosts.splice(0).forEach((h) => h.dispose()))
function emptyHost(): string {
  const h = new FakeHost()
  hosts.push(h)
  return h.root
}

describe('NvidiaGpuResource on the recorded H200', () => {
  test('maps NVML readings to the SDK keys and units', async () => {
    const nvml = new RecordedNvml()
    const r = new NvidiaGpuResource(nvml, {pid: 0, root: emptyHost()})
    const s = recording.samples_under_bf16_matmul_load[0]
    expect(Object.fromEntries(await r.sample())).toEqual({
      'gpu.0.gpu': 100,
      'gpu.0.memory': 25,
      'gpu.0.memoryAllocated': (1839071232 / 150754820096) * 100,
      'gpu.0.memoryAllocatedBytes': 1839071232,
      'gpu.0.temp': 61,
      'gpu.0.powerWatts': 692.818,
      'gpu.0.enforcedPowerLimitWatts': 700,
      'gpu.0.powerPercent': (692.818 / 700) * 100,
      'gpu.0.smClock': 1500,
      'gpu.0.memoryClock': 3201,
      'gpu.0.graphicsClock': 1500,
      'gpu.0.correctedMemoryErrors': 0,
      'gpu.0.encoderUtilization': 0,
      'gpu.0.pcieLinkGen': 5,
      'gpu.0.pcieLinkWidth': 16,
      'gpu.0.maxPcieLinkGen': 5,
      'gpu.0.maxPcieLinkWidth': 16,
      'gpu.0.pcieTxBytes': s.pcie_tx_KBps * 1024,
      'gpu.0.pcieRxBytes': s.pcie_rx_KBps * 1024,
    })
  })

  test('a reading NVML does not support (the H200 has no fan) is absent and not asked for again', async () => {
    const nvml = new RecordedNvml()
    const r = new NvidiaGpuResource(nvml, {pid: 0, root: emptyHost()})
    for (let i = 0; i < 3; i++) {
      expect((await r.sample()).has('gpu.0.fanSpeed')).toBe(false)
      nvml.next()
    }
    expect(nvml.calls.get('fan')).toBe(1)
  })

  test('gpu.process.{i}.* repeat the device keys when the monitored pid has a context on the GPU', async () => {
    const nvml = new RecordedNvml()
    const self = recording.samples_under_bf16_matmul_load[0].self_pid
    const m = await new NvidiaGpuResource(nvml, {pid: self, root: emptyHost()}).sample()
    expect([...m.keys()].filter((k) => k.startsWith('gpu.process.')).sort()).toEqual(
      ['enforcedPowerLimitWatts', 'gpu', 'memory', 'memoryAllocated', 'memoryAllocatedBytes', 'powerPercent', 'powerWatts', 'temp'].map((k) => `gpu.process.0.${k}`),
    )
    expect(m.get('gpu.process.0.powerWatts')).toBe(692.818)
    const other = await new NvidiaGpuResource(new RecordedNvml(), {pid: 99999, root: emptyHost()}).sample()
    expect([...other.keys()].some((k) => k.startsWith('gpu.process.'))).toBe(false)
  })

  test('the values follow the recording from sample to sample', async () => {
    const nvml = new RecordedNvml()
    const r = new NvidiaGpuResource(nvml, {pid: 0, root: emptyHost()})
    const seen: number[] = []
    for (const s of recording.samples_under_bf16_matmul_load) {
      seen.push((await r.sample()).get('gpu.0.powerWatts')!)
      nvml.next()
      expect(seen.at(-1)).toBe(s.power_mW / 1000)
    }
    expect(seen).toHaveLength(10)
  })

  test('x_stats_gpu_device_ids leaves the other GPUs out', async () => {
    const r = new NvidiaGpuResource(new RecordedNvml(), {pid: 0, gpuDeviceIds: [1], root: emptyHost()})
    expect((await r.sample()).size).toBe(0)
  })

  test('the probe describes the GPU as the machine description stores it', async () => {
    const root = new FakeHost()
    hosts.push(root)
    root.write('/sys/bus/pci/devices/0000:00:06.0/numa_node', '0\n')
    const r = new NvidiaGpuResource(new RecordedNvml(), {pid: 0, root: root.root})
    expect(await r.probe()).toEqual({
      gpu_type: 'NVIDIA H200',
      gpu_count: 1,
      cuda_version: '13.0',
      gpu_nvidia: [{name: 'NVIDIA H200', memory_total: 150754820096n, cuda_cores: 16896, architecture: 'Hopper', uuid: H200_UUID, pci_bus_id: H200_BUS_ID, numa_node: 0}],
    })
  })

  test('close shuts NVML down once, and a closed resource samples nothing', async () => {
    const nvml = new RecordedNvml()
    const r = new NvidiaGpuResource(nvml, {pid: 0, root: emptyHost()})
    r.close()
    r.close()
    expect(nvml.shutdowns).toBe(1)
    expect((await r.sample()).size).toBe(0)
    expect(await r.probe()).toEqual({})
  })
})

describe('GPU mapping helpers', () => {
  test('CUDA driver versions and architecture codes use NVML encodings', () => {
    expect(cudaVersionString(13000)).toBe('13.0')
    expect(cudaVersionString(12040)).toBe('12.4')
    expect([architectureName(7), architectureName(9), architectureName(10), architectureName(0xffffffff), architectureName(undefined)]).toEqual(['Ampere', 'Hopper', 'Blackwell', 'Unknown', ''])
  })

  test('powerPercent needs a power limit and memoryAllocated needs a total', () => {
    const m = new Map<string, number>()
    addGpuMetrics(m, {index: 3, powerWatts: 50, memoryUsed: 10}, false)
    expect(Object.fromEntries(m)).toEqual({'gpu.3.powerWatts': 50})
  })
})

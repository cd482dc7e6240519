import {afterAll, describe, expect, test} from 'bun:test'
import {dlopen, FFIType} from 'bun:ffi'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {NvidiaGpuResource, NvmlUnavailableError, openNvml} from '../../src/sysinfo/index.ts'
import {FakeHost} from './fakes.ts'

/**
 * The bun:ffi NVML binding against a fake libnvidia-ml.so.1 compiled from fake-nvml.c. Needs a C
 * compiler (gcc or cc); where there is none these tests are reported as skipped, by name.
 */
const compiler = Bun.which('gcc') ?? Bun.which('cc')
const dir = mkdtempSync(join(tmpdir(), 'fake-nvml-'))
const lib = join(dir, 'libnvidia-ml.so.1')
const host = new FakeHost()
afterAll(() => {
  rmSync(dir, {recursive: true, force: true})
  host.dispose()
})
if (compiler) {
  const built = Bun.spawnSync([compiler, '-shared', '-fPIC', '-O1', '-o', lib, join(import.meta.dir, 'fake-nvml.c')], {stderr: 'pipe'})
  if (built.exitCode !== 0) throw new Error(`compiling fake-nvml.c failed: ${built.stderr.toString()}`)
}

/** The fake library's test controls (same loaded image as the binding's, so the same statics). */
function controls() {
  return dlopen(lib, {
    fake_nvml_fail_init: {args: [FFIType.u32], returns: FFIType.void},
    fake_nvml_set_pids: {args: [FFIType.u32, FFIType.ptr], returns: FFIType.void},
    fake_nvml_initialized: {args: [], returns: FFIType.u32},
    fake_nvml_without_memory_v2: {args: [FFIType.u32], returns: FFIType.void},
  })
}

describe.skipIf(!compiler)('NVML through bun:ffi (fake libnvidia-ml.so.1)', () => {
  test('readings, struct fields and error codes come through the binding', async () => {
    const nvml = openNvml(lib)
    try {
      const r = new NvidiaGpuResource(nvml, {pid: 0, root: host.root})
      const m = Object.fromEntries(await r.sample())
      expect(m).toMatchObject({
        'gpu.0.gpu': 100,
        'gpu.0.memory': 25,
        'gpu.0.memoryAllocatedBytes': 1194328064,
        'gpu.0.temp': 61,
        'gpu.0.powerWatts': 692.818,
        'gpu.0.enforcedPowerLimitWatts': 700,
        'gpu.0.smClock': 1500,
        'gpu.0.memoryClock': 3201,
        'gpu.0.graphicsClock': 1500,
        'gpu.0.correctedMemoryErrors': 3,
        'gpu.0.uncorrectedMemoryErrors': 1,
        'gpu.0.encoderUtilization': 0,
        'gpu.0.pcieLinkGen': 5,
        'gpu.0.pcieLinkSpeed': 32000e6,
        'gpu.0.pcieLinkWidth': 16,
        'gpu.0.maxPcieLinkGen': 5,
        'gpu.0.maxPcieLinkWidth': 16,
        'gpu.0.pcieTxBytes': 7602 * 1024,
        'gpu.0.pcieRxBytes': 16640 * 1024,
        'gpu.1.temp': 37,
        'gpu.1.powerWatts': 76.81,
      })
      expect('gpu.0.fanSpeed' in m).toBe(false)
      // The driver's cumulative counter (the fake starts at 1000 J and adds 692.818 J per read).
      const energy = m['gpu.0.energyJoules']
      expect((energy - 1000) / 692.818).toBeCloseTo(Math.round((energy - 1000) / 692.818), 6)
      expect((await r.sample()).get('gpu.0.energyJoules')).toBeCloseTo(energy + 2 * 692.818, 6)
      expect(await r.probe()).toEqual({
        gpu_type: 'NVIDIA H200',
        gpu_count: 2,
        cuda_version: '13.0',
        gpu_nvidia: [
          {name: 'NVIDIA H200', memory_total: 150754820096n, cuda_cores: 16896, architecture: 'Hopper', uuid: 'GPU-96ff496c-fac0-c9eb-6ecb-d55885ca781c', pci_bus_id: '00000000:00:06.0'},
          {name: 'NVIDIA H200', memory_total: 150754820096n, cuda_cores: 16896, architecture: 'Hopper', uuid: 'GPU-00000000-0000-0000-0000-000000000001', pci_bus_id: '00000000:00:07.0'},
        ],
      })
      expect(nvml.driverVersion()).toBe('580.159.04')
    } finally {
      nvml.shutdown()
    }
  })

  test('used memory leaves out the driver reservation (v2), or includes it on drivers with only v1', async () => {
    const c = controls()
    const nvml = openNvml(lib)
    try {
      expect(nvml.device(0)!.memory()).toEqual({total: 150754820096, used: 1194328064, free: 150754820096 - 644743168 - 1194328064})
      c.symbols.fake_nvml_without_memory_v2(1)
      expect(nvml.device(0)!.memory()).toEqual({total: 150754820096, used: 1839071232, free: 150754820096 - 1839071232})
    } finally {
      c.symbols.fake_nvml_without_memory_v2(0)
      nvml.shutdown()
      c.close()
    }
  })

  test('process lists larger than the first buffer are fetched in full', async () => {
    const c = controls()
    const pids = Uint32Array.from({length: 40}, (_, i) => 5000 + i)
    pids[39] = process.pid
    c.symbols.fake_nvml_set_pids(pids.length, pids)
    const nvml = openNvml(lib)
    try {
      expect(nvml.device(0)!.processes()).toEqual([...pids])
      expect(nvml.device(1)!.processes()).toEqual([])
      const m = await new NvidiaGpuResource(nvml, {pid: process.pid, root: host.root}).sample()
      expect(m.get('gpu.process.0.gpu')).toBe(100)
      expect(m.has('gpu.process.1.gpu')).toBe(false)
    } finally {
      nvml.shutdown()
      c.symbols.fake_nvml_set_pids(0, new Uint32Array(1))
      c.close()
    }
  })

  test('shutdown releases NVML and later calls answer nothing instead of crashing', () => {
    const c = controls()
    const nvml = openNvml(lib)
    const device = nvml.device(0)!
    expect(c.symbols.fake_nvml_initialized()).toBe(1)
    nvml.shutdown()
    nvml.shutdown()
    expect(c.symbols.fake_nvml_initialized()).toBe(0)
    expect([device.temperature(), nvml.deviceCount(), nvml.device(0)]).toEqual([undefined, 0, undefined])
    c.close()
  })

  test('a failing nvmlInit is an NvmlUnavailableError carrying the NVML code', () => {
    const c = controls()
    c.symbols.fake_nvml_fail_init(9)
    try {
      const err = (() => {
        try {
          openNvml(lib)
        } catch (e) {
          return e
        }
      })()
      expect(err).toBeInstanceOf(NvmlUnavailableError)
      expect((err as NvmlUnavailableError).code).toBe(9)
    } finally {
      c.symbols.fake_nvml_fail_init(0)
      c.close()
    }
  })
})

describe('opening NVML', () => {
  test('a missing library is a catchable NvmlUnavailableError', () => {
    expect(() => openNvml(join(dir, 'absent', 'libnvidia-ml.so.1'))).toThrow(NvmlUnavailableError)
  })

  test('a bare library name is refused, so a copy in the working directory is never loaded', () => {
    expect(() => openNvml('libnvidia-ml.so.1')).toThrow(/must be absolute/)
  })
})

import {afterAll, describe, expect, test} from 'bun:test'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {NvidiaGpuResource, NvidiaWorkerResource, NvmlUnavailableError, openNvml} from '../../src/sysinfo/index.ts'

/** NVML on a worker thread, against the fake libnvidia-ml.so.1 (its PCIe reads block 20 ms like the driver's). */
const compiler = Bun.which('gcc') ?? Bun.which('cc')
const dir = mkdtempSync(join(tmpdir(), 'nvml-worker-'))
const lib = join(dir, 'libnvidia-ml.so.1')
afterAll(() => rmSync(dir, {recursive: true, force: true}))
if (compiler) {
  const built = Bun.spawnSync([compiler, '-shared', '-fPIC', '-o', lib, join(import.meta.dir, 'fake-nvml.c')], {stderr: 'pipe'})
  if (built.exitCode !== 0) throw new Error(`compiling fake-nvml.c failed: ${built.stderr.toString()}`)
}
const withoutEnergy = (m: Map<string, number>) => Object.fromEntries([...m].filter(([k]) => !k.endsWith('.energyJoules')))

describe.skipIf(!compiler)('NvidiaWorkerResource', () => {
  test('reports what the in-thread resource reports', async () => {
    const worker = await NvidiaWorkerResource.start({libraryPath: lib, pid: 0})
    const nvml = openNvml(lib)
    try {
      const direct = new NvidiaGpuResource(nvml, {pid: 0})
      expect(worker.deviceCount).toBe(2)
      expect(withoutEnergy(await worker.sample())).toEqual(withoutEnergy(await direct.sample()))
      expect(await worker.probe()).toEqual(await direct.probe())
    } finally {
      nvml.shutdown()
      await worker.close()
    }
  })

  test('the event loop keeps running while NVML blocks in the worker', async () => {
    const worker = await NvidiaWorkerResource.start({libraryPath: lib, pid: 0})
    try {
      let turns = 0
      let sampling = true
      const spin = async () => {
        while (sampling) {
          await new Promise<void>((resolve) => setImmediate(resolve))
          turns++
        }
      }
      const spinning = spin()
      const metrics = await worker.sample() // 2 GPUs × 2 PCIe reads × 20 ms in the worker
      sampling = false
      await spinning
      expect(metrics.get('gpu.0.pcieTxBytes')).toBe(7602 * 1024)
      expect(turns).toBeGreaterThan(10)
    } finally {
      await worker.close()
    }
  })

  test('a library the worker cannot open is an NvmlUnavailableError', async () => {
    await expect(NvidiaWorkerResource.start({libraryPath: join(dir, 'missing.so.1'), pid: 0})).rejects.toBeInstanceOf(NvmlUnavailableError)
  })

  test('a worker script that cannot be loaded (a binary built without it) is an NvmlUnavailableError', async () => {
    await expect(NvidiaWorkerResource.start({libraryPath: lib, pid: 0, workerUrl: `file://${join(dir, 'no-such-worker.ts')}`})).rejects.toBeInstanceOf(NvmlUnavailableError)
  })

  test('after close the resource answers with nothing', async () => {
    const worker = await NvidiaWorkerResource.start({libraryPath: lib, pid: 0})
    await worker.close()
    await worker.close()
    expect((await worker.sample()).size).toBe(0)
    expect(await worker.probe()).toEqual({})
  })
})

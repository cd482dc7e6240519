/**
 * GPU parity with the SDK 0.31 sidecar `wandb-symon` on a machine without a GPU: symon and Nexus
 * both load the fake libnvidia-ml.so.1 built from fake-nvml.c (symon by name through
 * LD_LIBRARY_PATH, Nexus by absolute path) and their keys, values and GPU descriptions are
 * compared. Also compares symon's host keys with LinuxSystemResource's. Needs a C compiler and the
 * .venv with wandb 0.31 (skipped by name without a compiler, like nvml-ffi.test.ts).
 */
import {afterAll, expect, test} from 'bun:test'
import {existsSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {EnvironmentRecord} from '../../src/core/proto.ts'
import {LinuxSystemResource, NvidiaGpuResource, openNvml} from '../../src/sysinfo/index.ts'
import {sitePackages} from '../helpers/python.ts'
import {SymonClient} from './symon-client.ts'

const compiler = Bun.which('gcc') ?? Bun.which('cc')
const dir = mkdtempSync(join(tmpdir(), 'symon-parity-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

/** GPU keys Nexus reports that symon 0.31 leaves off by default (its availability defaults). */
const NEXUS_ONLY = ['encoderUtilization', 'graphicsClock', 'maxPcieLinkGen', 'maxPcieLinkWidth', 'pcieLinkGen', 'pcieLinkSpeed', 'pcieLinkWidth']

test.skipIf(!compiler)(
  'Nexus reports the GPU and host keys and values wandb-symon 0.31 reports from the same NVML',
  async () => {
    const symon = join(sitePackages(), 'wandb', 'bin', 'wandb-symon')
    expect(existsSync(symon)).toBe(true)
    const lib = join(dir, 'libnvidia-ml.so.1')
    const built = Bun.spawnSync([compiler!, '-shared', '-fPIC', '-o', lib, join(import.meta.dir, 'fake-nvml.c')], {stderr: 'pipe'})
    expect(built.stderr.toString()).toBe('')

    const client = await SymonClient.start(symon, join(dir, 'portfile'), {LD_LIBRARY_PATH: dir, FAKE_NVML_PIDS: String(process.pid)})
    const nvml = openNvml(lib)
    try {
      const theirMeta = await client.metadata(['/'])
      const records = await client.stats({n: 2, intervalS: 0.2, pid: process.pid, diskPaths: ['/']})
      const theirs = records.map((r) => (r.record_type.oneofKind === 'stats' ? new Map(r.record_type.stats.item.map((i) => [i.key, Number(JSON.parse(i.value_json))])) : new Map<string, number>()))
      const last = theirs.at(-1)!

      // Nexus: the fake in this process serves FAKE_NVML_PIDS-less state, so name our pid through the control entry.
      const {dlopen, FFIType} = await import('bun:ffi')
      const ctl = dlopen(lib, {fake_nvml_set_pids: {args: [FFIType.u32, FFIType.ptr], returns: FFIType.void}})
      ctl.symbols.fake_nvml_set_pids(1, Uint32Array.of(process.pid))
      ctl.close()
      const gpu = new NvidiaGpuResource(nvml, {pid: process.pid})
      const ours = await gpu.sample()

      const gpuKeys = (m: Map<string, number>) => [...m.keys()].filter((k) => k.startsWith('gpu.')).sort()
      const expectedOurs = [...gpuKeys(last), ...[0, 1].flatMap((i) => NEXUS_ONLY.map((k) => `gpu.${i}.${k}`))].sort()
      expect(gpuKeys(ours)).toEqual(expectedOurs)
      for (const key of gpuKeys(last)) {
        if (key.endsWith('.energyJoules')) continue // a counter the fake advances on every call
        expect({key, value: ours.get(key)}).toEqual({key, value: last.get(key)})
      }
      // Both report the driver's cumulative energy counter (the fake starts at 1000 J), not energy since start.
      expect(last.get('gpu.0.energyJoules')!).toBeGreaterThan(1000)
      expect(ours.get('gpu.0.energyJoules')!).toBeGreaterThan(1000)

      const theirEnv = theirMeta?.record_type.oneofKind === 'environment' ? theirMeta.record_type.environment : undefined
      const ourProbe = EnvironmentRecord.create(await gpu.probe())
      expect({gpu_type: ourProbe.gpu_type, gpu_count: ourProbe.gpu_count, cuda_version: ourProbe.cuda_version, gpu_nvidia: ourProbe.gpu_nvidia}).toEqual({
        gpu_type: theirEnv!.gpu_type,
        gpu_count: theirEnv!.gpu_count,
        cuda_version: theirEnv!.cuda_version,
        gpu_nvidia: theirEnv!.gpu_nvidia,
      })

      // Host keys: symon's union over its samples (its first has no `cpu`) equals one Nexus sample.
      let ms = Date.now()
      const host = await new LinuxSystemResource({pid: process.pid, trackProcessTree: false, diskPaths: ['/'], noCgroup: false, selfUsage: false, now: () => (ms += 1000)}).sample()
      const hostKeys = (keys: Iterable<string>) => [...new Set([...keys].filter((k) => !k.startsWith('gpu.')))].sort()
      expect(hostKeys(host.keys())).toEqual(hostKeys(theirs.flatMap((m) => [...m.keys()])))
      expect(host.get('proc.memory.rssMB')! / last.get('proc.memory.rssMB')!).toBeCloseTo(1, 0)
      expect(host.get('proc.cpu.threads')).toBeGreaterThan(0)
    } finally {
      nvml.shutdown()
      await client.close()
    }
  },
  30_000,
)

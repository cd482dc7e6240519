/**
 * Device check for the NVIDIA resource (run on a machine with a GPU; not a test).
 *
 *   bun bench/sysinfo-gpu-check.ts [--lib /abs/libnvidia-ml.so.1] [--pid PID] [--symon /path/wandb-symon]
 *
 * Loads NVML through bun:ffi from an absolute path (found like Nexus does, or --lib), prints one
 * JSON object per line: the library and init time, the probe (machine description), then three
 * samples one second apart with their cost. `--pid` names a process using the GPU (for the
 * gpu.process.{i}.* keys). With `--symon`, the SDK 0.31 sidecar is sampled on the same machine
 * and its keys and values are printed beside Nexus's. Exits 1 with a message on stderr when NVML
 * cannot be found or opened, or reports no GPU.
 */
import {EnvironmentRecord} from '../src/core/proto.ts'
import {NvidiaGpuResource, findNvmlLibrary, openNvml, type Metrics} from '../src/sysinfo/index.ts'

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name)
  return i >= 0 ? process.argv[i + 1] : undefined
}
function fail(message: string): never {
  console.error(`sysinfo-gpu-check: FAILED: ${message}`)
  process.exit(1)
}
const print = (o: unknown) => console.log(JSON.stringify(o, (_, v) => (typeof v === 'bigint' ? v.toString() : v)))

const lib = arg('--lib') ?? findNvmlLibrary()
if (!lib) fail('no NVML library found (LD_LIBRARY_PATH, known driver directories and `ldconfig -p` searched)')
const pid = Number(arg('--pid') ?? process.pid)

const t0 = performance.now()
let nvml
try {
  nvml = openNvml(lib)
} catch (err) {
  fail(`cannot open ${lib}: ${err instanceof Error ? err.message : String(err)}`)
}
const initMs = performance.now() - t0
const gpu = new NvidiaGpuResource(nvml, {pid})
if (gpu.deviceCount === 0) {
  gpu.close()
  fail(`NVML at ${lib} reports no GPU`)
}
print({library: lib, initMs: +initMs.toFixed(2), devices: gpu.deviceCount, driver: nvml.driverVersion(), pid})
print({probe: EnvironmentRecord.toJson(EnvironmentRecord.create(await gpu.probe()))})

const ours: Metrics[] = []
for (let i = 0; i < 3; i++) {
  if (i > 0) await Bun.sleep(1000)
  const t = performance.now()
  const sample = await gpu.sample()
  print({sample: i, ms: +(performance.now() - t).toFixed(3), metrics: Object.fromEntries(sample)})
  ours.push(sample)
}
if (!ours.some((m) => m.has('gpu.0.gpu'))) fail('samples hold no gpu.0.gpu')

const symon = arg('--symon')
if (symon) {
  const {SymonClient} = await import('../test/sysinfo/symon-client.ts')
  const client = await SymonClient.start(symon, `/tmp/symon-check-${process.pid}.port`)
  try {
    const meta = await client.metadata(['/'])
    const env = meta?.record_type.oneofKind === 'environment' ? meta.record_type.environment : undefined
    print({symonProbe: env ? EnvironmentRecord.toJson(env) : null})
    const records = await client.stats({n: 3, intervalS: 1, pid, diskPaths: ['/']})
    const [ourLast] = [await gpu.sample()]
    const theirs = records.map((r) => (r.record_type.oneofKind === 'stats' ? new Map(r.record_type.stats.item.map((i) => [i.key, Number(JSON.parse(i.value_json))])) : new Map<string, number>()))
    const theirLast = theirs.at(-1)!
    const gpuKeys = (m: Map<string, number>) => new Set([...m.keys()].filter((k) => k.startsWith('gpu.')))
    const allTheirs = new Set(theirs.flatMap((m) => [...gpuKeys(m)]))
    const allOurs = new Set([...ours, ourLast].flatMap((m) => [...gpuKeys(m)]))
    print({
      onlySymon: [...allTheirs].filter((k) => !allOurs.has(k)).sort(),
      onlyNexus: [...allOurs].filter((k) => !allTheirs.has(k)).sort(),
      side: Object.fromEntries([...new Set([...allTheirs, ...allOurs])].sort().map((k) => [k, {symon: theirLast.get(k) ?? null, nexus: ourLast.get(k) ?? null}])),
      symonOther: Object.fromEntries([...theirLast].filter(([k]) => !k.startsWith('gpu.'))),
    })
  } finally {
    await client.close()
  }
}
gpu.close()

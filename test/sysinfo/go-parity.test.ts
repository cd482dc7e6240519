/**
 * Parity with the real SDK 0.31 and its Go core on this machine: an offline run samples every
 * second; the stats and environment records it wrote into its .wandb file are compared with what
 * Nexus samples and probes here, from the same Settings proto.
 */
import {afterAll, expect, test} from 'bun:test'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {EnvironmentRecord, Record, Settings} from '../../src/core/proto.ts'
import {TransactionLogReader} from '../../src/core/txlog/index.ts'
import {LinuxSystemResource, environmentToMetadataJson, probeEnvironment} from '../../src/sysinfo/index.ts'
import {runPython} from '../helpers/python.ts'

const home = mkdtempSync(join(tmpdir(), 'sysinfo-parity-'))
afterAll(() => rmSync(home, {recursive: true, force: true}))

async function goRun(): Promise<{settings: Settings; stats: Map<string, number>[]; environment: EnvironmentRecord[]}> {
  const env: {[k: string]: string | undefined} = {}
  for (const k of Object.keys(process.env)) if (k.startsWith('WANDB_')) env[k] = undefined
  Object.assign(env, {
    HOME: home,
    WANDB_DIR: home,
    WANDB_CONFIG_DIR: join(home, 'config'),
    WANDB_CACHE_DIR: join(home, 'cache'),
    WANDB_DATA_DIR: join(home, 'data'),
    WANDB_MODE: 'offline',
    WANDB_SILENT: 'true',
  })
  const r = await runPython([join(import.meta.dir, 'go_parity_run.py')], {cwd: home, env, timeoutMs: 60_000})
  if (r.code !== 0) throw new Error(`the SDK run failed (${r.code}): ${r.stderr.slice(-2000)}`)
  const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as {settings: string; wandb_file: string}
  const reader = TransactionLogReader.open(out.wandb_file)
  const stats: Map<string, number>[] = []
  const environment: EnvironmentRecord[] = []
  try {
    for (let rec = reader.next(); rec; rec = reader.next()) {
      const t = Record.fromBinary(rec.data).record_type
      if (t.oneofKind === 'stats') stats.push(new Map(t.stats.item.map((i) => [i.key, Number(JSON.parse(i.value_json))])))
      if (t.oneofKind === 'environment') environment.push(t.environment)
    }
  } finally {
    reader.close()
  }
  return {settings: Settings.fromBinary(Buffer.from(out.settings, 'hex')), stats, environment}
}

test('Nexus reports the keys and machine description Go core 0.31 reports on this machine', async () => {
  const go = await goRun()
  expect(go.stats.length).toBeGreaterThanOrEqual(2)
  expect(go.environment).toHaveLength(2)

  // Stats keys: the union over Go's samples (its first sample has no `cpu` yet) equals one Nexus sample's keys.
  let ms = Date.now()
  const ours = new LinuxSystemResource({pid: process.pid, trackProcessTree: false, diskPaths: ['/'], noCgroup: false, selfUsage: false, now: () => (ms += 1000)})
  const sample = await ours.sample()
  const goKeys = new Set(go.stats.flatMap((s) => [...s.keys()]))
  expect([...sample.keys()].sort()).toEqual([...goKeys].sort())
  // Busy loop on one core of a machine whose physical cores Go divides by, like us.
  const goCpu = go.stats.map((s) => s.get('cpu')).filter((v) => v !== undefined) as number[]
  const cores = go.environment[1].cpu_count
  expect(Math.max(...goCpu)).toBeGreaterThan(100 / cores - 15)
  expect(Math.max(...goCpu)).toBeLessThanOrEqual(100 / cores + 15)
  const last = go.stats.at(-1)!
  expect(sample.get('disk./.usageGB')).toBeCloseTo(last.get('disk./.usageGB')!, 0)
  expect(Math.abs(sample.get('memory_percent')! - last.get('memory_percent')!)).toBeLessThan(10)

  // Environment records, probed by Nexus from the same Settings proto.
  const writerId = go.environment[0].writer_id
  const [context, hardware] = await probeEnvironment(go.settings, {writerId})
  const [goContext, goHardware] = go.environment
  expect(EnvironmentRecord.toJson(context)).toEqual(EnvironmentRecord.toJson(goContext))
  expect(hardware).toMatchObject({
    cpu_count: goHardware.cpu_count,
    cpu_count_logical: goHardware.cpu_count_logical,
    memory: {total: goHardware.memory!.total},
    cpu: {model: goHardware.cpu!.model},
    writer_id: writerId,
  })
  expect(hardware.disk['/'].total).toBe(goHardware.disk['/'].total)
  expect(Number(hardware.disk['/'].used - goHardware.disk['/'].used)).toBeLessThan(2 ** 30)
  expect(Object.keys(JSON.parse(environmentToMetadataJson([context, hardware]))).sort()).toEqual(Object.keys(JSON.parse(environmentToMetadataJson(go.environment))).sort())
}, 90_000)

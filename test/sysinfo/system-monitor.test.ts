import {describe, expect, test} from 'bun:test'
import {Record, Settings, StatsRecord_StatsType} from '../../src/core/proto.ts'
import type {MonitorPort} from '../../src/core/stream/index.ts'
import {SystemMonitor, type Resource} from '../../src/sysinfo/index.ts'
import {ManualClock, settle} from '../fakes/manual-clock.ts'
import {RecordingLogger, ScriptedResource} from './fakes.ts'

function setup(o: {settings?: Partial<Settings>; resources?: Resource[]; emit?: (r: Record) => Promise<void>} = {}) {
  const clock = new ManualClock()
  const logger = new RecordingLogger()
  const records: Record[] = []
  const resources = o.resources ?? [new ScriptedResource('a')]
  const monitor = new SystemMonitor({
    settings: Settings.create(o.settings ?? {}),
    clock,
    logger,
    emit: o.emit ?? (async (r) => void records.push(r)),
    resources,
    writerId: 'writer-1',
  })
  const items = () => records.map((r) => (r.record_type.oneofKind === 'stats' ? Object.fromEntries(r.record_type.stats.item.map((i) => [i.key, i.value_json])) : {}))
  return {clock, logger, records, monitor, items, start: clock.now()}
}

describe('SystemMonitor sampling', () => {
  test('samples at start, then every 15 seconds by default, one stats record per resource per tick', async () => {
    const a = new ScriptedResource(
      'a',
      (n) =>
        new Map([
          ['cpu', n * 1.5],
          ['memory_percent', n],
        ]),
    )
    const b = new ScriptedResource('b', (n) => new Map([['gpu.0.temp', 60 + n]]))
    const {clock, monitor, records, items, start} = setup({resources: [a, b]})
    monitor.start()
    await settle()
    // the sample taken at start has no process CPU rate yet, as in Go core 0.31
    expect(items()).toEqual([{memory_percent: '1'}, {'gpu.0.temp': '61'}])
    await clock.advance(14_999)
    expect(records).toHaveLength(2)
    await clock.advance(1)
    expect(items().slice(2)).toEqual([{cpu: '3', memory_percent: '2'}, {'gpu.0.temp': '62'}])
    await clock.advance(15_000)
    expect(records).toHaveLength(6)
    const stats = records[2].record_type.oneofKind === 'stats' ? records[2].record_type.stats : undefined
    expect(stats?.stats_type).toBe(StatsRecord_StatsType.SYSTEM)
    expect(Number(stats?.timestamp?.seconds) * 1000 + stats!.timestamp!.nanos / 1e6).toBe(start + 15_000)
    expect(records[0].control).toBeUndefined()
    await monitor.finish()
  })

  test('x_stats_sampling_interval sets the period in seconds', async () => {
    const {clock, monitor, records} = setup({settings: {x_stats_sampling_interval: {value: 0.5}}})
    monitor.start()
    await settle()
    await clock.advance(2_000)
    expect(records).toHaveLength(5)
    await monitor.finish()
  })

  test('a slow sample never overlaps the next one, and the ticks it overran are skipped', async () => {
    const r = new ScriptedResource('slow')
    let release!: () => void
    r.gate = new Promise<void>((resolve) => (release = resolve))
    const {clock, monitor, records} = setup({settings: {x_stats_sampling_interval: {value: 1}}, resources: [r]})
    monitor.start()
    await settle()
    await clock.advance(5_500)
    expect(r.samples).toBe(0)
    r.gate = undefined
    release()
    await settle()
    expect(records).toHaveLength(1)
    await clock.advance(500)
    expect(records).toHaveLength(2)
    expect(r.maxConcurrent).toBe(1)
    await monitor.finish()
  })

  test('paused monitors skip their ticks until resumed', async () => {
    const {clock, monitor, records} = setup({settings: {x_stats_sampling_interval: {value: 1}}})
    monitor.start()
    await settle()
    await clock.advance(1_000)
    monitor.pause()
    expect(monitor.state).toBe('paused')
    await clock.advance(3_000)
    expect(records).toHaveLength(2)
    monitor.resume()
    await clock.advance(1_000)
    expect(records).toHaveLength(3)
    await monitor.finish()
  })

  test('keys get the /l:<label> suffix with x_label', async () => {
    const {monitor, items} = setup({
      settings: {x_label: {value: 'node-2'}},
      resources: [
        new ScriptedResource(
          'a',
          () =>
            new Map([
              ['cpu', 3],
              ['disk./.usageGB', 1.25],
            ]),
        ),
      ],
    })
    await monitor.sampleOnce()
    expect(items()).toEqual([{'cpu/l:node-2': '3', 'disk./.usageGB/l:node-2': '1.25'}])
  })

  test('a resource that fails is logged and the others keep reporting; an empty sample emits nothing', async () => {
    const bad = new ScriptedResource('bad', () => new Error('boom'))
    const empty = new ScriptedResource('empty', () => new Map())
    const nan = new ScriptedResource('nan', () => new Map([['x', Number.NaN]]))
    const {monitor, items, logger} = setup({resources: [bad, empty, nan, new ScriptedResource('good')]})
    await monitor.sampleOnce()
    await monitor.sampleOnce()
    expect(items()).toEqual([{x: '1'}, {x: '2'}])
    expect(logger.lines.filter((l) => l.msg === 'sysinfo: sampling bad failed')).toHaveLength(2)
  })

  test('a rejected emit is logged and sampling goes on', async () => {
    const accepted: Record[] = []
    let calls = 0
    const {monitor, logger} = setup({
      emit: async (r) => {
        if (calls++ === 0) throw new Error('pipeline closed')
        accepted.push(r)
      },
    })
    await monitor.sampleOnce()
    await monitor.sampleOnce()
    expect(logger.lines.map((l) => l.msg)).toEqual(['sysinfo: emitting stats failed'])
    expect(accepted).toHaveLength(1)
  })
})

describe('SystemMonitor lifecycle', () => {
  test("fits the stream handler's MonitorPort", async () => {
    const {monitor} = setup()
    const port: MonitorPort = monitor
    port.start()
    port.pause()
    port.resume()
    expect(port.buffered()).toEqual(new Map())
    await port.finish()
  })

  test('finish is idempotent, closes each resource once and stops the loops', async () => {
    const r = new ScriptedResource('a')
    const {clock, monitor} = setup({resources: [r]})
    monitor.start()
    monitor.start()
    await settle()
    expect(clock.sleeping).toBe(1)
    await Promise.all([monitor.finish(), monitor.finish()])
    await monitor.finish()
    expect(r.closed).toBe(1)
    expect(clock.sleeping).toBe(0)
    expect(monitor.state).toBe('finished')
  })

  test('no stats are emitted after finish, even from a sample that was in flight', async () => {
    const r = new ScriptedResource('a')
    let release!: () => void
    r.gate = new Promise<void>((resolve) => (release = resolve))
    const {clock, monitor, records} = setup({settings: {x_stats_sampling_interval: {value: 1}}, resources: [r]})
    monitor.start()
    await settle()
    await clock.advance(1_000)
    const finished = monitor.finish()
    release()
    await finished
    await monitor.sampleOnce()
    monitor.start()
    await clock.advance(10_000)
    expect(records).toHaveLength(0)
  })

  test('finish does not wait for an emit the pipeline never accepts', async () => {
    const {monitor} = setup({emit: () => new Promise<void>(() => {})})
    const sampled = monitor.sampleOnce()
    await settle()
    await monitor.finish()
    await sampled
  })

  test('x_disable_stats and x_disable_machine_info turn sampling off', async () => {
    for (const settings of [{x_disable_stats: {value: true}}, {x_disable_machine_info: {value: true}}]) {
      const r = new ScriptedResource('a')
      const {clock, monitor, records} = setup({settings, resources: [r]})
      monitor.start()
      await settle()
      await clock.advance(60_000)
      await monitor.sampleOnce()
      expect(records).toHaveLength(0)
      expect(r.samples).toBe(0)
      await monitor.finish()
    }
  })
})

describe('SystemMonitor buffer for get_system_metrics', () => {
  const values = (m: SystemMonitor, key: string) =>
    m
      .buffered()
      .get(key)
      ?.map((s) => s.value)

  test('keeps nothing by default', async () => {
    const {monitor} = setup()
    await monitor.sampleOnce()
    expect(monitor.buffered().size).toBe(0)
  })

  test('keeps the last N samples per key, without the label, timestamped', async () => {
    const {monitor, clock} = setup({settings: {x_stats_buffer_size: {value: 2}, x_label: {value: 'n1'}}})
    for (let i = 0; i < 3; i++) await monitor.sampleOnce()
    expect(values(monitor, 'x')).toEqual([2, 3])
    expect(Number(monitor.buffered().get('x')![0].timestamp!.seconds)).toBe(clock.now() / 1000)
  })

  test('keeps everything with -1', async () => {
    const {monitor} = setup({settings: {x_stats_buffer_size: {value: -1}}})
    for (let i = 0; i < 5; i++) await monitor.sampleOnce()
    expect(values(monitor, 'x')).toEqual([1, 2, 3, 4, 5])
  })
})

describe('SystemMonitor probe', () => {
  const settings: Partial<Settings> = {
    _os: {value: 'Linux-6.18.44-x86_64-with-glibc2.36'},
    _python: {value: 'CPython 3.11.7'},
    host: {value: 'vm'},
    program: {value: '/tmp/run.py'},
    x_start_time: {value: 1795749545.32937},
  }

  test('returns the execution context and the merged resource description with the user overrides', async () => {
    const sys = new ScriptedResource('system', undefined, {cpu_count: 2, cpu_count_logical: 4, memory: {total: 1024n}, disk: {'/': {total: 10n, used: 5n}}})
    const gpu = new ScriptedResource('nvidia', undefined, {gpu_type: 'NVIDIA H200', gpu_count: 1, cuda_version: '13.0'})
    const {monitor} = setup({settings: {...settings, x_stats_cpu_count: {value: 8}, x_stats_gpu_type: {value: 'custom'}}, resources: [sys, gpu]})
    const [context, resources] = await monitor.probe()
    expect(context).toMatchObject({os: settings._os!.value, python: 'CPython 3.11.7', host: 'vm', program: '/tmp/run.py', writer_id: 'writer-1'})
    expect(context.started_at).toEqual({seconds: 1795749545n, nanos: 329370000})
    expect(resources).toMatchObject({cpu_count: 8, cpu_count_logical: 4, memory: {total: 1024n}, gpu_type: 'custom', gpu_count: 1, cuda_version: '13.0', writer_id: 'writer-1'})
  })

  test('returns nothing with x_disable_machine_info or x_disable_meta', async () => {
    expect(await setup({settings: {x_disable_machine_info: {value: true}}}).monitor.probe()).toEqual([])
    expect(await setup({settings: {x_disable_meta: {value: true}}}).monitor.probe()).toEqual([])
  })

  test('with x_disable_stats the hardware record holds only the writer id and overrides, as in Go', async () => {
    const sys = new ScriptedResource('system', undefined, {cpu_count: 2})
    const [, resources] = await setup({settings: {x_disable_stats: {value: true}, x_stats_gpu_count: {value: 3}}, resources: [sys]}).monitor.probe()
    expect(resources).toMatchObject({cpu_count: 0, gpu_count: 3, writer_id: 'writer-1'})
  })
})

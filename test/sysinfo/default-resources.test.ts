import {expect, test} from 'bun:test'
import {Settings} from '../../src/core/proto.ts'
import {createResources, monitorSettings} from '../../src/sysinfo/index.ts'
import {RecordingLogger} from './fakes.ts'

test('on Linux the host resource reads /proc; a GPU source is added only where NVML or nvidia-smi exist', async () => {
  const resources = await createResources(monitorSettings(Settings.create({x_stats_pid: {value: process.pid}})), {now: Date.now, logger: new RecordingLogger()})
  try {
    expect(resources[0]?.name).toBe('system')
    expect(resources.slice(1).every((r) => r.name === 'nvidia' || r.name === 'nvidia-smi')).toBe(true)
  } finally {
    for (const r of resources) await r.close?.()
  }
})

test('settings defaults follow Go core: 15 s, disk "/", no buffer, no label', () => {
  expect(monitorSettings(Settings.create({}))).toMatchObject({samplingIntervalS: 15, diskPaths: ['/'], bufferSize: 0, label: '', pid: 0, gpuDeviceIds: undefined})
  expect(monitorSettings(Settings.create({x_stats_sampling_interval: {value: 0}, x_stats_disk_paths: {value: ['/data']}, x_stats_gpu_device_ids: {value: [1]}}))).toMatchObject({
    samplingIntervalS: 15,
    diskPaths: ['/data'],
    gpuDeviceIds: [1],
  })
})

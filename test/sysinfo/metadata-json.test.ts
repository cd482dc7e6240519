import {describe, expect, test} from 'bun:test'
import {EnvironmentRecord, Settings} from '../../src/core/proto.ts'
import {environmentToMetadataJson, executionContext, mergeEnvironment, probeEnvironment} from '../../src/sysinfo/index.ts'
import {ScriptedResource} from './fakes.ts'

const SETTINGS = Settings.create({
  _os: {value: 'Linux-6.18.44-fc-v595-x86_64-with-glibc2.36'},
  _python: {value: 'CPython 3.11.7'},
  host: {value: 'vm'},
  program: {value: '/tmp/sysgo/run.py'},
  program_relpath: {value: 'run.py'},
  _code_path_local: {value: 'run.py'},
  root_dir: {value: '/tmp/sysgo/home'},
  x_executable: {value: '/work/main/.venv/bin/python'},
  _args: {value: ['--lr', '0.1']},
  x_start_time: {value: 1795749545.32937},
  email: {value: ''},
})

describe('execution context', () => {
  test('copies the run facts from the settings and stamps the writer and git', () => {
    const e = executionContext(SETTINGS, {writerId: 'w1', git: {remote_url: 'https://github.com/a/b', commit: 'abc'}})
    expect(e).toMatchObject({
      os: 'Linux-6.18.44-fc-v595-x86_64-with-glibc2.36',
      python: 'CPython 3.11.7',
      host: 'vm',
      program: '/tmp/sysgo/run.py',
      code_path: 'run.py',
      code_path_local: 'run.py',
      root: '/tmp/sysgo/home',
      executable: '/work/main/.venv/bin/python',
      args: ['--lr', '0.1'],
      writer_id: 'w1',
      git: {remote_url: 'https://github.com/a/b', commit: 'abc'},
    })
    // Go truncates x_start_time to microseconds.
    expect(e.started_at).toEqual({seconds: 1795749545n, nanos: 329370000})
  })
})

describe('wandb-metadata.json', () => {
  test('is the protojson of the merged records: json_names, 64-bit integers as strings, zero values left out, indent 2', () => {
    const hardware = EnvironmentRecord.create({
      cpu_count: 2,
      cpu_count_logical: 2,
      gpu_type: 'NVIDIA H200',
      gpu_count: 1,
      cuda_version: '13.0',
      writer_id: 'w1',
      disk: {'/': {total: 270553174016n, used: 16351535104n}},
      memory: {total: 25276514304n},
      cpu: {count: 0, count_logical: 0, model: 'AMD EPYC'},
      gpu_nvidia: [{name: 'NVIDIA H200', memory_total: 150754820096n, cuda_cores: 16896, architecture: 'Hopper', uuid: 'GPU-1', pci_bus_id: '00000000:00:06.0', numa_node: 0}],
      slurm: {job_id: '7'},
    })
    const text = environmentToMetadataJson([executionContext(SETTINGS, {writerId: 'w1'}), hardware])
    expect(text).toBe(`{
  "os": "Linux-6.18.44-fc-v595-x86_64-with-glibc2.36",
  "python": "CPython 3.11.7",
  "startedAt": "2026-11-27T03:19:05.329370Z",
  "args": [
    "--lr",
    "0.1"
  ],
  "program": "/tmp/sysgo/run.py",
  "codePath": "run.py",
  "codePathLocal": "run.py",
  "root": "/tmp/sysgo/home",
  "host": "vm",
  "executable": "/work/main/.venv/bin/python",
  "cpu_count": 2,
  "cpu_count_logical": 2,
  "gpu": "NVIDIA H200",
  "gpu_count": 1,
  "disk": {
    "/": {
      "total": "270553174016",
      "used": "16351535104"
    }
  },
  "memory": {
    "total": "25276514304"
  },
  "cpu": {
    "model": "AMD EPYC"
  },
  "gpu_nvidia": [
    {
      "name": "NVIDIA H200",
      "memoryTotal": "150754820096",
      "cudaCores": 16896,
      "architecture": "Hopper",
      "uuid": "GPU-1",
      "pciBusId": "00000000:00:06.0",
      "numaNode": 0
    }
  ],
  "cudaVersion": "13.0",
  "slurm": {
    "job_id": "7"
  },
  "writerId": "w1"
}`)
  })

  test('the git remote uses its json_name "remote"', () => {
    const json = JSON.parse(environmentToMetadataJson([EnvironmentRecord.create({git: {remote_url: 'git@x:y.git', commit: 'c0ffee'}})]))
    expect(json).toEqual({git: {remote: 'git@x:y.git', commit: 'c0ffee'}})
  })

  test('merging follows protobuf: later values win, zero values never erase, maps merge by key', () => {
    const merged = mergeEnvironment([
      EnvironmentRecord.create({host: 'a', cpu_count: 4, disk: {'/': {total: 1n, used: 1n}}, memory: {total: 9n}}),
      EnvironmentRecord.create({host: 'b', cpu_count: 0, disk: {'/data': {total: 2n, used: 0n}}}),
    ])
    expect(merged).toMatchObject({host: 'b', cpu_count: 4, memory: {total: 9n}, disk: {'/': {total: 1n, used: 1n}, '/data': {total: 2n, used: 0n}}})
  })
})

describe('probeEnvironment', () => {
  test('returns the execution context, then the hardware with the x_stats_* overrides applied', async () => {
    const settings = Settings.create({...SETTINGS, x_stats_cpu_logical_count: {value: 64}, x_stats_gpu_count: {value: 8}, x_stats_gpu_type: {value: 'H200 SXM'}})
    const sys = new ScriptedResource('system', undefined, {cpu_count: 2, cpu_count_logical: 2, memory: {total: 25276514304n}})
    const records = await probeEnvironment(settings, {writerId: 'w9', git: {remote_url: 'r', commit: 'c'}, resources: [sys]})
    expect(records).toHaveLength(2)
    expect(records[0]).toMatchObject({host: 'vm', writer_id: 'w9', git: {remote_url: 'r', commit: 'c'}})
    expect(records[1]).toMatchObject({cpu_count: 2, cpu_count_logical: 64, gpu_count: 8, gpu_type: 'H200 SXM', memory: {total: 25276514304n}, writer_id: 'w9'})
    expect(sys.closed).toBe(0)
  })

  test('x_disable_meta means no machine description at all', async () => {
    expect(await probeEnvironment(Settings.create({x_disable_meta: {value: true}}), {writerId: 'w'})).toEqual([])
  })

  test('without resources given it probes this host and releases what it opened', async () => {
    const [, hardware] = await probeEnvironment(Settings.create({}), {writerId: 'w'})
    expect(hardware.cpu_count_logical).toBeGreaterThan(0)
    expect(hardware.memory?.total).toBeGreaterThan(0n)
    expect(hardware.disk['/']?.total).toBeGreaterThan(0n)
  })
})

import {describe, expect, test} from 'bun:test'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {NvidiaSmiError, NvidiaSmiResource, parseSmiCsv, parseSmiXml, readingFromSmiRow, staticInfoFromSmiRow} from '../../src/sysinfo/index.ts'
import {pidsByGpu, smiNumber} from '../../src/sysinfo/nvidia-smi-parse.ts'
import {SMI_FIELDS} from '../../src/sysinfo/nvidia-smi-resource.ts'
import {FIXTURES, RecordingLogger} from './fakes.ts'

const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8')
const MiB = 1024 * 1024

/** The header of a `--format=csv` fixture as query field names, and its rows without header and units. */
function asNoHeader(csv: string): {fields: string[]; body: string} {
  const [header, ...rows] = csv.trim().split('\n')
  const fields = header.split(',').map((h) => h.trim().replace(/\s*\[.*\]$/, ''))
  const body = rows
    .map((r) =>
      r
        .split(',')
        .map((c) => c.trim().replace(/\s+(%|MiB|W|MHz)$/, ''))
        .join(', '),
    )
    .join('\n')
  return {fields, body}
}

describe('nvidia-smi parsing (H200 fixtures)', () => {
  test('a --query-gpu CSV with header and units reads as a GPU reading', () => {
    const [row] = parseSmiCsv(fixture('nvidia-smi-query-under-load.csv'))
    expect(readingFromSmiRow(row)).toEqual({
      index: 0,
      utilizationGpu: 100,
      utilizationMemory: 25,
      memoryTotal: 143771 * MiB,
      memoryUsed: 1139 * MiB,
      temperature: 62,
      powerWatts: 692.31,
      enforcedPowerLimitWatts: 700,
      smClock: 1485,
      memoryClock: 3201,
      graphicsClock: undefined,
      correctedMemoryErrors: undefined,
      uncorrectedMemoryErrors: undefined,
      fanSpeed: undefined,
      encoderUtilization: undefined,
      pcieLinkGen: 5,
      pcieLinkWidth: 16,
      maxPcieLinkGen: undefined,
      maxPcieLinkWidth: undefined,
    })
    expect(staticInfoFromSmiRow(row)).toEqual({
      index: 0,
      name: 'NVIDIA H200',
      uuid: 'GPU-683f45df-28e7-86c0-004d-046e140e4ce4',
      architecture: '',
      cudaCores: 0,
      memoryTotal: 143771 * MiB,
      pciBusId: '',
    })
  })

  test('noheader,nounits output gives the same reading when the fields are known', () => {
    const csv = fixture('nvidia-smi-query.csv')
    const {fields, body} = asNoHeader(csv)
    expect(readingFromSmiRow(parseSmiCsv(body, fields)[0])).toEqual(readingFromSmiRow(parseSmiCsv(csv)[0]))
  })

  test('unsupported and unavailable cells are missing values, not zeros', () => {
    expect([smiNumber('[N/A]'), smiNumber('N/A'), smiNumber('[Not Supported]'), smiNumber('ERR!'), smiNumber('76.81 W'), smiNumber('16x'), smiNumber('0')]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      76.81,
      16,
      0,
    ])
  })

  test('a row with a different number of cells is a NvidiaSmiError', () => {
    expect(() => parseSmiCsv('0, NVIDIA H200', ['index'])).toThrow(NvidiaSmiError)
  })

  test('the compute-apps query lists the pids using the GPU', () => {
    expect(pidsByGpu(parseSmiCsv(fixture('nvidia-smi-compute-apps-under-load.csv')))).toEqual(new Map([['', [416]]]))
    expect(pidsByGpu(parseSmiCsv('416, GPU-a\n417, GPU-b\n418, GPU-a\n', ['pid', 'gpu_uuid']))).toEqual(
      new Map([
        ['GPU-a', [416, 418]],
        ['GPU-b', [417]],
      ]),
    )
  })

  test('-q -x gives the CUDA version and each GPU architecture', () => {
    expect(parseSmiXml(fixture('nvidia-smi-q.xml'))).toEqual({cudaVersion: '13.0', architectures: ['Hopper']})
  })
})

describe('NvidiaSmiResource', () => {
  const full = asNoHeader(fixture('nvidia-smi-query-under-load.csv'))
  /** Answers --query-gpu with the fixture row laid out in SMI_FIELDS order (N/A where the fixture has no column). */
  function fixtureRunner(calls: string[][]) {
    const row = parseSmiCsv(full.body, full.fields)[0]
    const alias: {[k: string]: string} = {'clocks.sm': 'clocks.current.sm', 'clocks.mem': 'clocks.current.memory'}
    return async (args: string[]) => {
      calls.push(args)
      if (args[0].startsWith('--query-gpu=')) {
        const fields = args[0].slice('--query-gpu='.length).split(',')
        return fields.map((f) => row.get(alias[f] ?? f) ?? '[N/A]').join(', ') + '\n'
      }
      if (args[0].startsWith('--query-compute-apps=')) return `${process.pid}, GPU-683f45df-28e7-86c0-004d-046e140e4ce4\n`
      if (args[0] === '-q') return fixture('nvidia-smi-q.xml')
      throw new NvidiaSmiError(`unexpected ${args}`)
    }
  }

  test('samples the same keys as NVML from one CSV query, with process keys for the monitored pid', async () => {
    const calls: string[][] = []
    const r = new NvidiaSmiResource({run: fixtureRunner(calls), pid: process.pid, logger: new RecordingLogger()})
    const m = await r.sample()
    expect(m.get('gpu.0.gpu')).toBe(100)
    expect(m.get('gpu.0.memoryAllocatedBytes')).toBe(1139 * MiB)
    expect(m.get('gpu.0.powerPercent')).toBeCloseTo((692.31 / 700) * 100, 9)
    expect(m.get('gpu.process.0.temp')).toBe(62)
    expect(m.has('gpu.0.fanSpeed')).toBe(false)
    expect(calls.map((c) => c[0].split('=')[0])).toEqual(['--query-gpu', '--query-compute-apps'])
    expect(calls[0]).toEqual([`--query-gpu=${SMI_FIELDS.join(',')}`, '--format=csv,noheader,nounits'])
  })

  test('the probe adds the CUDA version and architecture from -q -x', async () => {
    const r = new NvidiaSmiResource({run: fixtureRunner([]), pid: 0, logger: new RecordingLogger()})
    const p = await r.probe()
    expect(p).toMatchObject({gpu_type: 'NVIDIA H200', gpu_count: 1, cuda_version: '13.0'})
    expect(p.gpu_nvidia?.[0]).toMatchObject({name: 'NVIDIA H200', architecture: 'Hopper', memory_total: BigInt(143771 * MiB)})
  })

  test('an nvidia-smi that rejects a field is asked again with the basic field list', async () => {
    const calls: string[][] = []
    const run = async (args: string[]) => {
      calls.push(args)
      if (args[0].includes('pcie')) throw new NvidiaSmiError('nvidia-smi --query-gpu exited with 2: Field "pcie.link.gen.max" is not a valid field to query.')
      return '0, NVIDIA T4, GPU-x, 3, 1, 15360, 300, 40, 27.5, 70.00\n'
    }
    const r = new NvidiaSmiResource({run, pid: 0, logger: new RecordingLogger()})
    expect(Object.fromEntries(await r.sample())).toMatchObject({'gpu.0.gpu': 3, 'gpu.0.temp': 40, 'gpu.0.powerWatts': 27.5})
    await r.sample()
    expect(calls).toHaveLength(3)
  })

  test('an nvidia-smi that never worked is not spawned again', async () => {
    let calls = 0
    const run = async () => {
      calls++
      throw new NvidiaSmiError('nvidia-smi --query-gpu exited with 9: NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver')
    }
    const r = new NvidiaSmiResource({run, pid: 0, logger: new RecordingLogger()})
    expect((await r.sample()).size).toBe(0)
    expect((await r.sample()).size).toBe(0)
    expect(calls).toBe(1)
  })
})

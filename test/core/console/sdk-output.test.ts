/**
 * Cross-check with the real SDK: an offline run of wandb 0.31.0 (fixtures/console_script.py)
 * stores the OutputRawRecords the SDK sent in its .wandb file, and its Go core writes
 * files/output.log from them. Replaying those records through ConsoleLogs must produce the same
 * output.log, byte for byte, and stream the same lines.
 */
import {afterAll, beforeAll, describe, expect, test} from 'bun:test'
import {mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {Record as PbRecord} from '../../../src/core/proto.ts'
import {TransactionLogReader} from '../../../src/core/txlog/index.ts'
import {runPython} from '../../helpers/python.ts'
import {Harness, tempDir} from './helpers.ts'

let root: string
let runDir: string
let records: PbRecord[]

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'console-sdk-'))
  const res = await runPython([join(import.meta.dir, 'fixtures', 'console_script.py')], {
    cwd: root,
    env: {
      HOME: root,
      WANDB_DIR: root,
      WANDB_CONFIG_DIR: join(root, 'config'),
      WANDB_CACHE_DIR: join(root, 'cache'),
      WANDB_DATA_DIR: join(root, 'data'),
      WANDB_MODE: 'offline',
      WANDB_SILENT: 'true',
      WANDB_ERROR_REPORTING: 'false',
    },
    timeoutMs: 120_000,
  })
  if (res.code !== 0) throw new Error(`console_script.py failed (${res.code}):\n${res.stderr}`)
  runDir = join(root, 'wandb', readdirSync(join(root, 'wandb')).find((d) => d.startsWith('offline-run-'))!)
  const reader = TransactionLogReader.open(join(runDir, readdirSync(runDir).find((f) => f.endsWith('.wandb'))!))
  records = []
  for (let rec = reader.next(); rec; rec = reader.next()) records.push(PbRecord.fromBinary(rec.data))
  reader.close()
}, 150_000)

afterAll(() => rmSync(root, {recursive: true, force: true}))

/** Feeds the run's console records to a fresh ConsoleLogs, optionally letting 5 s pass after each. */
async function replay(filesDir: string, flushEachRecord: boolean): Promise<Harness> {
  const h = new Harness(filesDir)
  for (const r of records) {
    const t = r.record_type
    if (t.oneofKind === 'output_raw') h.logs.handleOutputRaw(t.output_raw)
    else if (t.oneofKind === 'output_logger') h.logs.handleOutputLogger(t.output_logger)
    else continue
    if (flushEachRecord) await h.clock.advance(5_000)
  }
  await h.logs.finish()
  return h
}

describe('replaying the console records of a real SDK run', () => {
  test('the run sent raw output for both streams and a write_logs record', () => {
    const kinds = records.map((r) => r.record_type.oneofKind)
    expect(kinds.filter((k) => k === 'output_raw').length).toBeGreaterThan(50)
    expect(kinds).toContain('output_logger')
  })

  for (const flushEachRecord of [false, true]) {
    const how = flushEachRecord ? 'flushing after every record' : 'in one batch'
    test(`output.log is byte-identical to the one Go core wrote (${how})`, async () => {
      using dir = tempDir()
      const h = await replay(dir.path, flushEachRecord)
      const goFile = readFileSync(join(runDir, 'files', 'output.log'), 'utf8')
      expect(h.file()).toBe(goFile)
      expect(h.ready).toEqual(['output.log'])
    })

    test(`the streamed lines carry output.log's lines with prefixes (${how})`, async () => {
      using dir = tempDir()
      const h = await replay(dir.path, flushEachRecord)
      const fileLines = h.file().split('\n').slice(0, -1)
      const server = h.serverLines()
      expect([...server.keys()].sort((a, b) => a - b)).toEqual(fileLines.map((_, i) => i))
      const stripped = fileLines.map((_, i) => server.get(i)!.replace(/^(ERROR )?\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6} /, ''))
      expect(stripped).toEqual(fileLines)
      expect(server.get(fileLines.indexOf('an error line'))).toStartWith('ERROR ')
    })
  }

  test('the progress bars collapse to their final states', async () => {
    using dir = tempDir()
    const lines = (await replay(dir.path, false)).file().split('\n')
    expect(lines.slice(0, 5)).toEqual(['hello from stdout', 'progress 10/10 |##########|', 'outer 3/3', 'inner 4/4', 'colour \x1b[31mred\x1b[0m and \x1b[1mbold\x1b[0m'])
    expect(lines).toContain('héllo 💥 wörld — 日本語')
    expect(lines).toContain('oneup')
    expect(lines).toContain('two  down')
    expect(lines).toContain('x'.repeat(4096))
    expect(lines).toContain('partial continued')
    expect(lines).toContain('written with write_logs')
    expect(lines).toContain('second logged line')
  })
})

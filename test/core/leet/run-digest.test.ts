/** Reading a .wandb file into what `leet inspect --summary` shows, and finding the latest run. */
import {afterAll, beforeAll, describe, expect, test} from 'bun:test'
import {mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {LeetInspectError, readRunDigest, renderSummary, resolveRunFile, runIdOfDir} from '../../../src/core/leet/index.ts'
import {Record as WandbRecord} from '../../../src/core/proto.ts'
import {TransactionLogWriter} from '../../../src/core/txlog/index.ts'

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'leet-digest-'))
})
afterAll(() => rmSync(dir, {recursive: true, force: true}))

function writeLog(name: string, records: Partial<WandbRecord>[]): string {
  const path = join(dir, name)
  const w = TransactionLogWriter.open(path)
  for (const r of records) w.write(WandbRecord.toBinary(WandbRecord.create(r)))
  w.close()
  return path
}

const item = (key: string | string[], valueJson: string) => (Array.isArray(key) ? {key: '', nested_key: key, value_json: valueJson} : {key, nested_key: [], value_json: valueJson})

describe('readRunDigest', () => {
  test('config merges and removals, summary updates and removals, the _step fallback, exit code', () => {
    const path = writeLog('a.wandb', [
      {record_type: {oneofKind: 'run', run: {run_id: 'r1', project: 'p', entity: 'e', display_name: 'nice', tags: ['x']} as any}},
      {record_type: {oneofKind: 'config', config: {update: [item('opt', '{"lr": 0.1, "beta": [1, 2]}'), item('gone', '1'), item('bad', '{')], remove: []}}},
      {record_type: {oneofKind: 'config', config: {update: [item(['opt', 'wd'], '0.5')], remove: [item('gone', '')]}}},
      {record_type: {oneofKind: 'summary', summary: {update: [item('acc', '0.75'), item('old', '3'), item('big', '1000000.0')], remove: []}}},
      {record_type: {oneofKind: 'summary', summary: {update: [], remove: [item('old', '')]}}},
      {record_type: {oneofKind: 'history', history: {item: [{key: '_step', nested_key: [], value_json: '7', value: {oneofKind: undefined}}]} as any}},
      {record_type: {oneofKind: 'exit', exit: {exit_code: 254} as any}},
    ])
    const digest = readRunDigest(path)
    expect(digest.lastStep).toBe(7n)
    const text = renderSummary({runFile: path, wandbDir: '', json: false})
    expect(text).toContain('run      nice (r1)\nproject  e/p\n')
    expect(text).toContain('state    crashed (exit code 254)\nstep     7\n')
    expect(text).toContain('\nsummary\n  acc  0.75\n  big  1e+06\n\nconfig\n  opt.beta  [1,2]\n  opt.lr    0.1\n  opt.wd    0.5\n')
    const json = JSON.parse(renderSummary({runFile: path, wandbDir: '', json: true}))
    expect(json.summary).toEqual({acc: 0.75, big: 1000000})
    expect(json.exit_code).toBe(254)
    expect(json.state).toBe('crashed')
  })

  test("a file shorter than the header is an empty run; a wrong header is Go's error", () => {
    writeFileSync(join(dir, 'short.wandb'), ':W&')
    expect(readRunDigest(join(dir, 'short.wandb')).run.id).toBe('')
    writeFileSync(join(dir, 'text.wandb'), 'hello world\n')
    expect(() => readRunDigest(join(dir, 'text.wandb'))).toThrow('transactionlog: bad header: leveldb/record: invalid W&B identifier: 68656C6C ("hell")')
    writeFileSync(join(dir, 'magic.wandb'), Uint8Array.of(0x3a, 0x57, 0x26, 0x42, 0, 1, 0, 0))
    expect(() => readRunDigest(join(dir, 'magic.wandb'))).toThrow('invalid W&B magic: 100')
  })
})

describe('resolveRunFile', () => {
  test("the latest-run link, and Go's errors when it is missing, not a link, or not a run directory", () => {
    expect(runIdOfDir('offline-run-20260101_000000-abc')).toBe('abc')
    expect(runIdOfDir('run-20260101_000000-')).toBe('')
    const w = join(dir, 'wandb')
    mkdirSync(join(w, 'run-20260101_000000-abc'), {recursive: true})
    writeFileSync(join(w, 'run-20260101_000000-abc', 'run-abc.wandb'), '')
    expect(() => resolveRunFile('', w)).toThrow(`failed to find the latest run in "${w}": stat ${w}/latest-run: no such file or directory`)
    symlinkSync('run-20260101_000000-abc', join(w, 'latest-run'))
    expect(resolveRunFile('', `${w}/`)).toBe(join(w, 'run-20260101_000000-abc', 'run-abc.wandb'))
    expect(resolveRunFile('given.wandb', w)).toBe('given.wandb')
    const plain = join(dir, 'plain')
    mkdirSync(join(plain, 'latest-run'), {recursive: true})
    expect(() => resolveRunFile('', plain)).toThrow(`readlink ${plain}/latest-run: invalid argument`)
    const odd = join(dir, 'odd')
    mkdirSync(join(odd, 'foo'), {recursive: true})
    symlinkSync('foo', join(odd, 'latest-run'))
    expect(() => resolveRunFile('', odd)).toThrow(new LeetInspectError(`failed to find the latest run in "${odd}": stat : no such file or directory`))
  })
})

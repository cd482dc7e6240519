/**
 * Cross-validation with the real wandb 0.31.0 SDK and its Go wandb-core: a scenario script
 * (fixtures/sdk_history_scenario.py) runs offline behind scripts/protocol-recorder.ts, which
 * records every message between the SDK and Go core. We replay the SDK's messages into our
 * HistoryProcessor and check that it produces the derived records Go wrote to the .wandb file and
 * the answers Go gave (history_step, get_summary, sampled_history, the step warning). Only run-time
 * values (`_runtime`, `_wandb.runtime`) may differ. The scenario runs twice: with JSON history
 * values and with typed ones (x_history_value_encoding="json,typed").
 */
import {afterAll, beforeAll, describe, expect, test} from 'bun:test'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {parseExtendedJson} from '../../../src/core/json/index.ts'
import {Record as PbRecord, ServerRequest, ServerResponse, type SampledHistoryItem, type SummaryItem} from '../../../src/core/proto.ts'
import {HistoryProcessor} from '../../../src/core/runstate/index.ts'
import {TransactionLogReader} from '../../../src/core/txlog/index.ts'
import {goCorePath, REPO_ROOT, requirePython} from '../../helpers/python.ts'

interface TraceLine {
  dir: 'sdk' | 'core'
  msg: unknown
}

interface ScenarioRun {
  id: string
  dir: string
  steps: number[]
}

let root: string
let trace: TraceLine[] = []
let runs: ScenarioRun[] = []

beforeAll(async () => {
  const python = requirePython()
  root = mkdtempSync(join(tmpdir(), 'runstate-sdk-'))
  const out = join(root, 'trace.jsonl')
  const env = {
    ...process.env,
    HOME: root,
    WANDB_DIR: root,
    WANDB_CONFIG_DIR: join(root, 'config'),
    WANDB_CACHE_DIR: join(root, 'cache'),
    WANDB_DATA_DIR: join(root, 'data'),
    WANDB_MODE: 'offline',
    WANDB_SILENT: 'true',
    WANDB_ERROR_REPORTING: 'false',
    PYTHONUNBUFFERED: '1',
  }
  const proc = Bun.spawn(
    [process.execPath, join(REPO_ROOT, 'scripts/protocol-recorder.ts'), '--core', goCorePath(), '--out', out, '--', python, join(import.meta.dir, 'fixtures/sdk_history_scenario.py')],
    {cwd: root, env, stdout: 'pipe', stderr: 'pipe'},
  )
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited])
  if (code !== 0) throw new Error(`scenario failed (${code}):\n${stderr}`)
  runs = (JSON.parse(stdout.trim().split('\n').pop()!) as {runs: ScenarioRun[]}).runs
  trace = readFileSync(out, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as TraceLine)
}, 120_000)

afterAll(() => rmSync(root, {recursive: true, force: true}))

type Item = {key: string; nested_key: string[]; value_json: string}
const RUNTIME = '<runtime>'

/** An item as [form, path, value]; run-time values replaced by a marker. */
function item(i: Item): [string, string[], unknown] {
  const path = i.nested_key.length > 0 ? i.nested_key : [i.key]
  const isRuntime = (path.length === 1 && path[0] === '_runtime') || (path.length === 2 && path[0] === '_wandb' && path[1] === 'runtime')
  return [i.nested_key.length > 0 ? 'nested_key' : 'key', path, isRuntime ? RUNTIME : parseExtendedJson(i.value_json)]
}

function sortedItems(items: Item[]) {
  return items.map(item).sort((a, b) => JSON.stringify(a[1]).localeCompare(JSON.stringify(b[1])))
}

/** A derived record in comparable form. */
function describeRecord(r: PbRecord) {
  const t = r.record_type
  if (t.oneofKind === 'history') return {history: sortedItems(t.history.item), step: t.history.step?.num}
  if (t.oneofKind === 'summary') return {summary: sortedItems(t.summary.update), remove: t.summary.remove.length}
  if (t.oneofKind === 'metric') return {metric: t.metric}
  return {other: t.oneofKind}
}

/** The records Go's Handler derived (history, and summary/metric records that did not come from the SDK). */
function derivedRecordsInLog(run: ScenarioRun): PbRecord[] {
  const reader = TransactionLogReader.open(join(dirname(run.dir), `run-${run.id}.wandb`))
  const out: PbRecord[] = []
  try {
    for (let rec = reader.next(); rec; rec = reader.next()) {
      const r = PbRecord.fromBinary(rec.data)
      const kind = r.record_type.oneofKind
      if (kind === 'history' || ((kind === 'summary' || kind === 'metric') && !r._info)) out.push(r)
    }
  } finally {
    reader.close()
  }
  return out
}

/** Replays the SDK's messages for one run into a HistoryProcessor, answering requests as the Handler would. */
function replay(run: ScenarioRun) {
  const processor = new HistoryProcessor(() => 0.25)
  const records: PbRecord[] = []
  const warnings: string[] = []
  const answers = new Map<string, unknown>()
  for (const line of trace) {
    if (line.dir !== 'sdk') continue
    const req = ServerRequest.fromJson(line.msg as never)
    const kind = req.server_request_type.oneofKind
    if (kind !== 'record_publish' && kind !== 'record_communicate') continue
    const record = (req.server_request_type as {record_publish: PbRecord}).record_publish ?? (req.server_request_type as unknown as {record_communicate: PbRecord}).record_communicate
    if (record._info?.stream_id !== run.id) continue
    const t = record.record_type
    if (t.oneofKind === 'metric') expect(processor.handleMetricRecord(t.metric)).toBeUndefined()
    else if (t.oneofKind === 'summary') expect(processor.handleSummaryRecord(t.summary)).toEqual([])
    else if (t.oneofKind === 'exit') records.push(...processor.finish().records)
    else if (t.oneofKind === 'request') {
      const r = t.request.request_type
      if (r.oneofKind === 'run_start') processor.onRunStart(r.run_start.run?.starting_step ?? 0n)
      else if (r.oneofKind === 'partial_history') {
        const out = processor.handlePartialHistory(r.partial_history)
        expect(out.errors).toEqual([])
        records.push(...out.records)
        warnings.push(...out.warnings)
      } else if (r.oneofKind === 'history_step') answers.set(req.request_id, processor.historyStep())
      else if (r.oneofKind === 'get_summary') answers.set(req.request_id, processor.getSummaryItems())
      else if (r.oneofKind === 'sampled_history') answers.set(req.request_id, processor.sampledHistory())
    }
  }
  return {records, warnings, answers}
}

/** Go's answers to the SDK's requests, by request id. */
function coreResponses(): Map<string, ServerResponse> {
  const byId = new Map<string, ServerResponse>()
  for (const line of trace) {
    if (line.dir !== 'core') continue
    const res = ServerResponse.fromJson(line.msg as never)
    if (res.request_id) byId.set(res.request_id, res)
  }
  return byId
}

function responseOf(res: ServerResponse | undefined) {
  const t = res?.server_response_type
  if (t?.oneofKind !== 'result_communicate') return undefined
  const r = t.result_communicate.result_type
  return r.oneofKind === 'response' ? r.response.response_type : undefined
}

function samples(items: SampledHistoryItem[]) {
  return Object.fromEntries(items.map((i) => [i.key, i.key === '_runtime' ? i.values_float.length : i.values_float]))
}

for (const [index, encoding] of ['json', 'json,typed'].entries()) {
  describe(`replaying the SDK's ${encoding} history into our HistoryProcessor`, () => {
    test('yields exactly the derived history and summary records Go wrote to the .wandb file, in order', () => {
      const run = runs[index]
      const ours = replay(run).records.map(describeRecord)
      const go = derivedRecordsInLog(run).map(describeRecord)
      expect(go.length).toBeGreaterThan(20)
      expect(go.some((r) => 'metric' in r)).toBe(false)
      expect(ours).toEqual(go)
    })

    test('answers history_step, get_summary and sampled_history as Go did, and warns the same', () => {
      const run = runs[index]
      const {answers, warnings} = replay(run)
      const responses = coreResponses()
      const checked = {step: 0, summary: 0, sampled: 0}
      for (const [id, ours] of answers) {
        const go = responseOf(responses.get(id))
        if (go?.oneofKind === 'history_step_response') {
          expect(ours).toBe(go.history_step_response.step)
          checked.step++
        } else if (go?.oneofKind === 'get_summary_response') {
          expect(sortedItems(ours as SummaryItem[])).toEqual(sortedItems(go.get_summary_response.item))
          checked.summary++
        } else if (go?.oneofKind === 'sampled_history_response') {
          expect(samples(ours as SampledHistoryItem[])).toEqual(samples(go.sampled_history_response.item))
          checked.sampled++
        } else {
          throw new Error(`no Go answer of the same kind for request ${id}`)
        }
      }
      expect(checked).toEqual({step: run.steps.length, summary: 1, sampled: 1})
      expect(answers.size).toBe(run.steps.length + 2)

      const goWarnings = trace.flatMap((l) => {
        if (l.dir !== 'core') return []
        const r = responseOf(ServerResponse.fromJson(l.msg as never))
        return r?.oneofKind === 'internal_messages_response' ? (r.internal_messages_response.messages?.warning ?? []) : []
      })
      expect(warnings).toEqual([
        'Tried to log to step 5 that is less than the current step 10. Steps must be monotonically increasing, so this data will be ignored. See https://wandb.me/define-metric to log data out of order.',
      ])
      expect(goWarnings).toContain(warnings[0])
    })
  })
}

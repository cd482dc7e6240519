/**
 * Differential tests against Go wandb-core's own run-state packages (runhistory, runsummary,
 * runmetric, runconfig, corelib): the scenarios of fixtures/go-cases.ts were run through them by
 * fixtures/go-oracle/main.go and the results stored in fixtures/go-oracle-output.json. Go iterates
 * maps in random order, so lists are compared as sets.
 */
import {describe, expect, test} from 'bun:test'
import {parseExtendedJson} from '../../../src/core/json/index.ts'
import {MetricRecord, TelemetryRecord, type SummaryItem} from '../../../src/core/proto.ts'
import {MetricHandler, mergeTelemetry, protoEncodeToDict, RunConfig, RunHistory, RunSummary} from '../../../src/core/runstate/index.ts'
import {CONFIG_CASES, MERGE_CASES, SUMMARY_CASES, type SummaryCase} from './fixtures/go-cases.ts'
import oracle from './fixtures/go-oracle-output.json'

interface GoItem {
  key?: string
  nested_key?: string[] | null
  path?: string[]
  value_json: string
}

/** {path, value} pairs sorted by path, values decoded. */
function normalize(items: readonly GoItem[]): {path: string[]; value: unknown}[] {
  return items
    .map((i) => ({path: i.path ?? (i.nested_key?.length ? i.nested_key : [i.key ?? '']), value: parseExtendedJson(i.value_json)}))
    .sort((a, b) => JSON.stringify(a.path).localeCompare(JSON.stringify(b.path)))
}

function fromSummaryItems(items: SummaryItem[]): GoItem[] {
  return items.map((i) => ({key: i.key, nested_key: i.nested_key, value_json: i.value_json}))
}

/** `_wandb.m` entries keyed by metric name, step indexes replaced by the step metric's name. */
function normalizeM(entries: Record<string, unknown>[]): Record<string, unknown> {
  const nameOf = (e: Record<string, unknown>) => String(e['1'] ?? e['2'])
  const out: Record<string, unknown> = {}
  for (const e of entries) {
    const copy = {...e}
    if (copy['5'] !== undefined) copy['5'] = nameOf(entries[(copy['5'] as number) - 1])
    out[nameOf(e)] = copy
  }
  return out
}

/** Runs a scenario the way the oracle does (the Handler's flush without _runtime/_step). */
function runCase(c: SummaryCase) {
  const metrics = new MetricHandler()
  const summary = new RunSummary()
  const clientMetrics = new MetricHandler()
  const handleMetric = (m: MetricRecord) => {
    metrics.processRecord(m)
    if (m.name !== '') metrics.updateSummary(m.name, summary)
  }
  const steps: unknown[] = []
  for (const op of c.ops) {
    if ('metric' in op) {
      handleMetric(op.metric)
      clientMetrics.processRecord(op.metric)
      steps.push({metric: true})
    } else if ('summary' in op) {
      steps.push({summary: true, error: summary.applyRecord(op.summary).length > 0})
    } else {
      const row = new RunHistory()
      let itemErrors = 0
      for (const item of op.log) if (row.setFromItem(item)) itemErrors++
      const newMetrics = metrics.updateMetrics(row)
      for (const m of newMetrics) handleMetric(m)
      metrics.insertStepMetrics(row)
      const updates = summary.toUpdateItems(summary.updateFromHistory(row))
      steps.push({
        history: row.toHistoryItems().map((i) => ({path: i.nested_key, value_json: i.value_json})),
        summaryUpdates: fromSummaryItems(updates),
        newMetrics,
        line: row.toFileStreamLine(),
        itemErrors,
      })
    }
  }
  return {steps, summaryItems: fromSummaryItems(summary.toSummaryItems()), serialized: summary.serialize(), m: clientMetrics.toRunConfigData()}
}

describe('summary, history and metric scenarios match Go wandb-core', () => {
  for (const [index, c] of SUMMARY_CASES.entries()) {
    const go = oracle.summary[index] as unknown as {
      name: string
      serialized: string
      m: string
      summaryItems: GoItem[]
      steps: ({history: GoItem[]; summaryUpdates: GoItem[]; newMetrics: unknown[]; line: string; itemErrors: number} | {metric: boolean} | {summary: boolean; error: boolean})[]
    }

    test(`${c.name}: every flushed row, summary update and expanded metric is the same`, () => {
      expect(go.name).toBe(c.name)
      const ours = runCase(c)
      expect(ours.steps.length).toBe(go.steps.length)
      go.steps.forEach((goStep, i) => {
        const step = ours.steps[i] as typeof goStep
        if (!('history' in goStep)) return expect(step).toEqual(goStep)
        if (!('history' in step)) throw new Error(`step ${i} is not a flush`)
        expect(normalize(step.history)).toEqual(normalize(goStep.history))
        expect(normalize(step.summaryUpdates)).toEqual(normalize(goStep.summaryUpdates))
        expect(parseExtendedJson(step.line)).toEqual(parseExtendedJson(goStep.line))
        expect(step.itemErrors).toBe(goStep.itemErrors)
        expect(step.newMetrics).toEqual(goStep.newMetrics.map((m) => MetricRecord.fromJson(m as never)))
      })
    })

    test(`${c.name}: get_summary items, the serialized summary and _wandb.m are the same`, () => {
      const ours = runCase(c)
      expect(normalize(ours.summaryItems)).toEqual(normalize(go.summaryItems))
      expect(ours.summaryItems.every((i) => (i.nested_key?.length ? i.nested_key.length > 1 : true))).toBe(true)
      expect(parseExtendedJson(ours.serialized)).toEqual(parseExtendedJson(go.serialized))
      expect(normalizeM(ours.m)).toEqual(normalizeM(parseExtendedJson(go.m) as Record<string, unknown>[]))
    })
  }
})

describe('config matches Go wandb-core', () => {
  for (const [index, c] of CONFIG_CASES.entries()) {
    const go = oracle.config[index]
    test(`${c.name}: the wrapped JSON and the error count are the same`, () => {
      const config = new RunConfig()
      const errors = c.records.flatMap((r) => config.applyChangeRecord(r))
      expect(errors.length).toBe(go.errors)
      expect(config.toWrappedJson()).toEqual(parseExtendedJson(go.json) as Record<string, unknown>)
    })
  }

  for (const [index, c] of CONFIG_CASES.entries()) {
    test(`${c.name}: config.yaml is byte-identical to yaml.v3's`, () => {
      const config = new RunConfig()
      for (const r of c.records) config.applyChangeRecord(r)
      expect(config.toYaml()).toBe(oracle.config[index].yaml)
    })
  }
})

describe('telemetry matches Go wandb-core', () => {
  test('_wandb.t is the field-number encoding Go produces, and addInternalData writes the same _wandb', () => {
    const [full, empty] = oracle.telemetry
    const record = TelemetryRecord.fromJson(
      TelemetryRecord.toJson(
        TelemetryRecord.create({
          imports_init: {torch: true, keras: true, transformers: true},
          imports_finish: {torch: true},
          feature: {offline: true, metric: true, set_step_log: true},
          python_version: '3.11.7',
          cli_version: '0.31.0',
          huggingface_version: '4.0',
          env: {jupyter: true},
          label: {code_string: 'c', repo_string: 'r'},
          deprecated: {},
          core_version: '0.31.0',
          platform: 'linux-x86_64',
          _info: {stream_id: 's'},
        }),
      ),
    )
    expect(protoEncodeToDict(TelemetryRecord, record)).toEqual(JSON.parse(full.dict))
    expect(protoEncodeToDict(TelemetryRecord, TelemetryRecord.create())).toEqual(JSON.parse(empty.dict))

    const config = new RunConfig()
    config.addInternalData({telemetry: record, metrics: [], environment: {}})
    expect(config.toWrappedJson()).toEqual(JSON.parse(full.config))
    const bare = new RunConfig()
    bare.addInternalData({metrics: []})
    expect(bare.toWrappedJson()).toEqual(JSON.parse(empty.config))
  })

  test('merging telemetry records gives what proto.Merge gives', () => {
    for (const [index, list] of MERGE_CASES.entries()) {
      const acc = TelemetryRecord.create()
      for (const t of list) mergeTelemetry(acc, TelemetryRecord.clone(t))
      expect(acc).toEqual(TelemetryRecord.fromJson(oracle.merge[index] as never))
    }
  })
})

import {describe, expect, test} from 'bun:test'
import {HistoryItem, HistoryStep, PartialHistoryRequest, Record as PbRecord, SummaryItem, SummaryRecord} from '../../../src/core/proto.ts'
import {HistoryItemError, HistoryProcessor, MetricRecordError, type HistoryOutput} from '../../../src/core/runstate/index.ts'
import {metric} from './fixtures/go-cases.ts'

/** A partial_history request as the SDK sends it (`flush` undefined: no action at all). */
function partial(values: Record<string, string>, o: {step?: number; flush?: boolean} = {}): PartialHistoryRequest {
  return PartialHistoryRequest.create({
    item: Object.entries(values).map(([key, value_json]) => HistoryItem.create({key, value_json})),
    step: o.step === undefined ? undefined : HistoryStep.create({num: BigInt(o.step)}),
    action: o.flush === undefined ? undefined : {flush: o.flush},
  })
}

/** Output records as compact tuples: ['history', step, {path: value_json}] / ['summary', {path: value_json}] / ['metric', name]. */
function brief(out: HistoryOutput) {
  return out.records.map((r) => {
    const t = r.record_type
    const items = (list: {key: string; nested_key: string[]; value_json: string}[]) => Object.fromEntries(list.map((i) => [(i.nested_key.length ? i.nested_key : [i.key]).join('/'), i.value_json]))
    if (t.oneofKind === 'history') return ['history', t.history.step?.num, items(t.history.item)]
    if (t.oneofKind === 'summary') return ['summary', items(t.summary.update)]
    if (t.oneofKind === 'metric') return ['metric', t.metric.name, t.metric.expanded_from_glob]
    return [t.oneofKind]
  })
}

function rows(out: HistoryOutput) {
  return brief(out)
    .filter((r) => r[0] === 'history')
    .map((r) => [r[1], r[2]])
}

function processor(options = {}) {
  let clock = 1.5
  const p = new HistoryProcessor(() => clock, options)
  return {p, tick: (s: number) => (clock = s)}
}

describe('steps in non-shared runs', () => {
  test('run.log(d) flushes at the current step and advances it; the flush emits runtime summary, derived summary, then history', () => {
    const {p} = processor()
    const out = p.handlePartialHistory(partial({loss: '0.5'}))
    expect(brief(out)).toEqual([
      ['summary', {'_wandb/runtime': '1', _runtime: '1'}],
      ['summary', {loss: '0.5', _runtime: '1.5', _step: '0'}],
      ['history', 0n, {loss: '0.5', _runtime: '1.5', _step: '0'}],
    ])
    expect(out.records.every((r) => r.num === 0n && r.control === undefined && r._info === undefined)).toBe(true)
    expect(p.historyStep()).toBe(1n)
  })

  test('the runtime summary record uses nested_key for _wandb.runtime and key for _runtime, as whole seconds', () => {
    const {p, tick} = processor()
    tick(2.99)
    const runtime = p.handlePartialHistory(partial({a: '1'})).records[0]
    expect(runtime.record_type).toEqual({
      oneofKind: 'summary',
      summary: SummaryRecord.create({update: [SummaryItem.create({nested_key: ['_wandb', 'runtime'], value_json: '2'}), SummaryItem.create({key: '_runtime', value_json: '2'})]}),
    })
  })

  test('commit=False accumulates until a flushing request, later values winning', () => {
    const {p} = processor()
    expect(p.handlePartialHistory(partial({a: '1', b: '1'}, {flush: false})).records).toEqual([])
    expect(p.handlePartialHistory(partial({b: '2'}, {flush: false})).records).toEqual([])
    expect(p.historyStep()).toBe(0n)
    expect(rows(p.handlePartialHistory(partial({c: '3'})))).toEqual([[0n, {a: '1', b: '2', c: '3', _runtime: '1.5', _step: '0'}]])
  })

  test('step=k without commit accumulates at k; a larger step flushes the previous one; commit=True flushes k', () => {
    const {p} = processor()
    expect(rows(p.handlePartialHistory(partial({x: '1'}, {step: 10})))).toEqual([])
    expect(p.historyStep()).toBe(10n)
    expect(rows(p.handlePartialHistory(partial({y: '2'}, {step: 10})))).toEqual([])
    expect(rows(p.handlePartialHistory(partial({w: '4'}, {step: 12, flush: true})))).toEqual([
      [10n, {x: '1', y: '2', _runtime: '1.5', _step: '10'}],
      [12n, {w: '4', _runtime: '1.5', _step: '12'}],
    ])
    expect(p.historyStep()).toBe(13n)
  })

  test("a step below the current one drops the WHOLE request and warns with Go's text", () => {
    const {p} = processor()
    p.handlePartialHistory(partial({a: '1'}, {step: 10}))
    const out = p.handlePartialHistory(partial({b: '2', c: '3'}, {step: 5, flush: true}))
    expect(out.records).toEqual([])
    expect(out.warnings).toEqual([
      'Tried to log to step 5 that is less than the current step 10. Steps must be monotonically increasing, so this data will be ignored. See https://wandb.me/define-metric to log data out of order.',
    ])
    expect(rows(p.handlePartialHistory(partial({d: '4'}, {flush: true})))).toEqual([[10n, {a: '1', d: '4', _runtime: '1.5', _step: '10'}]])
  })

  test('a larger step with nothing accumulated just moves the step', () => {
    const {p} = processor()
    expect(p.handlePartialHistory(partial({}, {step: 7})).records).toEqual([])
    expect(p.historyStep()).toBe(7n)
  })

  test('an action without flush never flushes, even without a step', () => {
    const {p} = processor()
    p.handlePartialHistory(partial({a: '1'}, {flush: false}))
    expect(p.historyStep()).toBe(0n)
    expect(rows(p.handlePartialHistory(partial({}, {flush: true})))).toEqual([[0n, {a: '1', _runtime: '1.5', _step: '0'}]])
  })

  test('an empty flush advances the step without emitting anything', () => {
    const {p} = processor()
    expect(p.handlePartialHistory(partial({})).records).toEqual([])
    expect(p.historyStep()).toBe(1n)
  })
})

describe('the starting step', () => {
  test('history_step is 0 until the first partial_history, even for a resumed run, then continues from starting_step', () => {
    const {p} = processor()
    p.onRunStart(41n)
    expect(p.historyStep()).toBe(0n)
    expect(rows(p.handlePartialHistory(partial({a: '1'})))[0][0]).toBe(41n)
    expect(p.historyStep()).toBe(42n)
  })

  test('without run_start the first row is step 0', () => {
    const {p} = processor()
    expect(rows(p.handlePartialHistory(partial({a: '1'})))[0][0]).toBe(0n)
  })
})

describe('shared mode', () => {
  test('ignores steps, writes no _step, flushes unless an action says otherwise, and emits rows without a step', () => {
    const {p} = processor({shared: true})
    expect(p.handlePartialHistory(partial({a: '1'}, {step: 5, flush: false})).records).toEqual([])
    const out = p.handlePartialHistory(partial({b: '2'}, {step: 1}))
    expect(out.warnings).toEqual([])
    expect(rows(out)).toEqual([[undefined, {a: '1', b: '2', _runtime: '1.5'}]])
    expect(p.historyStep()).toBe(0n)
    expect(rows(p.finish())).toEqual([])
  })
})

describe('finish', () => {
  test('emits the runtime summary, then flushes what is left at the current step', () => {
    const {p, tick} = processor()
    p.handlePartialHistory(partial({a: '1'}, {step: 3}))
    tick(9.7)
    expect(brief(p.finish())).toEqual([
      ['summary', {'_wandb/runtime': '9', _runtime: '9'}],
      ['summary', {'_wandb/runtime': '9', _runtime: '9'}],
      ['summary', {a: '1', _runtime: '9.7', _step: '3'}],
      ['history', 3n, {a: '1', _runtime: '9.7', _step: '3'}],
    ])
    expect(p.historyStep()).toBe(4n)
  })

  test('with nothing accumulated only the runtime summary is emitted and get_summary shows the int runtime', () => {
    const {p, tick} = processor()
    p.handlePartialHistory(partial({a: '1'}))
    tick(4.2)
    expect(brief(p.finish())).toEqual([['summary', {'_wandb/runtime': '4', _runtime: '4'}]])
    const summary = Object.fromEntries(p.getSummaryItems().map((i) => [i.key || i.nested_key.join('/'), i.value_json]))
    expect(summary).toEqual({a: '1', _runtime: '4', _step: '0', '_wandb/runtime': '4'})
  })
})

describe('server-side derived summary', () => {
  test('emits history only and leaves the summary empty', () => {
    const {p} = processor({serverSideDerivedSummary: true})
    expect(brief(p.handlePartialHistory(partial({a: '1'})))).toEqual([['history', 0n, {a: '1', _runtime: '1.5', _step: '0'}]])
    expect(brief(p.finish())).toEqual([])
    expect(p.getSummaryItems()).toEqual([])
  })
})

describe('metrics in the flow', () => {
  test('glob expansion applies the definition at once and, like wandb-core 0.31, forwards no metric record', () => {
    const {p} = processor()
    p.handleMetricRecord(metric('epoch'))
    p.handleMetricRecord(metric('val/*', {step: 'epoch', sync: true, summary: 'max'}))
    p.handlePartialHistory(partial({epoch: '2'}))
    const out = p.handlePartialHistory(partial({'val/acc': '0.5'}))
    expect(brief(out).map((r) => r[0])).toEqual(['summary', 'summary', 'history'])
    expect(rows(out)[0][1]).toEqual({'val/acc': '0.5', _runtime: '1.5', _step: '1', epoch: '2'})
    expect(p.metrics.definition('val/acc')?.explicit).toBe(true)
    expect(p.summary.get(['val/acc'])).toEqual({max: 0.5})
  })

  test('forwardExpandedMetrics puts the expanded_from_glob records first, as Go 0.28 did', () => {
    const {p} = processor({forwardExpandedMetrics: true})
    p.handleMetricRecord(metric('val/*', {summary: 'max'}))
    expect(brief(p.handlePartialHistory(partial({'val/a': '1', 'val/b': '2'}))).map((r) => r.slice(0, 3))).toEqual([
      ['metric', 'val/a', true],
      ['metric', 'val/b', true],
      ['summary', {'_wandb/runtime': '1', _runtime: '1'}],
      ['summary', {'val/a': '{"max":1}', 'val/b': '{"max":2}', _runtime: '1.5', _step: '0'}],
      ['history', 0n, {'val/a': '1', 'val/b': '2', _runtime: '1.5', _step: '0'}],
    ])
  })

  test('a metric record naming nothing is returned as an error; defining configures the Handler summary', () => {
    const {p} = processor()
    expect(p.handleMetricRecord(metric(''))).toBeInstanceOf(MetricRecordError)
    expect(p.handleMetricRecord(metric('loss', {summary: 'min,max'}))).toBeUndefined()
    p.handlePartialHistory(partial({loss: '3'}))
    p.handlePartialHistory(partial({loss: '1'}))
    expect(p.summary.get(['loss'])).toEqual({min: 1, max: 3})
  })

  test('an explicit summary record resets aggregates to the latest value', () => {
    const {p} = processor()
    p.handleMetricRecord(metric('acc', {summary: 'max'}))
    p.handlePartialHistory(partial({acc: '0.9'}))
    p.handleSummaryRecord(SummaryRecord.create({update: [SummaryItem.create({key: 'acc', value_json: '100'})]}))
    expect(p.summary.get(['acc'])).toBe(100)
    p.handlePartialHistory(partial({acc: '0.2'}))
    expect(p.summary.get(['acc'])).toBe(0.2)
  })
})

describe('values and errors', () => {
  test('NaN and ±Infinity flow into history, summary and get_summary as bare literals', () => {
    const {p} = processor()
    const out = p.handlePartialHistory(partial({nan: 'NaN', inf: 'Infinity', n: '{"ninf":-Infinity}'}))
    expect(rows(out)[0][1]).toMatchObject({nan: 'NaN', inf: 'Infinity', 'n/ninf': '-Infinity'})
    expect(
      p
        .getSummaryItems()
        .filter((i) => !i.key.startsWith('_') && i.nested_key[0] !== '_wandb')
        .map((i) => i.value_json),
    ).toEqual(['NaN', 'Infinity', '-Infinity'])
  })

  test('bad items are reported and skipped while the rest of the request is processed', () => {
    const {p} = processor()
    const out = p.handlePartialHistory(
      PartialHistoryRequest.create({item: [HistoryItem.create({key: '', value_json: '1'}), HistoryItem.create({key: 'bad', value_json: '{'}), HistoryItem.create({key: 'ok', value_json: '1'})]}),
    )
    expect(out.errors.map((e) => e instanceof HistoryItemError)).toEqual([true, true])
    expect(rows(out)[0][1]).toEqual({ok: '1', _runtime: '1.5', _step: '0'})
  })

  test('sampled_history samples every flushed row, inserted step metrics included', () => {
    const {p} = processor()
    p.handleMetricRecord(metric('acc', {step: 'epoch', sync: true}))
    p.handlePartialHistory(partial({epoch: '1', acc: '0.5'}))
    p.handlePartialHistory(partial({acc: '0.7', text: '"x"'}))
    const samples = Object.fromEntries(p.sampledHistory().map((i) => [i.key, i.values_float]))
    expect(samples.epoch).toEqual([1, 1])
    expect(samples.acc).toEqual([0.5, Math.fround(0.7)])
    expect(samples._step).toEqual([0, 1])
    expect(samples.text).toBeUndefined()
  })

  test('derived records survive a binary round trip unchanged (well-formed for the transaction log)', () => {
    const {p} = processor()
    const out = p.handlePartialHistory(partial({a: '1', n: 'NaN'}))
    for (const r of out.records) expect(PbRecord.fromBinary(PbRecord.toBinary(r))).toEqual(r)
  })
})
